/** The engine's coded errors: of run-level requests (start, cancel, resume) and of one step's handling. */
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

// What can go wrong with one claimed step before or after it runs.
export const stepMissing = defineError(
  "WEFT_STEP_NOT_IN_PLAN",
  "step {stepId} is not part of version {version} of workflow {workflow}",
);
export const typeMissing = defineError(
  "WEFT_STEP_TYPE_UNKNOWN",
  'step {stepId} uses "{uses}", which no loaded plugin provides; check the plugins in weft.config.yaml',
);
export const forEachNotArray = defineError(
  "WEFT_STEP_FOREACH_NOT_ARRAY",
  "forEach of step {stepId} must evaluate to an array; got {got}",
);
export const forEachTooMany = defineError(
  "WEFT_STEP_FOREACH_TOO_MANY",
  "forEach of step {stepId} produced {count} items, over the limit of {limit}; split the list into batches (e.g. chunk it in the step that produces it) and loop over the batches",
);
export const outputTooLarge = defineError(
  "WEFT_STEP_OUTPUT_TOO_LARGE",
  "output of step {stepId} is {size} bytes, over the {limit}-byte limit; return less (write big data to a file or an external store and return its location)",
);
export const itemsFailed = defineError(
  "WEFT_STEP_ITEMS_FAILED",
  "{failed} of {total} items of step {stepId} failed; first: {first}",
);
