/**
 * The compiled plan: everything the engine, the reviewer and the dry run read. It is plain
 * JSON (stored with each workflow version), with every default already resolved.
 */
import type { SourceLocation } from "../errors.js";
import type { InputSpec } from "../spec/types.js";

export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  attempts: number;
  backoff: "fixed" | "exponential";
  delayMs: number;
  maxDelayMs: number;
  /** Fraction of the delay randomised (0 = none, 1 = full jitter). */
  jitter: number;
}

export interface CompiledStep {
  id: string;
  uses: string;
  /** Raw `with` values; strings may hold templates, rendered at claim time. */
  with: Record<string, unknown>;
  /** Every step this one waits for: explicit `needs` plus template references, sorted. */
  needs: string[];
  /** Only the ones written in `needs`. */
  explicitNeeds: string[];
  if?: string;
  forEach?: { items: string | unknown[]; concurrency: number };
  retry: RetryPolicy;
  timeoutMs: number;
  continueOnError: boolean;
  location: SourceLocation;
  /** True for steps under `onFailure`. */
  onFailure: boolean;
  description?: string;
}

export interface CompiledTrigger {
  kind: "schedule" | "webhook" | "manual";
  cron?: string;
  timezone?: string;
  catchup?: "none" | "latest" | "all";
  /** Name of the secret holding the webhook HMAC key. */
  secret?: string;
  /** Header carrying the delivery id used to drop duplicate deliveries. */
  deliveryHeader?: string;
  /** ISO timestamps of the next three fires (schedule only), computed at compile time. */
  nextFires?: string[];
  location: SourceLocation;
}

export interface CompiledWorkflow {
  name: string;
  description?: string;
  file: string;
  /** sha256 of the source text; identifies a version together with `name`. */
  hash: string;
  inputs: Record<string, InputSpec>;
  triggers: CompiledTrigger[];
  concurrency?: { limit: number; key?: string; onLimit: "queue" | "skip" };
  idempotencyKey?: string;
  steps: Record<string, CompiledStep>;
  onFailure: Record<string, CompiledStep>;
  /** Step ids in topological waves: every step's needs are in earlier waves. */
  waves: string[][];
  /**
   * The same for the `onFailure` steps, which run only after the main steps failed. Their
   * `needs` hold onFailure steps only: main steps have finished by then.
   */
  onFailureWaves: string[][];
  /** For each step, the steps that need it. */
  dependents: Record<string, string[]>;
  /** Secret names referenced anywhere in templates. */
  secrets: string[];
}
