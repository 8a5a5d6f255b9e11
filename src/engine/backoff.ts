import type { RetryPolicy } from "../compile/types.js";

/**
 * Delay before attempt `attempt + 1`, after `attempt` attempts failed. Exponential doubles
 * from `delayMs`, capped at `maxDelayMs`; `jitter` randomises that fraction of the delay
 * downwards (1 = "full jitter"), so many failing steps do not retry in lockstep.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exp = policy.backoff === "exponential" ? 2 ** Math.max(0, attempt - 1) : 1;
  const base = Math.min(policy.delayMs * exp, policy.maxDelayMs);
  const jitter = Math.min(Math.max(policy.jitter, 0), 1);
  return Math.round(base - base * jitter * random());
}
