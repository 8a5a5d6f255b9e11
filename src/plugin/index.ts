// The public plugin API (`weft/plugin`): re-exported by name so the surface stays narrow.
export { defineStep, definePlugin } from "./define.js";
export { NonRetryableError, RetryableError } from "./errors.js";
export { PLUGIN_API_VERSION } from "./types.js";
export type {
  Checkpoint,
  DryRunContext,
  JsonSchema,
  Plugin,
  RunInfo,
  StepContext,
  StepLogger,
  StepType,
} from "./types.js";
