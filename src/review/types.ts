/**
 * Shapes of the review area: lint findings (diagnostics that may be silenced), the lint
 * rules, and the plan report that `weft plan` renders as text, Markdown, JSON or annotations.
 */
import type { CompiledWorkflow } from "../compile/types.js";
import type { StepTypeLookup } from "../plugin/registry.js";
import type { Diagnostic, LoadedDocument, Severity, WorkflowSpec } from "../spec/types.js";

/** A `# weft-ignore:` comment that covered a finding. */
export interface Silence {
  /** 1-based line of the comment. */
  line: number;
  /** Text after ` -- ` in the comment, when the author gave one. */
  reason?: string;
}

/** A validation diagnostic or a lint finding; only lint findings can be silenced. */
export interface Finding extends Diagnostic {
  silenced?: Silence;
}

/** What a lint reads: one workflow that loaded and compiled. */
export interface LintContext {
  plan: CompiledWorkflow;
  spec: WorkflowSpec;
  doc: LoadedDocument;
  types: StepTypeLookup;
  /** Environment the secret provider reads (`WEFT_SECRET_<NAME>`). */
  env: Record<string, string | undefined>;
  /** The instant "the next year" starts from for schedule checks. */
  now: Date;
}

export interface LintRule {
  /** Stable kebab-case id, used in output and in `# weft-ignore:` comments. */
  id: string;
  severity: Severity;
  /** One line: what it catches (shown by docs/lints.md and the tests that keep it in sync). */
  summary: string;
  check(ctx: LintContext): Finding[];
}

export type WorkflowStatus = "added" | "removed" | "renamed" | "changed";

/** One field of a step that differs; values are rendered as JSON text, secrets masked. */
export interface FieldChange {
  field: string;
  before?: string;
  after?: string;
}

export interface StepRef {
  id: string;
  uses: string;
  /** "steps" for the main DAG, "onFailure" for failure handlers. */
  group: "steps" | "onFailure";
}

export interface StepChange extends StepRef {
  fields: FieldChange[];
}

export interface Edge {
  /** The step that must finish first. */
  from: string;
  to: string;
}

export interface TriggerView {
  kind: "schedule" | "webhook" | "manual";
  cron?: string;
  timezone?: string;
  catchup?: string;
  secret?: string;
  /** Next three fire times in the trigger's own time zone (schedules of a valid workflow). */
  nextFires?: string[];
}

export interface WorkflowChange {
  name: string;
  status: WorkflowStatus;
  file: { base?: string; head?: string };
  /** False when the head version does not compile: the diff is read from the raw YAML. */
  headValid: boolean;
  steps: { added: StepRef[]; removed: StepRef[]; changed: StepChange[] };
  edges: { added: Edge[]; removed: Edge[] };
  /** Both full lists when any trigger differs; absent when the triggers are the same. */
  triggers?: { before: TriggerView[]; after: TriggerView[] };
  concurrency?: { before?: string; after?: string };
  /** Secret names the head references that the base version did not. */
  newSecrets: string[];
  /** For the Mermaid graph: every head step and edge (with removed ones kept for context). */
  graph: WorkflowGraph;
}

export interface WorkflowGraph {
  steps: Array<StepRef & { mark: "added" | "removed" | "changed" | "same" }>;
  edges: Array<Edge & { group: "steps" | "onFailure"; mark: "added" | "removed" | "same" }>;
}

export interface RevisionInfo {
  ref: string;
  commit: string;
}

export interface PlanSummary {
  added: number;
  removed: number;
  renamed: number;
  changed: number;
  unchanged: number;
  errors: number;
  warnings: number;
  silenced: number;
}

export interface PlanReport {
  version: 1;
  base: RevisionInfo;
  head: RevisionInfo;
  dir: string;
  /** True when the head is valid and has no unsilenced error finding (exit 0). */
  valid: boolean;
  summary: PlanSummary;
  workflows: WorkflowChange[];
  /** Every validation error and lint finding on the head, sorted by file and position. */
  findings: Finding[];
  notes: string[];
}
