/**
 * A real engine for tests: a temp SQLite file, a real worker pool, the built-in step types
 * plus the fixture types in test/fixtures/engine (plain .mjs, loadable by worker threads).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { compileWorkflow } from "../../src/compile/compile.js";
import type { CompiledWorkflow } from "../../src/compile/types.js";
import { Engine, type EngineOptions } from "../../src/engine/engine.js";
import { staticSecrets } from "../../src/engine/secrets.js";
import type { StepEvent } from "../../src/engine/types.js";
import { builtinRegistry } from "../../src/plugin/builtins.js";
import type { StepRegistry } from "../../src/plugin/registry.js";
import type { StepType } from "../../src/plugin/types.js";
import { StepPool } from "../../src/pool/index.js";
import { loadWorkflow } from "../../src/spec/workflow-file.js";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import type { RunRecord, TriggerInfo } from "../../src/store/types.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "engine");
const FIXTURE_NAMES = ["marker", "flaky", "counter", "hang", "window", "echo-secret", "big-checkpoint"];

export async function fixtureRegistry(): Promise<StepRegistry> {
  const reg = builtinRegistry();
  for (const name of FIXTURE_NAMES) {
    const url = pathToFileURL(join(FIXTURES, `${name}.mjs`)).href;
    const mod = (await import(url)) as { default: StepType };
    const t = mod.default;
    reg.add({
      name: t.name,
      description: t.description,
      inputSchema: t.inputSchema,
      moduleUrl: url,
      source: url,
      stepType: t,
    });
  }
  return reg;
}

export function compileYaml(yaml: string, types: StepRegistry): CompiledWorkflow {
  const loaded = loadWorkflow(yaml, "test.yaml", types);
  if (!loaded.spec || !loaded.doc || loaded.diagnostics.length > 0) {
    throw new Error(`invalid test workflow: ${JSON.stringify(loaded.diagnostics, null, 2)}`);
  }
  const res = compileWorkflow(loaded.spec, loaded.doc, types);
  if (!res.plan) throw new Error(`workflow does not compile: ${JSON.stringify(res.diagnostics, null, 2)}`);
  return res.plan;
}

export interface Harness {
  dir: string;
  dbPath: string;
  store: SqliteStore;
  engine: Engine;
  pool: StepPool;
  types: StepRegistry;
  events: StepEvent[];
  run(
    yaml: string,
    opts?: { inputs?: Record<string, unknown>; trigger?: TriggerInfo; idempotencyKey?: string },
  ): Promise<RunRecord>;
  start(
    yaml: string,
    opts?: { inputs?: Record<string, unknown>; trigger?: TriggerInfo; idempotencyKey?: string },
  ): Promise<RunRecord>;
  close(): Promise<void>;
}

export async function harness(
  opts: Partial<Omit<EngineOptions, "secrets">> & {
    secrets?: Record<string, string>;
    poolSize?: number;
    graceMs?: number;
    now?: () => number;
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "weft-engine-"));
  const dbPath = join(dir, "weft.db");
  const store = new SqliteStore(dbPath, opts.now ? { now: opts.now } : {});
  const pool = new StepPool({ size: opts.poolSize ?? 2, graceMs: opts.graceMs ?? 300 });
  const types = await fixtureRegistry();
  const events: StepEvent[] = [];
  const { secrets, poolSize: _p, graceMs: _g, ...rest } = opts;
  const engine = new Engine({
    store,
    pool,
    types,
    workspace: dir,
    pollMs: 20,
    secrets: staticSecrets(secrets ?? {}),
    onStep: (e) => events.push(e),
    ...rest,
  });
  engine.start();
  const start: Harness["start"] = async (yaml, o = {}) => {
    const plan = compileYaml(yaml, types);
    const version = await engine.deploy(plan, yaml);
    const { run } = await engine.startRun({
      version,
      inputs: o.inputs ?? {},
      trigger: o.trigger ?? { kind: "test" },
      ...(o.idempotencyKey ? { idempotencyKey: o.idempotencyKey } : {}),
    });
    return run;
  };
  return {
    dir,
    dbPath,
    store,
    engine,
    pool,
    types,
    events,
    start,
    async run(yaml, o) {
      const run = await start(yaml, o);
      return engine.waitForRun(run.id);
    },
    async close() {
      await engine.stop(1000);
      await pool.destroy();
      await store.close();
    },
  };
}

export async function stepStatuses(h: Harness, runId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const s of await h.store.listSteps(runId))
    out[s.item >= 0 ? `${s.stepId}[${s.item}]` : s.stepId] = s.status;
  return out;
}
