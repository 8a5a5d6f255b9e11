/**
 * Shared set-up for trigger tests: a fake clock, a real SQLite store on a temp file, and
 * workflows compiled from YAML and deployed the way the Git sync deploys them.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileWorkflow } from "../../src/compile/compile.js";
import type { CompiledTrigger } from "../../src/compile/types.js";
import { builtinRegistry } from "../../src/plugin/builtins.js";
import { loadWorkflow } from "../../src/spec/workflow-file.js";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import type { ActiveWorkflow, Store } from "../../src/store/types.js";
import { CronScheduler, type CronSchedulerOptions } from "../../src/trigger/cron.js";

export class FakeClock {
  t: number;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  readonly now = (): number => this.t;
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), "weft-trigger-")), "weft.db");
}

export function openStore(path: string, clock: FakeClock): SqliteStore {
  return new SqliteStore(path, { now: clock.now });
}

const types = builtinRegistry();

/** Deploys these workflow files as one commit; returns the active set. */
export async function deploy(store: Store, yamls: string[], commit = "c1"): Promise<ActiveWorkflow[]> {
  const versions = yamls.map((source) => {
    const loaded = loadWorkflow(source, "test.yaml", types);
    if (!loaded.spec || !loaded.doc || loaded.diagnostics.length > 0) {
      throw new Error(`invalid test workflow: ${JSON.stringify(loaded.diagnostics)}`);
    }
    const res = compileWorkflow(loaded.spec, loaded.doc, types);
    if (!res.plan) throw new Error(`workflow does not compile: ${JSON.stringify(res.diagnostics)}`);
    return { workflow: res.plan.name, hash: res.plan.hash, plan: res.plan, source };
  });
  await store.recordDeployment({ commit, result: "deployed", versions });
  return store.activeWorkflows();
}

export function scheduled(name: string, cron: string, extra = ""): string {
  return `
name: ${name}
on:
  schedule: [{ cron: "${cron}", timezone: Europe/Berlin${extra} }]
steps:
  hello: { uses: log, with: { message: hi } }
`;
}

export interface Fired {
  workflow: string;
  slot: string;
}

/** A scheduler whose fire() records (workflow, slot ISO); timers off, the test drives tick(). */
export function recordingScheduler(
  store: Store,
  clock: FakeClock,
  opts: Partial<CronSchedulerOptions> = {},
): { scheduler: CronScheduler; fired: Fired[]; errors: Error[] } {
  const fired: Fired[] = [];
  const errors: Error[] = [];
  const scheduler = new CronScheduler({
    store,
    now: clock.now,
    timers: false,
    fire: async (w: ActiveWorkflow, _t: CompiledTrigger, slot: Date) => {
      fired.push({ workflow: w.workflow, slot: slot.toISOString() });
    },
    onError: (err) => errors.push(err),
    ...opts,
  });
  return { scheduler, fired, errors };
}

/** Steps the fake clock from wake-up to wake-up the way the real timer would, until `endIso`. */
export async function runUntil(scheduler: CronScheduler, clock: FakeClock, endIso: string): Promise<void> {
  const end = Date.parse(endIso);
  for (;;) {
    const next = scheduler.nextFireAt();
    if (next === undefined || next > end) break;
    clock.t = next;
    await scheduler.tick();
  }
  clock.t = end;
  await scheduler.tick();
}

/** Ticks every `stepMs` of fake time until `endIso`: wakes at times no timer would choose. */
export async function tickEvery(
  scheduler: CronScheduler,
  clock: FakeClock,
  endIso: string,
  stepMs: number,
): Promise<void> {
  const end = Date.parse(endIso);
  while (clock.t < end) {
    clock.t = Math.min(clock.t + stepMs, end);
    await scheduler.tick();
  }
}
