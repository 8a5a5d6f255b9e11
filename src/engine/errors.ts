/** The errors of run-level requests (start, cancel, resume). */
import { defineError } from "../errors.js";

export const runNotFound = defineError(
  "WEFT_RUN_NOT_FOUND",
  'no run "{id}" in this store; list runs with `weft runs list`',
);
export const resumeNotNeeded = defineError(
  "WEFT_RUN_NOT_RESUMABLE",
  'run "{id}" {why}; use `weft resume {id} --from STEP` to run part of it again',
);
export const runStillRunning = defineError(
  "WEFT_RUN_BUSY",
  'run "{id}" is being worked on by {owner}; stop that process first, or wait for its lease to expire',
);

export const noActiveVersion = defineError(
  "WEFT_RUN_NO_ACTIVE_VERSION",
  'run "{id}" cannot resume on the active version: workflow {workflow} is not deployed any more; resume it on its pinned version',
);
export const activeIncompatible = defineError(
  "WEFT_RUN_VERSION_INCOMPATIBLE",
  'run "{id}" cannot resume on the active version of {workflow}: its steps differ ({diff}); resume it on its pinned version or start a new run',
);
