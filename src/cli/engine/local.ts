/**
 * A local engine for CLI commands: the embedded SQLite store, the thread pool and the
 * step types, wired once. The store location comes from --store, WEFT_STORE, or
 * .weft/weft.db under the working directory.
 */
import { Engine, type EngineOptions } from "../../engine/engine.js";
import type { StepTypeLookup } from "../../plugin/registry.js";
import { StepPool } from "../../pool/index.js";
import { openStore } from "../../store/index.js";
import type { Store } from "../../store/types.js";
import { repoStepTypes } from "../step-types.js";

export interface LocalOptions {
  store?: string;
  env: Record<string, string | undefined>;
  /** Only work on these runs. */
  onlyRuns?: Set<string>;
  hooks?: Pick<EngineOptions, "onStep" | "onRun" | "onLog">;
  /** Step types already loaded by the command; otherwise loaded from the repository here. */
  types?: StepTypeLookup;
  poolSize?: number;
}

export interface Local {
  store: Store;
  engine: Engine;
  types: StepTypeLookup;
  close(graceMs?: number): Promise<void>;
}

export async function openStoreOnly(
  location: string | undefined,
  env: Record<string, string | undefined>,
): Promise<Store> {
  const sync = env.WEFT_SQLITE_SYNCHRONOUS === "NORMAL" ? "NORMAL" : "FULL";
  return openStore(location ?? env.WEFT_STORE, { synchronous: sync });
}

export async function openLocal(opts: LocalOptions): Promise<Local> {
  const types = opts.types ?? (await repoStepTypes({ env: opts.env })).types;
  const store = await openStoreOnly(opts.store, opts.env);
  const pool = new StepPool(opts.poolSize ? { size: opts.poolSize } : {});
  const engine = new Engine({
    store,
    pool,
    types,
    workspace: process.cwd(),
    onlyRuns: opts.onlyRuns ?? null,
    ...opts.hooks,
  });
  return {
    store,
    engine,
    types,
    async close(graceMs = 10_000) {
      await engine.stop(graceMs);
      await pool.close();
      await store.close();
    },
  };
}
