import type { WeftErrorData } from "../errors.js";
import { poolClosed, stepCancelled, stepTimeout, withRetry, workerCrashed, workerOom } from "./errors.js";

/** Why the main thread asked a step to stop, if it did. */
export type StopReason = "timeout" | "cancel" | "shutdown";

export interface StopInfo {
  step: string;
  reason: StopReason;
  timeoutMs: number;
  graceMs: number;
  /** True when the grace period ran out and the thread was terminated. */
  terminated: boolean;
}

/** The error for an attempt the main thread stopped (the step's own error is not the story). */
export function stoppedError(stop: StopInfo): WeftErrorData {
  const how = stop.terminated
    ? ` and did not stop within ${formatMs(stop.graceMs)} after its signal was aborted, so its worker thread was terminated`
    : "";
  switch (stop.reason) {
    case "timeout":
      return withRetry(
        stepTimeout({ step: stop.step, timeout: formatMs(stop.timeoutMs), how }).toData(),
        true,
      );
    case "cancel":
      return withRetry(stepCancelled({ step: stop.step, how }).toData(), false);
    case "shutdown":
      return withRetry(poolClosed({ step: stop.step }).toData(), true);
  }
}

/** piscina rejected without us stopping the task: the thread died under the step. */
export function crashError(step: string, err: unknown, limitMb: number): WeftErrorData {
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  if (e?.code === "ERR_WORKER_OUT_OF_MEMORY") {
    return withRetry(workerOom({ step, limitMb }).toData(), true);
  }
  const message = typeof e?.message === "string" ? e.message : String(err);
  const exit = /^worker exited with code: (-?\d+)/.exec(message);
  const reason = exit
    ? `it exited with code ${exit[1]} (a step calling process.exit() ends its worker thread)`
    : `uncaught ${typeof e?.name === "string" ? e.name : "error"} outside the step's promise: ${message}`;
  return withRetry(workerCrashed({ step, reason }).toData(), true);
}

export function formatMs(ms: number): string {
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
