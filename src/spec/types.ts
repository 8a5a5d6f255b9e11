/** Shapes shared by loading, validation and compilation of workflow files. */

export type Severity = "error" | "warning";

/** One problem found in a workflow file, pointing at the exact place. */
export interface Diagnostic {
  /** Stable id, e.g. `WEFT_SPEC_UNKNOWN_KEY`, or a lint id such as `shell-injection`. */
  code: string;
  severity: Severity;
  message: string;
  /** One line telling the author what to do ("did you mean `needs`?"). */
  hint?: string;
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  /** Dotted path inside the document, e.g. `steps.fetch.with.url`. */
  path?: string;
  stepId?: string;
}

/** Maps a path inside the parsed document (`["steps","fetch","with"]`) to its source range. */
export interface PositionMap {
  file: string;
  source: string;
  /** Position of the value at `path` (or the nearest existing ancestor). */
  valueAt(path: ReadonlyArray<string | number>): {
    line: number;
    col: number;
    endLine: number;
    endCol: number;
  };
  /** Position of the key naming `path`'s last segment, when it is a map key. */
  keyAt(path: ReadonlyArray<string | number>): { line: number; col: number; endLine: number; endCol: number };
}

export interface LoadedDocument {
  file: string;
  /** Plain JSON-compatible data (no Maps, no anchors, `__proto__` keys inert). */
  data: unknown;
  positions: PositionMap;
}

export type InputType = "string" | "number" | "integer" | "boolean" | "object" | "array";

export interface InputSpec {
  type: InputType;
  description?: string;
  default?: unknown;
  required?: boolean;
  enum?: unknown[];
}

export interface RetrySpec {
  attempts?: number;
  backoff?: "fixed" | "exponential";
  delay?: string;
  maxDelay?: string;
  jitter?: boolean | number;
}

export interface StepSpec {
  uses: string;
  with?: Record<string, unknown>;
  needs?: string[];
  if?: string;
  forEach?: string | unknown[];
  concurrency?: number;
  retry?: RetrySpec;
  timeout?: string;
  continueOnError?: boolean;
  description?: string;
}

export interface ScheduleSpec {
  cron: string;
  timezone?: string;
  catchup?: "none" | "latest" | "all";
}

/** A workflow after it passed schema validation (the raw YAML is never used past compile). */
export interface WorkflowSpec {
  name: string;
  description?: string;
  inputs?: Record<string, InputSpec>;
  on?: {
    schedule?: ScheduleSpec[];
    webhook?: { secret: string; deliveryHeader?: string };
    manual?: Record<string, never>;
  };
  concurrency?: { limit: number; key?: string; onLimit?: "queue" | "skip" };
  idempotencyKey?: string;
  defaults?: { retry?: RetrySpec; timeout?: string };
  steps: Record<string, StepSpec>;
  onFailure?: Record<string, StepSpec>;
}
