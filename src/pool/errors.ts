import { defineError, type WeftErrorData } from "../errors.js";

// Codes the pool reports for an attempt; the engine reads `retryable`, never the class.
export const stepTimeout = defineError(
  "WEFT_STEP_TIMEOUT",
  "step {step} timed out after {timeout}{how}; raise its `timeout` or make it faster",
);
export const stepCancelled = defineError("WEFT_STEP_CANCELLED", "step {step} was cancelled{how}");
export const workerCrashed = defineError(
  "WEFT_WORKER_CRASHED",
  "the worker thread running step {step} died: {reason}; the attempt failed and the thread was replaced",
);
export const workerOom = defineError(
  "WEFT_WORKER_OOM",
  "the worker thread running step {step} ran out of memory (limit {limitMb} MB old generation); reduce what the step holds in memory or raise the pool's resourceLimits",
);
export const outputInvalid = defineError(
  "WEFT_STEP_OUTPUT_INVALID",
  "step {step} returned output that is not plain data: {path} is {what}; return only objects, arrays, strings, numbers, booleans and null",
);
export const pluginLoadFailed = defineError(
  "WEFT_PLUGIN_LOAD_FAILED",
  "cannot load step type {stepType} from {module}: {reason}",
);
export const poolClosed = defineError(
  "WEFT_POOL_CLOSED",
  "step {step} was stopped because the worker pool shut down; it will run again when the engine resumes",
);

/** WeftError data with the retry decision attached (WeftError.toData() does not carry it). */
export function withRetry(data: WeftErrorData, retryable: boolean): WeftErrorData & { retryable: boolean } {
  return { ...data, retryable };
}
