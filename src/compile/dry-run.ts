/**
 * What a run would do, computed without running anything: each step's inputs rendered with
 * the run's inputs, values from earlier steps and secrets left as `<…>` placeholders,
 * conditions decided where they can be, and each step type's own `dryRun` description.
 * Plain JSON with a fixed key order: `weft run --dry --json` prints it as is.
 */
import type { StepTypeLookup } from "../plugin/registry.js";
import type { StepType } from "../plugin/types.js";
import { renderValue, type TemplateScope, templateRefs } from "../template/index.js";
import type { CompiledStep, CompiledTrigger, CompiledWorkflow, RetryPolicy } from "./types.js";

export interface DryRunStep {
  id: string;
  uses: string;
  description?: string;
  needs: string[];
  with: unknown;
  if?: { template: string; value: unknown };
  forEach?: { items: string | unknown[]; value: unknown; count?: number; concurrency: number };
  retry: RetryPolicy;
  timeoutMs: number;
  continueOnError: boolean;
  /** The step type's own one-line account of what it would do. */
  wouldDo?: string;
  /** A template that failed to render with the given inputs. */
  error?: string;
}

export interface DryRunWorkflow {
  file: string;
  name: string;
  description?: string;
  hash: string;
  inputs: Record<string, unknown>;
  triggers: Array<Omit<CompiledTrigger, "location">>;
  concurrency?: { limit: number; key?: unknown; onLimit: "queue" | "skip" };
  idempotencyKey?: unknown;
  secrets: string[];
  waves: string[][];
  steps: DryRunStep[];
  onFailure: { waves: string[][]; steps: DryRunStep[] };
}

export async function dryRunWorkflow(
  plan: CompiledWorkflow,
  inputs: Record<string, unknown>,
  types: StepTypeLookup,
): Promise<DryRunWorkflow> {
  const allSteps = [...Object.values(plan.steps), ...Object.values(plan.onFailure)];
  const base: TemplateScope = {
    inputs: withMissingInputs(plan, inputs),
    run: { id: "<run.id>", attempt: 1, workflow: plan.name, version: plan.hash },
    trigger: placeholderTree("trigger", [
      plan.idempotencyKey,
      plan.concurrency?.key,
      ...allSteps.flatMap((s) => [s.with, s.if, s.forEach?.items]),
    ]) as Record<string, unknown>,
    steps: {},
    secrets: {},
  };
  const stepsOf = async (waves: string[][], table: Record<string, CompiledStep>) => {
    const out: DryRunStep[] = [];
    for (const id of waves.flat()) out.push(await dryRunStep(table[id] as CompiledStep, base, types));
    return out;
  };
  const result: DryRunWorkflow = {
    file: plan.file,
    name: plan.name,
    hash: plan.hash,
    inputs,
    triggers: plan.triggers.map(({ location: _location, ...rest }) => rest),
    secrets: plan.secrets,
    waves: plan.waves,
    steps: await stepsOf(plan.waves, plan.steps),
    onFailure: { waves: plan.onFailureWaves, steps: await stepsOf(plan.onFailureWaves, plan.onFailure) },
  };
  if (plan.description !== undefined) result.description = plan.description;
  if (plan.concurrency) {
    const c = plan.concurrency;
    result.concurrency = { limit: c.limit, onLimit: c.onLimit };
    if (c.key !== undefined) result.concurrency.key = safeRender(c.key, base).value;
  }
  if (plan.idempotencyKey !== undefined) result.idempotencyKey = safeRender(plan.idempotencyKey, base).value;
  return result;
}

async function dryRunStep(
  step: CompiledStep,
  base: TemplateScope,
  types: StepTypeLookup,
): Promise<DryRunStep> {
  const errors: string[] = [];
  const render = (value: unknown, scope: TemplateScope) => {
    const r = safeRender(value, scope);
    if (r.error) errors.push(r.error);
    return r.value;
  };
  const out: DryRunStep = {
    id: step.id,
    uses: step.uses,
    needs: step.needs,
    with: undefined,
    retry: step.retry,
    timeoutMs: step.timeoutMs,
    continueOnError: step.continueOnError,
  };
  if (step.description !== undefined) out.description = step.description;
  let scope = base;
  if (step.forEach) {
    const value = render(step.forEach.items, base);
    out.forEach = { items: step.forEach.items, value, concurrency: step.forEach.concurrency };
    if (Array.isArray(value)) out.forEach.count = value.length;
    // The first item stands for all of them; an unknown list gets placeholders shaped by use.
    const item = Array.isArray(value) && value.length > 0 ? value[0] : placeholderTree("item", [step.with]);
    scope = { ...base, item, index: 0 };
  }
  if (step.if !== undefined) out.if = { template: step.if, value: render(step.if, base) };
  out.with = render(step.with, scope);
  const type = await stepTypeOf(types, step.uses);
  if (type?.dryRun && errors.length === 0) {
    try {
      out.wouldDo = type.dryRun({ input: out.with, step: { id: step.id } });
    } catch (err) {
      errors.push(`dryRun of ${step.uses} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (errors.length > 0) out.error = errors.join("; ");
  return out;
}

function safeRender(value: unknown, scope: TemplateScope): { value: unknown; error?: string } {
  try {
    return { value: renderValue(value, scope, { placeholders: true }) };
  } catch (err) {
    return { value, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Optional inputs with no value and no default show as `<inputs.name>` rather than failing. */
function withMissingInputs(plan: CompiledWorkflow, inputs: Record<string, unknown>): Record<string, unknown> {
  const all: Record<string, unknown> = { ...inputs };
  for (const name of Object.keys(plan.inputs)) if (!(name in all)) all[name] = `<inputs.${name}>`;
  return all;
}

/**
 * A stand-in for data only known at run time (`trigger`, `item`): every path the templates
 * read from `root` is filled with its own `<root.path>` text, so rendering shows where each
 * value will come from instead of failing on a missing name.
 */
export function placeholderTree(root: string, values: unknown[]): unknown {
  let tree: unknown;
  for (const ref of values.flatMap((v) => (v === undefined ? [] : safeRefs(v)))) {
    if (ref.root !== root) continue;
    if (ref.path.length === 0) {
      tree ??= `<${root}>`;
      continue;
    }
    if (typeof tree !== "object" || tree === null) tree = {};
    let node = tree as Record<string, unknown>;
    ref.path.forEach((key, i) => {
      const last = i === ref.path.length - 1;
      const existing = Object.hasOwn(node, key) ? node[key] : undefined;
      if (last) {
        if (existing === undefined) define(node, key, `<${[root, ...ref.path].join(".")}>`);
        return;
      }
      if (typeof existing !== "object" || existing === null) define(node, key, {});
      node = node[key] as Record<string, unknown>;
    });
  }
  return tree ?? {};
}

function define(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}

function safeRefs(value: unknown) {
  try {
    return templateRefs(value);
  } catch {
    return [];
  }
}

async function stepTypeOf(types: StepTypeLookup, name: string): Promise<StepType | undefined> {
  const info = types.get(name);
  if (!info) return undefined;
  if (info.stepType) return info.stepType;
  try {
    const mod = (await import(info.moduleUrl)) as { default?: StepType | { steps?: StepType[] } };
    const def = mod.default;
    if (def && "run" in def) return def;
    return def && "steps" in def ? def.steps?.find((s) => s.name === name) : undefined;
  } catch {
    return undefined;
  }
}
