/**
 * A workflow reduced to what a reviewer compares: each step as named fields rendered to text,
 * the edges, triggers, concurrency and secrets. Read from the compiled plan when both sides
 * compile (effective policies, template edges, next fires), otherwise from the raw YAML, so a
 * broken head still shows what it changes.
 */
import type { CompiledStep, CompiledWorkflow, RetryPolicy } from "../compile/types.js";
import { formatDuration } from "../spec/duration.js";
import { hasTemplate } from "../template/index.js";
import type { RevisionWorkflow } from "./revision.js";
import type { StepGroup } from "./template-sites.js";
import type { TriggerView } from "./types.js";

export interface StepView {
  id: string;
  group: StepGroup;
  uses: string;
  /** Field name (`uses`, `with.url`, `retry`, …) → its value. */
  fields: Map<string, FieldValue>;
  /** Every step this one waits for (explicit `needs` and template references). */
  deps: string[];
}

export interface FieldValue {
  /** JSON text shown to the reviewer; literal credentials are `"***"`. */
  shown: string;
  /** JSON text compared between revisions (the unmasked value, never printed). */
  compared: string;
}

export interface WorkflowView {
  steps: Map<string, StepView>;
  triggers: TriggerView[];
  concurrency?: string;
  secrets: string[];
}

export type ViewMode = "plan" | "raw";

export const stepKey = (group: StepGroup, id: string) => `${group}:${id}`;

/**
 * @param mask redacts known secret values (the provider's) from shown text; literal values of
 *   credential-like keys are masked whatever it does.
 */
export function viewOf(
  w: RevisionWorkflow,
  mode: ViewMode,
  mask: (text: string) => string = (t) => t,
): WorkflowView {
  const view = mode === "plan" && w.plan ? planView(w.plan) : rawView(w.doc?.data);
  for (const step of view.steps.values()) {
    for (const value of step.fields.values()) value.shown = mask(value.shown);
  }
  if (view.concurrency !== undefined) view.concurrency = mask(view.concurrency);
  return view;
}

function planView(plan: CompiledWorkflow): WorkflowView {
  const steps = new Map<string, StepView>();
  const add = (s: CompiledStep) => {
    const group: StepGroup = s.onFailure ? "onFailure" : "steps";
    const fields = new Map<string, FieldValue>([["uses", plain(s.uses)]]);
    flattenWith(s.with, fields);
    if (s.explicitNeeds.length > 0) fields.set("needs", plain(s.explicitNeeds));
    if (s.if !== undefined) fields.set("if", plain(s.if));
    if (s.forEach) {
      fields.set("forEach", plain(s.forEach.items));
      fields.set("forEach.concurrency", plain(s.forEach.concurrency));
    }
    fields.set("retry", plain(retryText(s.retry)));
    fields.set("timeout", plain(formatDuration(s.timeoutMs)));
    if (s.continueOnError) fields.set("continueOnError", plain(true));
    steps.set(stepKey(group, s.id), { id: s.id, group, uses: s.uses, fields, deps: [...s.needs] });
  };
  for (const s of Object.values(plan.steps)) add(s);
  for (const s of Object.values(plan.onFailure)) add(s);
  const view: WorkflowView = {
    steps,
    triggers: plan.triggers.map((t) => {
      const v: TriggerView = { kind: t.kind };
      if (t.cron !== undefined) v.cron = t.cron;
      if (t.timezone !== undefined) v.timezone = t.timezone;
      if (t.catchup !== undefined) v.catchup = t.catchup;
      if (t.secret !== undefined) v.secret = t.secret;
      if (t.nextFires !== undefined) v.nextFires = [...t.nextFires];
      return v;
    }),
    secrets: secretsOf(plan.secrets, plan.triggers.find((t) => t.secret)?.secret),
  };
  if (plan.concurrency) {
    const c = plan.concurrency;
    const key = c.key === undefined ? "" : ` per key ${json(c.key)}`;
    view.concurrency = `limit ${c.limit}${key}, ${c.onLimit} when full`;
  }
  return view;
}

/** Best effort over unvalidated YAML: anything of the wrong shape is left out. */
function rawView(data: unknown): WorkflowView {
  const doc = asRecord(data);
  const steps = new Map<string, StepView>();
  const names = new Set<string>();
  for (const group of ["steps", "onFailure"] as const) {
    for (const [id, value] of Object.entries(asRecord(doc[group]))) {
      const s = asRecord(value);
      const uses = typeof s.uses === "string" ? s.uses : "?";
      const fields = new Map<string, FieldValue>([["uses", plain(uses)]]);
      flattenWith(asRecord(s.with), fields);
      for (const key of ["needs", "if", "forEach", "concurrency", "retry", "timeout", "continueOnError"]) {
        if (s[key] !== undefined)
          fields.set(key === "concurrency" ? "forEach.concurrency" : key, plain(s[key]));
      }
      const needs = Array.isArray(s.needs) ? s.needs.filter((n): n is string => typeof n === "string") : [];
      const refs = [...JSON.stringify([s.with, s.if, s.forEach]).matchAll(/\bsteps\.([A-Za-z0-9_-]+)/g)];
      const deps = [...new Set([...needs, ...refs.map((m) => m[1] as string)])]
        .filter((d) => d !== id)
        .sort();
      steps.set(stepKey(group, id), { id, group, uses, fields, deps });
      for (const m of JSON.stringify(s).matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g))
        names.add(m[1] as string);
    }
  }
  const on = asRecord(doc.on);
  const triggers: TriggerView[] = [];
  if (Array.isArray(on.schedule)) {
    for (const item of on.schedule) {
      const s = asRecord(item);
      const v: TriggerView = {
        kind: "schedule",
        cron: String(s.cron ?? ""),
        timezone: String(s.timezone ?? "UTC"),
      };
      v.catchup = String(s.catchup ?? "none");
      triggers.push(v);
    }
  }
  const webhook = asRecord(on.webhook).secret;
  if (on.webhook !== undefined) triggers.push({ kind: "webhook", secret: String(webhook ?? "") });
  if (on.manual !== undefined) triggers.push({ kind: "manual" });
  const view: WorkflowView = {
    steps,
    triggers,
    secrets: secretsOf([...names], typeof webhook === "string" ? webhook : undefined),
  };
  if (doc.concurrency !== undefined) view.concurrency = json(doc.concurrency);
  return view;
}

function secretsOf(names: string[], webhook: string | undefined): string[] {
  return [...new Set(webhook === undefined ? names : [...names, webhook])].sort();
}

export function retryText(r: RetryPolicy): string {
  if (r.attempts <= 1) return "no retry";
  const delays =
    r.backoff === "fixed"
      ? `every ${formatDuration(r.delayMs)}`
      : `exponential from ${formatDuration(r.delayMs)} up to ${formatDuration(r.maxDelayMs)}`;
  const jitter = r.jitter > 0 ? `, jitter ${Math.round(r.jitter * 100)}%` : "";
  return `${r.attempts} attempts, ${delays}${jitter}`;
}

/** Names whose literal values are credentials; templated values (`{{ secrets.X }}`) are shown. */
const SENSITIVE = /pass(word|wd)?|secret|token|api[-_]?key|auth|cookie|credential|private[-_]?key|signature/i;

/** `with` as dotted leaf fields; arrays are one value. Literal values of sensitive keys are masked. */
function flattenWith(value: Record<string, unknown>, out: Map<string, FieldValue>, prefix = "with"): void {
  for (const [key, v] of Object.entries(value)) {
    const field = `${prefix}.${key}`;
    if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0) {
      flattenWith(v as Record<string, unknown>, out, field);
    } else if (SENSITIVE.test(key) && !(typeof v === "string" && hasTemplate(v))) {
      out.set(field, { shown: json("***"), compared: json(v) });
    } else {
      out.set(field, plain(v));
    }
  }
}

function plain(v: unknown): FieldValue {
  const text = json(v);
  return { shown: text, compared: text };
}

function json(v: unknown): string {
  return JSON.stringify(v) ?? "null";
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
