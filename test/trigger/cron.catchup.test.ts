import { afterEach, describe, expect, it } from "vitest";
import type { SqliteStore } from "../../src/store/sqlite/store.js";
import {
  deploy,
  FakeClock,
  HOUR,
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

/**
 * Runs an hourly workflow from 09:30 to 10:30 UTC (the 10:00 slot fires), stops the process,
 * and starts a new scheduler on a new connection to the same file at 15:30 — after missing
 * 11:00 to 15:00.
 */
async function afterDowntime(catchup: string, maxCatchup?: number) {
  const path = tempDbPath();
  const clock = new FakeClock("2026-06-01T09:30:00Z");
  const first = openStore(path, clock);
  stores.push(first);
  const yaml = scheduled("hourly", "0 * * * *", catchup ? `, catchup: ${catchup}` : "");
  const active = await deploy(first, [yaml]);
  const a = recordingScheduler(first, clock);
  await a.scheduler.update(active);
  await a.scheduler.start();
  await runUntil(a.scheduler, clock, "2026-06-01T10:30:00Z");
  a.scheduler.stop();
  expect(a.fired.map((f) => f.slot)).toEqual(["2026-06-01T10:00:00.000Z"]);

  clock.set("2026-06-01T15:30:00Z");
  const second = openStore(path, clock);
  stores.push(second);
  const b = recordingScheduler(second, clock, maxCatchup === undefined ? {} : { maxCatchup });
  await b.scheduler.update(await second.activeWorkflows());
  await b.scheduler.start();
  const atStart = b.fired.map((f) => f.slot);
  await runUntil(b.scheduler, clock, "2026-06-01T16:30:00Z");
  return { atStart, later: b.fired.map((f) => f.slot).slice(atStart.length) };
}

describe("cron: catch-up after downtime", () => {
  it("none (the default) fires no backlog and resumes with the next slot", async () => {
    const { atStart, later } = await afterDowntime("");
    expect(atStart).toEqual([]);
    expect(later).toEqual(["2026-06-01T16:00:00.000Z"]);
  });

  it("latest fires only the most recent missed slot", async () => {
    const { atStart, later } = await afterDowntime("latest");
    expect(atStart).toEqual(["2026-06-01T15:00:00.000Z"]);
    expect(later).toEqual(["2026-06-01T16:00:00.000Z"]);
  });

  it("all fires every missed slot, oldest first", async () => {
    const { atStart } = await afterDowntime("all");
    expect(atStart).toEqual([
      "2026-06-01T11:00:00.000Z",
      "2026-06-01T12:00:00.000Z",
      "2026-06-01T13:00:00.000Z",
      "2026-06-01T14:00:00.000Z",
      "2026-06-01T15:00:00.000Z",
    ]);
  });

  it("all is bounded by maxCatchup and keeps the most recent slots", async () => {
    const { atStart } = await afterDowntime("all", 2);
    expect(atStart).toEqual(["2026-06-01T14:00:00.000Z", "2026-06-01T15:00:00.000Z"]);
  });

  it("a slot that fell due moments before the start fires whatever the policy", async () => {
    const clock = new FakeClock("2026-06-01T09:30:00Z");
    const store = openStore(tempDbPath(), clock);
    stores.push(store);
    const active = await deploy(store, [scheduled("hourly", "0 * * * *")]);
    clock.set("2026-06-01T10:00:20Z");
    const { scheduler, fired } = recordingScheduler(store, clock);
    await scheduler.update(active);
    await scheduler.start();
    expect(fired.map((f) => f.slot)).toEqual(["2026-06-01T10:00:00.000Z"]);
  });

  it("a workflow that never fired catches up from its activation, not from the beginning of time", async () => {
    const clock = new FakeClock("2026-06-01T09:30:00Z");
    const store = openStore(tempDbPath(), clock);
    stores.push(store);
    const active = await deploy(store, [scheduled("hourly", "0 * * * *", ", catchup: all")]);
    clock.advance(3 * HOUR); // down from 09:30 to 12:30 without ever starting a scheduler
    const { scheduler, fired } = recordingScheduler(store, clock);
    await scheduler.update(active);
    await scheduler.start();
    expect(fired.map((f) => f.slot)).toEqual([
      "2026-06-01T10:00:00.000Z",
      "2026-06-01T11:00:00.000Z",
      "2026-06-01T12:00:00.000Z",
    ]);
  });
});
