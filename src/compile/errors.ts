/** The coded problems compilation reports. Each message says what to change. */
import { defineError } from "../errors.js";

export const unknownStepRef = defineError(
  "WEFT_COMPILE_UNKNOWN_STEP",
  'step "{step}" {how} "{ref}", which is not a step of this workflow',
);
export const selfReference = defineError(
  "WEFT_COMPILE_SELF_REFERENCE",
  'step "{step}" {how} itself; a step can only use the outputs of other steps',
);
export const dependencyCycle = defineError(
  "WEFT_COMPILE_CYCLE",
  "steps wait for each other in a loop: {loop} ({where}); remove one of these needs or references",
);
export const badTemplate = defineError("WEFT_COMPILE_TEMPLATE", "{message}");
export const unknownTemplateName = defineError(
  "WEFT_COMPILE_UNKNOWN_NAME",
  '"{name}" is not available in {field}; templates here can use {allowed}',
);
export const unknownInput = defineError(
  "WEFT_COMPILE_UNKNOWN_INPUT",
  '"inputs.{name}" is not declared; add it under `inputs:` or fix the name',
);
export const itemOutsideForEach = defineError(
  "WEFT_COMPILE_ITEM_OUTSIDE_FOREACH",
  '"{name}" is only defined in the `with` of a step that has `forEach`; step "{step}" uses it in {field}',
);
export const conditionNotTemplate = defineError(
  "WEFT_COMPILE_IF_NOT_TEMPLATE",
  'the `if` of step "{step}" must be a template such as "{{ eq inputs.env \\"prod\\" }}"',
);
export const referencesOnFailure = defineError(
  "WEFT_COMPILE_ONFAILURE_REFERENCE",
  'step "{step}" {how} "{ref}", an onFailure step; onFailure steps run only after the main steps failed, so main steps cannot use them',
);
export const onFailureNeedsMain = defineError(
  "WEFT_COMPILE_ONFAILURE_NEEDS_MAIN",
  'onFailure step "{step}" lists main step "{ref}" in `needs`; onFailure steps always run after the main steps, so remove it (its outputs stay usable in templates)',
);
export const duplicateStepId = defineError(
  "WEFT_COMPILE_DUPLICATE_STEP",
  'step id "{step}" is used both under `steps` and under `onFailure`; rename one of them',
);
export const unknownStepType = defineError(
  "WEFT_COMPILE_UNKNOWN_STEP_TYPE",
  'step "{step}" uses "{uses}", which is not a known step type',
);
export const badDuration = defineError("WEFT_COMPILE_BAD_DURATION", "{reason}");
export const badCron = defineError(
  "WEFT_COMPILE_BAD_CRON",
  'cron expression "{cron}" is invalid: {reason}. Use five fields: minute hour day-of-month month day-of-week',
);
export const badTimezone = defineError(
  "WEFT_COMPILE_BAD_TIMEZONE",
  'timezone "{timezone}" is not an IANA time zone; use a name such as Europe/Berlin or UTC',
);
export const stepRefNotAllowed = defineError(
  "WEFT_COMPILE_STEP_REF_NOT_ALLOWED",
  '{field} is evaluated before any step runs, so it cannot use "steps.{ref}"',
);
export const pathNotFound = defineError(
  "WEFT_COMPILE_PATH_NOT_FOUND",
  "{path} does not exist; pass a workflow file or a folder of workflows",
);
export const duplicateWorkflowName = defineError(
  "WEFT_COMPILE_DUPLICATE_NAME",
  'workflow name "{name}" is also used by {other}; every workflow needs its own name',
);
