// The public plugin API (`weft/plugin`): re-exported by name so the surface stays narrow.
export { definePlugin, defineStep, type ResolvedInput, type StepDefinition } from "./define.js";
export { DURATION_PATTERN, parseDuration } from "./duration.js";
export { NonRetryableError, RetryableError } from "./errors.js";
export type {
  Checkpoint,
  DryRunContext,
  InputOf,
  JsonSchema,
  Plugin,
  RunInfo,
  StepContext,
  StepLogger,
  StepType,
} from "./types.js";
export { PLUGIN_API_VERSION } from "./types.js";
