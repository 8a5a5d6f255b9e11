/**
 * Retry and timeout policies: the step's own settings, over the workflow's `defaults`, over
 * the built-in defaults. Durations become milliseconds here so nothing later parses text.
 */
import { parseDuration } from "../spec/duration.js";
import type { Diagnostic, LoadedDocument, RetrySpec, StepSpec, WorkflowSpec } from "../spec/types.js";
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS } from "./defaults.js";
import { badDuration } from "./errors.js";
import { type DocPath, diagnosticAt } from "./report.js";
import type { RetryPolicy } from "./types.js";

export interface ResolvedPolicies {
  retry: RetryPolicy;
  timeoutMs: number;
}

/** Resolves the workflow-wide defaults once; every step then starts from the result. */
export function resolveWorkflowDefaults(
  spec: WorkflowSpec,
  doc: LoadedDocument,
  diagnostics: Diagnostic[],
): ResolvedPolicies {
  const defaults = spec.defaults ?? {};
  const base: ResolvedPolicies = { retry: { ...DEFAULT_RETRY }, timeoutMs: DEFAULT_TIMEOUT_MS };
  return mergePolicies(base, defaults.retry, defaults.timeout, ["defaults"], doc, diagnostics);
}

export function resolveStepPolicies(
  base: ResolvedPolicies,
  step: StepSpec,
  at: DocPath,
  stepId: string,
  doc: LoadedDocument,
  diagnostics: Diagnostic[],
): ResolvedPolicies {
  if (step.retry === undefined && step.timeout === undefined)
    return { retry: { ...base.retry }, timeoutMs: base.timeoutMs };
  return mergePolicies(base, step.retry, step.timeout, at, doc, diagnostics, stepId);
}

function mergePolicies(
  base: ResolvedPolicies,
  retry: RetrySpec | undefined,
  timeout: string | undefined,
  at: DocPath,
  doc: LoadedDocument,
  diagnostics: Diagnostic[],
  stepId?: string,
): ResolvedPolicies {
  const ms = (value: string | undefined, path: DocPath, fallback: number): number => {
    if (value === undefined) return fallback;
    try {
      return parseDuration(value);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      diagnostics.push(
        diagnosticAt(doc, path, badDuration({ reason }), stepId === undefined ? {} : { stepId }),
      );
      return fallback;
    }
  };
  const r = retry ?? {};
  return {
    retry: {
      attempts: r.attempts ?? base.retry.attempts,
      backoff: r.backoff ?? base.retry.backoff,
      delayMs: ms(r.delay, [...at, "retry", "delay"], base.retry.delayMs),
      maxDelayMs: ms(r.maxDelay, [...at, "retry", "maxDelay"], base.retry.maxDelayMs),
      jitter:
        r.jitter === undefined
          ? base.retry.jitter
          : r.jitter === true
            ? 1
            : r.jitter === false
              ? 0
              : r.jitter,
    },
    timeoutMs: ms(timeout, [...at, "timeout"], base.timeoutMs),
  };
}
