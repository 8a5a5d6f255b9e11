/**
 * Every template string of a valid workflow with its document path and the names it reads,
 * so lints can point at the exact value a finding is about.
 */
import { walkStrings } from "../compile/references.js";
import type { DocPath } from "../compile/report.js";
import type { StepTypeLookup } from "../plugin/registry.js";
import type { StepSpec, WorkflowSpec } from "../spec/types.js";
import { compileTemplate, hasTemplate, type TemplateRef } from "../template/index.js";

export type StepGroup = "steps" | "onFailure";

export interface TemplateSite {
  path: DocPath;
  text: string;
  refs: readonly TemplateRef[];
  /** Absent for workflow-level templates (`concurrency.key`, `idempotencyKey`). */
  stepId?: string;
  group?: StepGroup;
}

export function stepEntries(spec: WorkflowSpec): Array<[StepGroup, string, StepSpec]> {
  const out: Array<[StepGroup, string, StepSpec]> = [];
  for (const [id, step] of Object.entries(spec.steps)) out.push(["steps", id, step]);
  for (const [id, step] of Object.entries(spec.onFailure ?? {})) out.push(["onFailure", id, step]);
  return out;
}

export function templateSites(spec: WorkflowSpec, types: StepTypeLookup): TemplateSite[] {
  const sites: TemplateSite[] = [];
  const add = (text: string, path: DocPath, step?: { id: string; group: StepGroup }) => {
    if (!hasTemplate(text)) return;
    let refs: readonly TemplateRef[];
    try {
      refs = compileTemplate(text).refs;
    } catch {
      return; // validation already reported it; lints only read workflows that compiled
    }
    const site: TemplateSite = { path, text, refs };
    if (step) {
      site.stepId = step.id;
      site.group = step.group;
    }
    sites.push(site);
  };
  if (spec.idempotencyKey !== undefined) add(spec.idempotencyKey, ["idempotencyKey"]);
  if (spec.concurrency?.key !== undefined) add(spec.concurrency.key, ["concurrency", "key"]);
  for (const [group, id, step] of stepEntries(spec)) {
    const at: DocPath = [group, id];
    const literal = types.get(step.uses)?.literalInputs ?? [];
    const owner = { id, group };
    for (const [key, value] of Object.entries(step.with ?? {})) {
      if (literal.includes(key)) continue;
      walkStrings(value, [...at, "with", key], (text, path) => add(text, path, owner));
    }
    if (typeof step.if === "string") add(step.if, [...at, "if"], owner);
    if (typeof step.forEach === "string") add(step.forEach, [...at, "forEach"], owner);
  }
  return sites;
}
