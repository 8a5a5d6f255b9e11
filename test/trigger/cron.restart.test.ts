import { afterEach, describe, expect, it } from "vitest";
import type { SqliteStore } from "../../src/store/sqlite/store.js";
import {
  deploy,
  FakeClock,
  HOUR,
  MINUTE,
  openStore,
  recordingScheduler,
  runUntil,
  scheduled,
  tempDbPath,
} from "./helpers.js";

const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function open(path: string, clock: FakeClock): SqliteStore {
  const s = openStore(path, clock);
  stores.push(s);
  return s;
}

describe("cron: one fire per slot across restarts, nodes and clock steps", () => {
  it("a restarted scheduler does not fire a slot its predecessor fired", async () => {
    const path = tempDbPath();
    const clock = new FakeClock("2026-06-01T09:59:00Z");
    const first = open(path, clock);
    const active = await deploy(first, [scheduled("hourly", "0 * * * *", ", catchup: all")]);
    const a = recordingScheduler(first, clock);
    await a.scheduler.update(active);
    await a.scheduler.start();
    clock.set("2026-06-01T10:00:00Z");
    await a.scheduler.tick();
    a.scheduler.stop();

    // Restarted within the grace window: 10:00 is "on time" again, but already claimed.
    clock.set("2026-06-01T10:00:30Z");
    const second = open(path, clock);
    const b = recordingScheduler(second, clock);
    await b.scheduler.update(await second.activeWorkflows());
    await b.scheduler.start();
    await runUntil(b.scheduler, clock, "2026-06-01T11:00:10Z");

    expect(a.fired.map((f) => f.slot)).toEqual(["2026-06-01T10:00:00.000Z"]);
    expect(b.fired.map((f) => f.slot)).toEqual(["2026-06-01T11:00:00.000Z"]);
  });

  it("two nodes on one store firing the same slot: fire() is called once", async () => {
    const path = tempDbPath();
    const clock = new FakeClock("2026-06-01T09:59:00Z");
    const nodeA = open(path, clock);
    const nodeB = open(path, clock);
    const active = await deploy(nodeA, [scheduled("hourly", "0 * * * *")]);
    const a = recordingScheduler(nodeA, clock);
    const b = recordingScheduler(nodeB, clock);
    await a.scheduler.update(active);
    await b.scheduler.update(await nodeB.activeWorkflows());
    await Promise.all([a.scheduler.start(), b.scheduler.start()]);
    for (const at of ["10:00:00", "11:00:00", "12:00:00"]) {
      clock.set(`2026-06-01T${at}Z`);
      await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    }
    const all = [...a.fired, ...b.fired].map((f) => f.slot).sort();
    expect(all).toEqual(["2026-06-01T10:00:00.000Z", "2026-06-01T11:00:00.000Z", "2026-06-01T12:00:00.000Z"]);
  });

  it("two schedules of one workflow due at the same instant start one run", async () => {
    const clock = new FakeClock("2026-06-01T09:59:00Z");
    const store = open(tempDbPath(), clock);
    const yaml = `
name: twice
on:
  schedule:
    - { cron: "0 * * * *" }
    - { cron: "0 10 * * *" }
steps:
  hello: { uses: log, with: { message: hi } }
`;
    const { scheduler, fired } = recordingScheduler(store, clock);
    await scheduler.update(await deploy(store, [yaml]));
    await scheduler.start();
    clock.set("2026-06-01T10:00:00Z");
    await scheduler.tick();
    expect(fired.map((f) => f.slot)).toEqual(["2026-06-01T10:00:00.000Z"]);
  });

  it("clock stepped back an hour: nothing fires again", async () => {
    const clock = new FakeClock("2026-06-01T09:50:00Z");
    const store = open(tempDbPath(), clock);
    const { scheduler, fired } = recordingScheduler(store, clock);
    await scheduler.update(await deploy(store, [scheduled("quarter", "*/15 * * * *", ", catchup: all")]));
    await scheduler.start();
    await runUntil(scheduler, clock, "2026-06-01T11:05:00Z");
    expect(fired).toHaveLength(5); // 10:00 … 11:00
    clock.advance(-HOUR); // 10:05 again
    for (let i = 0; i < 12; i++) {
      clock.advance(5 * MINUTE);
      await scheduler.tick();
    }
    // Back at 11:05: the slots 10:15 … 11:00 were not fired a second time.
    expect(fired).toHaveLength(5);
    clock.set("2026-06-01T11:15:00Z");
    await scheduler.tick();
    expect(fired.map((f) => f.slot).at(-1)).toBe("2026-06-01T11:15:00.000Z");
    expect(new Set(fired.map((f) => f.slot)).size).toBe(fired.length);
  });

  it("clock stepped forward an hour: skipped slots follow the catch-up policy", async () => {
    const results: Record<string, string[]> = {};
    for (const policy of ["none", "latest", "all"]) {
      const clock = new FakeClock("2026-06-01T09:50:00Z");
      const store = open(tempDbPath(), clock);
      const { scheduler, fired } = recordingScheduler(store, clock);
      await scheduler.update(
        await deploy(store, [scheduled("quarter", "*/15 * * * *", `, catchup: ${policy}`)]),
      );
      await scheduler.start();
      await runUntil(scheduler, clock, "2026-06-01T10:05:00Z"); // fires 10:00
      clock.advance(HOUR); // 11:05: 10:15 … 11:00 were skipped over
      await scheduler.tick();
      results[policy] = fired.map((f) => f.slot.slice(11, 16));
    }
    expect(results).toEqual({
      none: ["10:00"],
      latest: ["10:00", "11:00"],
      all: ["10:00", "10:15", "10:30", "10:45", "11:00"],
    });
  });

  it("update(): a removed workflow stops firing, an added one starts, a changed schedule replans", async () => {
    const clock = new FakeClock("2026-06-01T09:30:00Z");
    const store = open(tempDbPath(), clock);
    const { scheduler, fired } = recordingScheduler(store, clock);
    await scheduler.update(await deploy(store, [scheduled("a", "0 * * * *"), scheduled("b", "30 * * * *")]));
    await scheduler.start();
    await runUntil(scheduler, clock, "2026-06-01T10:45:00Z");
    expect(fired.map((f) => `${f.workflow}@${f.slot.slice(11, 16)}`)).toEqual(["a@10:00", "b@10:30"]);

    // Next commit: a is gone, b moves to :10, c appears.
    const next = await deploy(store, [scheduled("b", "10 * * * *"), scheduled("c", "20 * * * *")], "c2");
    await scheduler.update(next);
    fired.length = 0;
    await runUntil(scheduler, clock, "2026-06-01T11:50:00Z");
    expect(fired.map((f) => `${f.workflow}@${f.slot.slice(11, 16)}`)).toEqual(["b@11:10", "c@11:20"]);
  });

  it("a failing fire() is reported and the slot is not retried", async () => {
    const clock = new FakeClock("2026-06-01T09:59:00Z");
    const store = open(tempDbPath(), clock);
    const errors: string[] = [];
    let calls = 0;
    const { scheduler } = recordingScheduler(store, clock, {
      fire: async () => {
        calls++;
        throw new Error("boom");
      },
      onError: (err, workflow) => errors.push(`${workflow}: ${err.message}`),
    });
    await scheduler.update(await deploy(store, [scheduled("hourly", "0 * * * *")]));
    await scheduler.start();
    clock.set("2026-06-01T10:00:00Z");
    await scheduler.tick();
    await scheduler.tick();
    expect(calls).toBe(1);
    expect(errors).toEqual(["hourly: boom"]);
  });
});
