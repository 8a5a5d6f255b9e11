/**
 * Reads every template in a step (`with`, `if`, `forEach`) and in the workflow-level keys,
 * checks the names each one uses, and returns the `steps.<id>` references that become edges.
 */

import { suggest } from "../spec/suggest.js";
import type { Diagnostic, LoadedDocument, StepSpec } from "../spec/types.js";
import {
  badTemplate,
  conditionNotTemplate,
  itemOutsideForEach,
  stepRefNotAllowed,
  unknownInput,
  unknownTemplateName,
} from "./errors.js";
import { type DocPath, diagnosticAt } from "./report.js";
import { isTemplate, type TemplateRef, type TemplateScanner } from "./templates.js";

/** A `steps.<id>` use found in a template or a `needs` entry, with where it was written. */
export interface StepRefSite {
  ref: string;
  path: DocPath;
  /** The step's own path (`["steps", id]`), to name the field in messages. */
  base: DocPath;
  viaNeeds: boolean;
}

/** Words for messages: "needs" or "refers (in with.url) to". Built only when reporting. */
export function howOf(site: StepRefSite): string {
  return site.viaNeeds ? "needs" : `refers (in ${dotted(site.path, site.base)}) to`;
}

const STEP_ROOTS = ["inputs", "steps", "run", "trigger", "secrets"];
const LOOP_ROOTS = ["item", "index"];
const STEP_AND_LOOP_ROOTS = [...STEP_ROOTS, ...LOOP_ROOTS];
const WORKFLOW_ROOTS = ["inputs", "trigger"];
const STEP_FIELDS = ["output", "status"];

export interface TemplateContext {
  doc: LoadedDocument;
  scanner: TemplateScanner;
  inputs: ReadonlySet<string>;
  secrets: Set<string>;
  diagnostics: Diagnostic[];
}

/** Collects the edges of one step and reports the template problems in it. */
export function stepReferences(
  ctx: TemplateContext,
  id: string,
  step: StepSpec,
  at: DocPath,
  literalInputs: ReadonlyArray<string>,
): StepRefSite[] {
  const sites: StepRefSite[] = [];
  (step.needs ?? []).forEach((ref, i) => {
    sites.push({ ref, path: [...at, "needs", i], base: at, viaNeeds: true });
  });
  const loop = step.forEach !== undefined;
  const visit = (value: unknown, path: DocPath, allowLoop: boolean) => {
    walkStrings(value, path, (text, where) => {
      if (!isTemplate(text)) return;
      const field = () => dotted(where, at);
      const refs = checkTemplate(ctx, text, where, field, id, allowLoop ? STEP_AND_LOOP_ROOTS : STEP_ROOTS);
      for (const r of refs) {
        if (r.root !== "steps" || r.path[0] === undefined) continue;
        sites.push({ ref: r.path[0], path: where, base: at, viaNeeds: false });
      }
    });
  };
  if (step.with) {
    for (const [key, value] of Object.entries(step.with)) {
      if (literalInputs.includes(key)) continue;
      visit(value, [...at, "with", key], loop);
    }
  }
  if (step.if !== undefined) {
    if (typeof step.if !== "string" || !isTemplate(step.if)) {
      ctx.diagnostics.push(
        diagnosticAt(ctx.doc, [...at, "if"], conditionNotTemplate({ step: id }), { stepId: id }),
      );
    } else {
      visit(step.if, [...at, "if"], false);
    }
  }
  if (step.forEach !== undefined) visit(step.forEach, [...at, "forEach"], false);
  return sites;
}

/** Workflow-level templates (`idempotencyKey`, `concurrency.key`) run before any step. */
export function workflowTemplate(ctx: TemplateContext, text: string, path: DocPath): void {
  if (!isTemplate(text)) return;
  checkTemplate(ctx, text, path, () => path.join("."), undefined, WORKFLOW_ROOTS);
}

function checkTemplate(
  ctx: TemplateContext,
  text: string,
  path: DocPath,
  fieldOf: () => string,
  stepId: string | undefined,
  allowed: ReadonlyArray<string>,
): TemplateRef[] {
  const extra = stepId === undefined ? {} : { stepId };
  const scan = ctx.scanner.scan(text, () => ({ path: path.join(".") }));
  if (!scan.ok) {
    const d = diagnosticAt(ctx.doc, path, badTemplate({ message: scan.message }), extra);
    d.code = scan.code;
    ctx.diagnostics.push(d);
    return [];
  }
  const ok: TemplateRef[] = [];
  for (const r of scan.refs) {
    if (!allowed.includes(r.root)) {
      ctx.diagnostics.push(
        diagnosticAt(
          ctx.doc,
          path,
          rootError(r.root, fieldOf(), stepId, allowed),
          withHint(extra, r.root, allowed),
        ),
      );
      continue;
    }
    if (r.root === "secrets" && r.path[0] !== undefined) ctx.secrets.add(r.path[0]);
    if (r.root === "inputs" && r.path[0] !== undefined && !ctx.inputs.has(r.path[0])) {
      const hint = hintFor(r.path[0], [...ctx.inputs]);
      ctx.diagnostics.push(
        diagnosticAt(ctx.doc, path, unknownInput({ name: r.path[0] }), hint ? { ...extra, hint } : extra),
      );
      continue;
    }
    if (r.root === "steps" && r.path[1] !== undefined && !STEP_FIELDS.includes(r.path[1])) {
      const name = `steps.${r.path[0]}.${r.path[1]}`;
      const err = unknownTemplateName({
        name,
        field: fieldOf(),
        allowed: "steps.<id>.output and steps.<id>.status",
      });
      ctx.diagnostics.push(diagnosticAt(ctx.doc, path, err, withHint(extra, r.path[1], STEP_FIELDS)));
      continue;
    }
    ok.push(r);
  }
  return ok;
}

function rootError(root: string, field: string, stepId: string | undefined, allowed: ReadonlyArray<string>) {
  if (LOOP_ROOTS.includes(root) && stepId !== undefined)
    return itemOutsideForEach({ name: root, step: stepId, field });
  if (root === "steps") return stepRefNotAllowed({ field, ref: "<id>" });
  return unknownTemplateName({ name: root, field, allowed: allowed.join(", ") });
}

function withHint(extra: { stepId?: string }, name: string, candidates: ReadonlyArray<string>) {
  const hint = hintFor(name, candidates);
  return hint ? { ...extra, hint } : extra;
}

export function hintFor(name: string, candidates: ReadonlyArray<string>): string | undefined {
  const near = suggest(name, candidates);
  return near === undefined ? undefined : `did you mean "${near}"?`;
}

function dotted(path: DocPath, base: DocPath): string {
  return path.slice(base.length).join(".");
}

/** Calls `fn` for every string inside a YAML value, with its path. */
export function walkStrings(value: unknown, path: DocPath, fn: (text: string, path: DocPath) => void): void {
  if (typeof value === "string") fn(value, path);
  else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walkStrings(v, [...path, i], fn);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], fn);
  }
}
