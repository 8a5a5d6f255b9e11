/**
 * Built-in policy defaults, in one place (Temporal's compileWorkerOptions habit): a step's
 * own settings win over the workflow's `defaults`, which win over these. Nothing downstream
 * of compile reads raw durations or falls back on its own.
 */
import type { RetryPolicy } from "./types.js";

export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 1,
  backoff: "exponential",
  delayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  jitter: 0,
});

export const DEFAULT_TIMEOUT_MS = 60 * 60_000;

/** Items of one `forEach` step running at the same time, when the step does not say. */
export const DEFAULT_FOREACH_CONCURRENCY = 4;

/** What a workflow-level `concurrency` block does when its limit is reached. */
export const DEFAULT_CONCURRENCY_ON_LIMIT = "queue" as const;

/** Next fire times computed per schedule, for the plan and `weft run --dry`. */
export const NEXT_FIRES_SHOWN = 3;
