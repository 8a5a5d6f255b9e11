/** Coded errors of `weft plan` and `weft check`; all of them are usage problems (exit 2). */
import { defineError } from "../errors.js";

export const ReviewError = {
  notGit: defineError(
    "WEFT_REVIEW_NOT_GIT",
    "{dir} is not inside a Git repository; run weft plan from a clone (or pass --repo <dir>)",
  ),
  refOption: defineError(
    "WEFT_REVIEW_REF_OPTION",
    "the ref `{ref}` starts with `-` and would be read as an option; name a branch, tag or commit",
  ),
  badRef: defineError(
    "WEFT_REVIEW_BAD_REF",
    "`{ref}` is not a commit in this repository; fetch it first (e.g. `git fetch origin main`) or check the name",
  ),
  badDir: defineError(
    "WEFT_REVIEW_BAD_DIR",
    "--dir `{dir}` must be a relative path inside the repository (no `..`, not absolute)",
  ),
  gitFailed: defineError("WEFT_REVIEW_GIT_FAILED", "git {command} failed: {reason}"),
  badNow: defineError(
    "WEFT_REVIEW_BAD_NOW",
    "WEFT_NOW=`{value}` is not an ISO 8601 date-time; write e.g. 2026-01-01T00:00:00Z",
  ),
};

/** Codes that mean the command was called wrongly (exit 2), not that a workflow is bad. */
export const REVIEW_USAGE_CODES: ReadonlySet<string> = new Set([
  "WEFT_REVIEW_NOT_GIT",
  "WEFT_REVIEW_REF_OPTION",
  "WEFT_REVIEW_BAD_REF",
  "WEFT_REVIEW_BAD_DIR",
  "WEFT_REVIEW_BAD_NOW",
]);
