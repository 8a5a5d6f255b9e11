/**
 * The overlap policy is the workflow's run-level `concurrency`: with `limit: 1, onLimit: skip`
 * a slot that fires while the previous scheduled run is still active starts a run that is
 * cancelled at once; with `onLimit: queue` it waits. Real engine, real pool, real SQLite.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { CompiledTrigger } from "../../src/compile/types.js";
import type { ActiveWorkflow } from "../../src/store/types.js";
import { CronScheduler } from "../../src/trigger/cron.js";
import { fireSchedule } from "../../src/trigger/fire.js";
import { compileYaml, type Harness, harness } from "../engine/harness.js";
import { FakeClock } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function slowWorkflow(onLimit: "skip" | "queue"): string {
  return `
name: slow
on:
  schedule: [{ cron: "*/5 * * * *" }]
concurrency: { limit: 1, onLimit: ${onLimit} }
steps:
  wait: { uses: sleep, with: { duration: 20s } }
`;
}

async function twoSlots(onLimit: "skip" | "queue") {
  h = await harness();
  const engine = h.engine;
  const plan = compileYaml(slowWorkflow(onLimit), h.types);
  await h.store.recordDeployment({
    commit: "c1",
    result: "deployed",
    versions: [{ workflow: plan.name, hash: plan.hash, plan, source: "" }],
  });
  // The scheduler's clock is fake; the engine and store keep real time.
  const clock = new FakeClock(new Date().toISOString());
  const scheduler = new CronScheduler({
    store: h.store,
    now: clock.now,
    timers: false,
    fire: async (w: ActiveWorkflow, t: CompiledTrigger, slot: Date) => {
      await fireSchedule(engine, w, t, slot);
    },
  });
  await scheduler.update(await h.store.activeWorkflows());
  await scheduler.start();
  const slots: string[] = [];
  for (let i = 0; i < 2; i++) {
    clock.t = scheduler.nextFireAt() ?? 0;
    slots.push(new Date(clock.t).toISOString());
    await scheduler.tick();
  }
  const runIds = await Promise.all(slots.map((s) => h!.store.triggerRun("schedule", "slow", s)));
  const runs = await Promise.all(runIds.map((id) => h!.store.getRun(String(id))));
  return { slots, runs, engine };
}

describe("cron: overlap with the previous scheduled run", () => {
  it("concurrency { limit: 1, onLimit: skip }: the overlapping slot's run is cancelled, not run", async () => {
    const { slots, runs, engine } = await twoSlots("skip");
    expect(runs.map((r) => r?.status)).toEqual(["running", "cancelled"]);
    expect(runs[0]?.trigger).toMatchObject({ kind: "schedule", scheduledAt: slots[0], cron: "*/5 * * * *" });
    expect(runs[0]?.idempotencyKey).toBe(`schedule:${slots[0]}`);
    await engine.cancelRun(runs[0]?.id ?? "");
  });

  it("concurrency { limit: 1, onLimit: queue }: the overlapping slot's run waits its turn", async () => {
    const { runs, engine } = await twoSlots("queue");
    expect(runs.map((r) => r?.status)).toEqual(["running", "queued"]);
    await engine.cancelRun(runs[1]?.id ?? "");
    await engine.cancelRun(runs[0]?.id ?? "");
  });

  it("firing one slot twice yields one run (the idempotency key is the second guard)", async () => {
    h = await harness();
    const plan = compileYaml(slowWorkflow("queue"), h.types);
    await h.store.recordDeployment({
      commit: "c1",
      result: "deployed",
      versions: [{ workflow: plan.name, hash: plan.hash, plan, source: "" }],
    });
    const [w] = await h.store.activeWorkflows();
    const trigger = w!.version.plan.triggers[0]!;
    const slot = new Date("2026-06-01T10:00:00Z");
    expect(await h.store.claimTriggerSlot("schedule", "slow", slot.toISOString())).toBe(true);
    const a = await fireSchedule(h.engine, w!, trigger, slot);
    const b = await fireSchedule(h.engine, w!, trigger, slot);
    expect(b.id).toBe(a.id);
    expect(await h.store.triggerRun("schedule", "slow", slot.toISOString())).toBe(a.id);
    await h.engine.cancelRun(a.id);
  });
});
