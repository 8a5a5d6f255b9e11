/**
 * runWorkflow: a whole workflow on the real engine and worker pool against an in-memory (or
 * file) SQLite store, returning every step's status, output, error and attempts. Chosen steps
 * can be mocked. Retry delays are zeroed unless asked for, so a test of three attempts takes
 * milliseconds; attempts, retryability and timeouts behave as in production.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { compileWorkflow } from "../compile/compile.js";
import type { CompiledWorkflow } from "../compile/types.js";
import { Engine } from "../engine/engine.js";
import { staticSecrets } from "../engine/secrets.js";
import { defineError, type WeftErrorData } from "../errors.js";
import { loadStepTypes } from "../plugin/load.js";
import type { StepRegistry } from "../plugin/registry.js";
import { StepPool } from "../pool/index.js";
import { formatDiagnostics } from "../spec/format.js";
import { loadWorkflow } from "../spec/workflow-file.js";
import { SqliteStore } from "../store/sqlite/store.js";
import type { RunStatus, StepStatus, TriggerInfo } from "../store/types.js";
import { addMockType, applyMocks, type StepMock } from "./mocks.js";

export interface RunWorkflowOptions {
  inputs?: Record<string, unknown>;
  /** What started the run, visible to templates as `trigger` (default `{ kind: "test" }`). */
  trigger?: Partial<TriggerInfo>;
  /** Secrets for `{{ secrets.NAME }}` and ctx.secrets (nothing is read from the environment). */
  secrets?: Record<string, string>;
  /** Replace steps by id with fixed outcomes. */
  mocks?: Record<string, StepMock>;
  /** The workflow repository root: its plugins/ folder is loaded, and the workspace (default: cwd). */
  cwd?: string;
  /** npm plugin packages to load, as in weft.config.yaml `plugins:`. */
  packages?: string[];
  /** Further plugin modules (paths or file: URLs) whose default export is a step type or plugin. */
  plugins?: string[];
  /** "memory" (default) or a SQLite file path, to inspect the store afterwards. */
  store?: "memory" | string;
  /** Keep the workflow's retry delays (default: retries happen at once). */
  realRetryDelays?: boolean;
  /** Fail if the run has not finished after this long (default 60 s). */
  timeoutMs?: number;
  /** Worker threads (default 2). */
  poolSize?: number;
  /** Heap limit of each worker thread in MB (default 256, as in production). */
  workerMemoryMb?: number;
}

export interface StepResult {
  status: StepStatus;
  output: unknown;
  error: WeftErrorData | null;
  /** Attempts started (0 for a step that never ran). */
  attempts: number;
  /** For forEach steps: one result per item, in order. */
  items?: StepResult[];
}

export interface RunWorkflowResult {
  run: { id: string; workflow: string; status: RunStatus; error: WeftErrorData | null };
  steps: Record<string, StepResult>;
}

const workflowInvalid = defineError("WEFT_TEST_WORKFLOW_INVALID", "the workflow is invalid:\n{detail}");
const pluginProblems = defineError("WEFT_TEST_PLUGIN_PROBLEMS", "plugins failed to load:\n{detail}");
const runTimeout = defineError(
  "WEFT_TEST_RUN_TIMEOUT",
  "run {runId} of {workflow} did not finish within {ms} ms; steps: {steps}",
);

export async function runWorkflow(
  pathOrYaml: string,
  opts: RunWorkflowOptions = {},
): Promise<RunWorkflowResult> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const types = await testStepTypes(cwd, opts);
  const plan = compileSource(pathOrYaml, types, cwd);
  const kit = openTestEngine({ types, cwd, ...opts });
  try {
    return await kit.run(plan, opts);
  } finally {
    await kit.close();
  }
}

/** The step types a test sees: built-ins, the repo's plugins, the given ones, and the mock type. */
export async function testStepTypes(
  cwd: string,
  opts: Pick<RunWorkflowOptions, "packages" | "plugins">,
): Promise<StepRegistry> {
  const loaded = await loadStepTypes({ cwd, packages: opts.packages ?? [], modules: opts.plugins ?? [] });
  if (loaded.problems.length > 0) {
    throw pluginProblems({ detail: loaded.problems.map((p) => `  ${p.source}: ${p.message}`).join("\n") });
  }
  addMockType(loaded.types);
  return loaded.types;
}

/** Loads YAML text (anything with a line break) or a file, and compiles it or throws its diagnostics. */
export function compileSource(pathOrYaml: string, types: StepRegistry, cwd: string): CompiledWorkflow {
  const isText = pathOrYaml.includes("\n") || !existsSync(resolve(cwd, pathOrYaml));
  const file = isText ? "workflow.yaml" : resolve(cwd, pathOrYaml);
  const source = isText ? pathOrYaml : readFileSync(file, "utf8");
  const loaded = loadWorkflow(source, file, types);
  const diagnostics = [...loaded.diagnostics];
  let plan: CompiledWorkflow | undefined;
  if (loaded.spec && loaded.doc && !diagnostics.some((d) => d.severity === "error")) {
    const compiled = compileWorkflow(loaded.spec, loaded.doc, types);
    diagnostics.push(...compiled.diagnostics);
    plan = compiled.plan;
  }
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (!plan || errors.length > 0) {
    const sources = new Map([[file, source]]);
    throw workflowInvalid({ detail: formatDiagnostics(errors, { format: "text", color: false, sources }) });
  }
  return plan;
}

export interface TestEngine {
  run(
    plan: CompiledWorkflow,
    opts: Pick<RunWorkflowOptions, "inputs" | "trigger" | "mocks" | "realRetryDelays" | "timeoutMs">,
  ): Promise<RunWorkflowResult>;
  close(): Promise<void>;
}

/** One store, pool and engine for many runs (weft test reuses it across cases). */
export function openTestEngine(
  opts: Pick<RunWorkflowOptions, "store" | "poolSize" | "secrets" | "workerMemoryMb"> & {
    types: StepRegistry;
    cwd: string;
  },
): TestEngine {
  const store = new SqliteStore(
    opts.store === undefined || opts.store === "memory" ? ":memory:" : opts.store,
  );
  const pool = new StepPool({
    size: opts.poolSize ?? 2,
    graceMs: 500,
    ...(opts.workerMemoryMb ? { resourceLimits: { maxOldGenerationSizeMb: opts.workerMemoryMb } } : {}),
  });
  // Secrets belong to the engine (its redactor is built from them), not to one run.
  const engine = new Engine({
    store,
    pool,
    types: opts.types,
    workspace: opts.cwd,
    pollMs: 10,
    secrets: staticSecrets(opts.secrets ?? {}),
  });
  engine.start();
  return {
    async run(plan, runOpts) {
      let ready = runOpts.mocks ? applyMocks(plan, runOpts.mocks) : plan;
      if (!runOpts.realRetryDelays) ready = withoutRetryDelays(ready);
      // The store keeps one version per (workflow, hash): a mocked plan needs its own hash.
      if (ready !== plan) ready.hash = createHash("sha256").update(JSON.stringify(ready)).digest("hex");
      const version = await engine.deploy(ready, JSON.stringify(ready));
      const { run } = await engine.startRun({
        version,
        inputs: runOpts.inputs ?? {},
        trigger: { kind: "test", ...runOpts.trigger },
      });
      const ms = runOpts.timeoutMs ?? 60_000;
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        engine.waitForRun(run.id),
        new Promise<undefined>((done) => {
          timer = setTimeout(() => done(undefined), ms);
        }),
      ]).finally(() => clearTimeout(timer));
      const steps = await collectSteps(store, run.id);
      if (!finished) {
        await engine.cancelRun(run.id, "the test timed out");
        const summary = Object.entries(steps).map(([id, s]) => `${id}=${s.status}`);
        throw runTimeout({ runId: run.id, workflow: plan.name, ms, steps: summary.join(", ") });
      }
      return {
        run: { id: finished.id, workflow: finished.workflow, status: finished.status, error: finished.error },
        steps,
      };
    },
    async close() {
      await engine.stop(1000);
      await pool.destroy();
      await store.close();
    },
  };
}

function withoutRetryDelays(plan: CompiledWorkflow): CompiledWorkflow {
  const out = structuredClone(plan);
  for (const step of [...Object.values(out.steps), ...Object.values(out.onFailure)]) {
    step.retry = { ...step.retry, delayMs: 0, maxDelayMs: 0, jitter: 0 };
  }
  return out;
}

async function collectSteps(store: SqliteStore, runId: string): Promise<Record<string, StepResult>> {
  const rows = await store.listSteps(runId);
  const steps: Record<string, StepResult> = {};
  const result = (r: (typeof rows)[number]): StepResult => ({
    status: r.status,
    output: r.output ?? null,
    error: r.error,
    attempts: r.attempt,
  });
  for (const r of rows.filter((r) => r.item < 0)) steps[r.stepId] = result(r);
  for (const r of rows.filter((r) => r.item >= 0).sort((a, b) => a.item - b.item)) {
    const parent = steps[r.stepId];
    if (!parent) continue;
    parent.items ??= [];
    parent.items.push(result(r));
  }
  return steps;
}
