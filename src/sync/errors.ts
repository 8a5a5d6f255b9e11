/** The coded errors of Git sync. Each message says what to change. */
import { defineError } from "../errors.js";

export const SyncError = {
  badRemote: defineError(
    "WEFT_SYNC_BAD_REMOTE",
    "repository {remote} is refused: {reason}. Use an https://, ssh:// or git@host:path URL, a file:/// URL or a local path",
  ),
  localPathMissing: defineError(
    "WEFT_SYNC_LOCAL_PATH_MISSING",
    "repository path {path} does not exist or is not a folder; pass the path of a Git repository or a remote URL",
  ),
  notARepository: defineError(
    "WEFT_SYNC_NOT_A_REPOSITORY",
    "{path} is not inside a Git repository; run weft serve from a clone of your workflows repository or pass --repo",
  ),
  badBranch: defineError(
    "WEFT_SYNC_BAD_BRANCH",
    'branch name "{branch}" is refused: {reason}. Pass a plain branch name such as main',
  ),
  badWorkflowsDir: defineError(
    "WEFT_SYNC_BAD_WORKFLOWS_DIR",
    'workflows folder "{dir}" is refused: {reason}. Pass a folder path relative to the repository root, such as workflows',
  ),
  gitMissing: defineError(
    "WEFT_SYNC_GIT_MISSING",
    "cannot run git ({reason}); install Git 2.29 or newer and make sure it is on PATH",
  ),
  gitFailed: defineError("WEFT_SYNC_GIT_FAILED", "git {command} failed: {detail}"),
  gitTimeout: defineError(
    "WEFT_SYNC_GIT_TIMEOUT",
    "git {command} did not finish within {ms} ms and was stopped; check that the remote is reachable",
  ),
  fetchFailed: defineError(
    "WEFT_SYNC_FETCH_FAILED",
    "cannot fetch branch {branch} from {remote}: {detail}. The current workflows keep running; Weft retries with backoff",
  ),
  noWorkflows: defineError(
    "WEFT_SYNC_NO_WORKFLOWS",
    "commit has no workflow files in {dir}/, so every workflow was removed; if that was not intended, restore the files or check the workflows folder setting",
  ),
  plugins: defineError(
    "WEFT_SYNC_PLUGINS",
    "cannot load the step types of this commit: {detail}; fix the plugins folder and push again",
  ),
};
