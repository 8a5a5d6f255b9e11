/** Builds what a step's templates may see, loading dependency results only when needed. */
import type { CompiledStep, CompiledWorkflow } from "../compile/types.js";
import type { RunRecord, StepStatus, Store } from "../store/types.js";
import type { TemplateScope } from "../template/index.js";
import type { SecretProvider } from "./secrets.js";

export interface StepResult {
  status: StepStatus;
  output: unknown;
}

const NO_RESULTS: ReadonlyMap<string, StepResult> = new Map();

/** Results of finished steps per run, kept while this engine works on the run. */
export class ResultCache {
  private readonly runs = new Map<string, Map<string, StepResult>>();

  set(runId: string, stepId: string, result: StepResult): void {
    let m = this.runs.get(runId);
    if (!m) {
      m = new Map();
      this.runs.set(runId, m);
    }
    m.set(stepId, result);
  }

  forget(runId: string): void {
    this.runs.delete(runId);
  }

  /** The results of `stepIds` when all are cached (no store read needed), else undefined. */
  cached(runId: string, stepIds: string[]): ReadonlyMap<string, StepResult> | undefined {
    if (stepIds.length === 0) return NO_RESULTS;
    const m = this.runs.get(runId);
    if (!m) return undefined;
    const out = new Map<string, StepResult>();
    for (const id of stepIds) {
      const r = m.get(id);
      if (!r) return undefined;
      out.set(id, r);
    }
    return out;
  }

  async resolve(store: Store, runId: string, stepIds: string[]): Promise<Map<string, StepResult>> {
    const m = this.runs.get(runId);
    const missing = m ? stepIds.filter((id) => !m.has(id)) : stepIds;
    if (missing.length > 0) {
      const loaded = await store.stepResults(runId, missing);
      for (const [id, r] of loaded) this.set(runId, id, r);
    }
    const all = this.runs.get(runId) ?? new Map<string, StepResult>();
    const out = new Map<string, StepResult>();
    for (const id of stepIds) {
      const r = all.get(id);
      if (r) out.set(id, r);
    }
    return out;
  }
}

/**
 * Shared by every scope with no dependency results or no secrets: most steps have neither,
 * and a null-prototype object per step costs more than the rest of its scope.
 */
const NONE: Readonly<Record<string, never>> = Object.freeze(Object.create(null));

export function buildScope(args: {
  run: RunRecord;
  plan: CompiledWorkflow;
  versionLabel: string;
  step: CompiledStep;
  attempt: number;
  results: ReadonlyMap<string, StepResult>;
  secrets: SecretProvider;
  item?: { value: unknown; index: number };
}): TemplateScope {
  let steps = NONE as Record<string, { output?: unknown; status?: string }>;
  if (args.results.size > 0) {
    steps = Object.create(null);
    for (const [id, r] of args.results) steps[id] = { output: r.output, status: r.status };
  }
  let secrets = NONE as Record<string, string>;
  if (args.plan.secrets.length > 0) {
    secrets = Object.create(null);
    for (const name of args.plan.secrets) {
      const v = args.secrets.get(name);
      if (v !== undefined) secrets[name] = v;
    }
  }
  const scope: TemplateScope = {
    inputs: args.run.inputs,
    steps,
    run: { id: args.run.id, attempt: args.attempt, workflow: args.run.workflow, version: args.versionLabel },
    trigger: args.run.trigger as Record<string, unknown>,
    secrets,
  };
  if (args.item) {
    scope.item = args.item.value;
    scope.index = args.item.index;
  }
  return scope;
}
