/** Builds what a step's templates may see, loading dependency results only when needed. */
import type { CompiledStep, CompiledWorkflow } from "../compile/types.js";
import type { RunRecord, StepStatus, Store } from "../store/types.js";
import type { TemplateScope } from "../template/index.js";
import type { SecretProvider } from "./secrets.js";

export interface StepResult {
  status: StepStatus;
  output: unknown;
}

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

export function buildScope(args: {
  run: RunRecord;
  plan: CompiledWorkflow;
  versionLabel: string;
  step: CompiledStep;
  attempt: number;
  results: Map<string, StepResult>;
  secrets: SecretProvider;
  item?: { value: unknown; index: number };
}): TemplateScope {
  const steps: Record<string, { output?: unknown; status?: string }> = Object.create(null);
  for (const [id, r] of args.results) steps[id] = { output: r.output, status: r.status };
  const secrets: Record<string, string> = Object.create(null);
  for (const name of args.plan.secrets) {
    const v = args.secrets.get(name);
    if (v !== undefined) secrets[name] = v;
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
