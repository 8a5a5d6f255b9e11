/**
 * spec → plan. Checks every reference between steps, builds the DAG from `needs` and
 * template references, reports every cycle, resolves policies and triggers, and returns a
 * plain-JSON plan the engine, the reviewer and the dry run read. Linear in the step count.
 */
import { createHash } from "node:crypto";
import type { StepTypeLookup } from "../plugin/registry.js";
import type { Diagnostic, LoadedDocument, StepSpec, WorkflowSpec } from "../spec/types.js";
import { DEFAULT_CONCURRENCY_ON_LIMIT, DEFAULT_FOREACH_CONCURRENCY } from "./defaults.js";
import {
  dependencyCycle,
  duplicateStepId,
  onFailureNeedsMain,
  referencesOnFailure,
  selfReference,
  unknownStepRef,
  unknownStepType,
} from "./errors.js";
import { cyclicComponents, loopThrough, topologicalWaves } from "./graph.js";
import { type ResolvedPolicies, resolveStepPolicies, resolveWorkflowDefaults } from "./policies.js";
import {
  hintFor,
  howOf,
  type StepRefSite,
  stepReferences,
  type TemplateContext,
  workflowTemplate,
} from "./references.js";
import { diagnosticAt, formatLocation, locationOf } from "./report.js";
import { TemplateScanner } from "./templates.js";
import { compileTriggers } from "./triggers.js";
import type { CompiledStep, CompiledWorkflow } from "./types.js";

export interface CompileOptions {
  /** The instant next fire times are computed from (tests pin it). */
  now?: Date;
}

export interface CompileResult {
  plan?: CompiledWorkflow;
  diagnostics: Diagnostic[];
}

type Group = "steps" | "onFailure";

export function compileWorkflow(
  spec: WorkflowSpec,
  doc: LoadedDocument,
  types: StepTypeLookup,
  opts: CompileOptions = {},
): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const ctx: TemplateContext = {
    doc,
    scanner: new TemplateScanner(),
    inputs: new Set(Object.keys(spec.inputs ?? {})),
    secrets: new Set(),
    diagnostics,
  };
  const main = spec.steps;
  const failure = spec.onFailure ?? {};
  for (const id of Object.keys(failure)) {
    if (Object.hasOwn(main, id)) {
      diagnostics.push(
        diagnosticAt(doc, ["onFailure", id], duplicateStepId({ step: id }), { stepId: id, atKey: true }),
      );
    }
  }
  if (spec.idempotencyKey !== undefined) workflowTemplate(ctx, spec.idempotencyKey, ["idempotencyKey"]);
  if (spec.concurrency?.key !== undefined)
    workflowTemplate(ctx, spec.concurrency.key, ["concurrency", "key"]);

  const defaults = resolveWorkflowDefaults(spec, doc, diagnostics);
  const dependents: Record<string, string[]> = {};
  const shared = { ctx, types, defaults, main, failure, dependents };
  const steps = compileGroup("steps", main, shared);
  const onFailure = compileGroup("onFailure", failure, shared);
  const triggers = compileTriggers(spec, doc, opts.now ?? new Date(), diagnostics);

  if (diagnostics.some((d) => d.severity === "error") || !steps.waves || !onFailure.waves)
    return { diagnostics };

  const plan: CompiledWorkflow = {
    name: spec.name,
    file: doc.file,
    hash: createHash("sha256").update(doc.positions.source).digest("hex"),
    inputs: spec.inputs ?? {},
    triggers,
    steps: steps.compiled,
    onFailure: onFailure.compiled,
    waves: steps.waves,
    onFailureWaves: onFailure.waves,
    dependents,
    secrets: [...ctx.secrets].sort(byCodePoint),
  };
  if (spec.description !== undefined) plan.description = spec.description;
  if (spec.concurrency) {
    plan.concurrency = {
      limit: spec.concurrency.limit,
      onLimit: spec.concurrency.onLimit ?? DEFAULT_CONCURRENCY_ON_LIMIT,
    };
    if (spec.concurrency.key !== undefined) plan.concurrency.key = spec.concurrency.key;
  }
  if (spec.idempotencyKey !== undefined) plan.idempotencyKey = spec.idempotencyKey;
  return { plan, diagnostics };
}

interface Shared {
  ctx: TemplateContext;
  types: StepTypeLookup;
  defaults: ResolvedPolicies;
  main: Record<string, StepSpec>;
  failure: Record<string, StepSpec>;
  /** Filled by both groups: for each step, the steps of its own group that need it. */
  dependents: Record<string, string[]>;
}

interface GroupResult {
  compiled: Record<string, CompiledStep>;
  waves?: string[][];
}

function compileGroup(group: Group, specs: Record<string, StepSpec>, shared: Shared): GroupResult {
  const { ctx, types, defaults } = shared;
  const { doc, diagnostics } = ctx;
  const ids = Object.keys(specs);
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    index.set(id, i);
  });
  const deps: number[][] = [];
  const compiled: Record<string, CompiledStep> = {};

  for (const id of ids) {
    const step = specs[id] as StepSpec;
    const at = [group, id];
    const type = types.get(step.uses);
    if (!type) {
      const hint = hintFor(step.uses, types.names());
      diagnostics.push(
        diagnosticAt(
          doc,
          [...at, "uses"],
          unknownStepType({ step: id, uses: step.uses }),
          hint ? { stepId: id, hint } : { stepId: id },
        ),
      );
    }
    const sites = stepReferences(ctx, id, step, at, type?.literalInputs ?? []);
    const own = new Set<number>();
    for (const site of sites) {
      const target = index.get(site.ref);
      if (site.ref === id) report(selfReference({ step: id, how: howOf(site) }), site, id);
      else if (target !== undefined) own.add(target);
      else reportForeign(group, site, id, shared);
    }
    const edges = [...own].sort((a, b) => byCodePoint(ids[a] as string, ids[b] as string));
    deps.push(edges);
    const policies = resolveStepPolicies(defaults, step, at, id, doc, diagnostics);
    const c: CompiledStep = {
      id,
      uses: step.uses,
      with: step.with ?? {},
      needs: edges.map((e) => ids[e] as string),
      explicitNeeds: [...new Set(step.needs ?? [])].filter((n) => n !== id).sort(byCodePoint),
      retry: policies.retry,
      timeoutMs: policies.timeoutMs,
      continueOnError: step.continueOnError ?? false,
      location: locationOf(doc, at, true),
      onFailure: group === "onFailure",
    };
    if (step.if !== undefined) c.if = step.if;
    if (step.forEach !== undefined) {
      c.forEach = { items: step.forEach, concurrency: step.concurrency ?? DEFAULT_FOREACH_CONCURRENCY };
    }
    if (step.description !== undefined) c.description = step.description;
    compiled[id] = c;
  }

  for (const component of cyclicComponents(deps)) {
    const start = component.reduce((a, b) => (byCodePoint(ids[a] as string, ids[b] as string) <= 0 ? a : b));
    const loop = loopThrough(start, component, deps).map((i) => ids[i] as string);
    const where = [...new Set(loop)]
      .map((id) => `${id} at ${formatLocation((compiled[id] as CompiledStep).location)}`)
      .join(", ");
    const first = loop[0] as string;
    diagnostics.push(
      diagnosticAt(doc, [group, first], dependencyCycle({ loop: loop.join(" → "), where }), {
        stepId: first,
        atKey: true,
      }),
    );
  }

  const waves = topologicalWaves(deps, (a, b) => byCodePoint(ids[a] as string, ids[b] as string));
  const needers: string[][] = ids.map(() => []);
  deps.forEach((edges, v) => {
    for (const w of edges) (needers[w] as string[]).push(ids[v] as string);
  });
  ids.forEach((id, i) => {
    shared.dependents[id] = (needers[i] as string[]).sort(byCodePoint);
  });
  const result: GroupResult = { compiled };
  if (waves) result.waves = waves.map((wave) => wave.map((i) => ids[i] as string));
  return result;

  function report(
    err: ReturnType<typeof selfReference>,
    site: StepRefSite,
    stepId: string,
    hint?: string,
  ): void {
    diagnostics.push(diagnosticAt(doc, site.path, err, hint ? { stepId, hint } : { stepId }));
  }
}

/** A reference to a step outside this group: allowed only from onFailure to a main step's outputs. */
function reportForeign(group: Group, site: StepRefSite, id: string, shared: Shared): void {
  const { doc, diagnostics } = shared.ctx;
  const args = { step: id, how: howOf(site), ref: site.ref };
  if (group === "steps" && Object.hasOwn(shared.failure, site.ref)) {
    diagnostics.push(diagnosticAt(doc, site.path, referencesOnFailure(args), { stepId: id }));
  } else if (group === "onFailure" && Object.hasOwn(shared.main, site.ref)) {
    if (site.viaNeeds)
      diagnostics.push(diagnosticAt(doc, site.path, onFailureNeedsMain(args), { stepId: id }));
  } else {
    const visible =
      group === "steps"
        ? Object.keys(shared.main)
        : [...Object.keys(shared.main), ...Object.keys(shared.failure)];
    const hint = hintFor(site.ref, visible);
    diagnostics.push(
      diagnosticAt(doc, site.path, unknownStepRef(args), hint ? { stepId: id, hint } : { stepId: id }),
    );
  }
}

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
