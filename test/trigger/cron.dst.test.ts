import { afterEach, describe, expect, it } from "vitest";
import type { SqliteStore } from "../../src/store/sqlite/store.js";
import {
  deploy,
  FakeClock,
  MINUTE,
  openStore,
  recordingScheduler,
  runUntil,
  scheduled,
  tempDbPath,
  tickEvery,
} from "./helpers.js";

let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function setup(startIso: string, yaml: string) {
  const clock = new FakeClock(startIso);
  store = openStore(tempDbPath(), clock);
  const active = await deploy(store, [yaml]);
  const rec = recordingScheduler(store, clock);
  await rec.scheduler.update(active);
  await rec.scheduler.start();
  return { clock, ...rec };
}

describe("cron: time zones and DST (Europe/Berlin)", () => {
  it("fires a daily schedule at the local wall-clock time, in UTC terms per season", async () => {
    const { clock, scheduler, fired } = await setup("2026-01-10T12:00:00Z", scheduled("daily", "0 9 * * *"));
    await runUntil(scheduler, clock, "2026-01-12T12:00:00Z");
    // 09:00 CET is 08:00 UTC in winter.
    expect(fired.map((f) => f.slot)).toEqual(["2026-01-11T08:00:00.000Z", "2026-01-12T08:00:00.000Z"]);
  });

  it("spring gap: 02:30 does not exist on 2026-03-29, croner fires once at 03:00 CEST instead", async () => {
    const { clock, scheduler, fired, errors } = await setup(
      "2026-03-27T12:00:00Z",
      scheduled("gap", "30 2 * * *"),
    );
    await tickEvery(scheduler, clock, "2026-03-31T12:00:00Z", 5 * MINUTE);
    expect(errors).toEqual([]);
    expect(fired.map((f) => f.slot)).toEqual([
      "2026-03-28T01:30:00.000Z", // 02:30 CET
      "2026-03-29T01:00:00.000Z", // the gap: first valid time after it, 03:00 CEST
      "2026-03-30T00:30:00.000Z", // 02:30 CEST
      "2026-03-31T00:30:00.000Z",
    ]);
  });

  it("autumn repeat: 02:30 happens twice on 2026-10-25 and fires once, at the first", async () => {
    const { clock, scheduler, fired } = await setup(
      "2026-10-23T12:00:00Z",
      scheduled("repeat", "30 2 * * *"),
    );
    // Wake every 5 minutes so the scheduler is awake during both 02:30s.
    await tickEvery(scheduler, clock, "2026-10-27T12:00:00Z", 5 * MINUTE);
    expect(fired.map((f) => f.slot)).toEqual([
      "2026-10-24T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z", // 02:30 CEST; the 02:30 CET an hour later does not fire
      "2026-10-26T01:30:00.000Z",
      "2026-10-27T01:30:00.000Z",
    ]);
  });

  it("hourly across the spring gap: 23 fires in the 23-hour local day", async () => {
    const { clock, scheduler, fired } = await setup("2026-03-28T22:30:00Z", scheduled("hourly", "0 * * * *"));
    // Local 2026-03-29 runs from 23:00Z on the 28th to 22:00Z on the 29th.
    await runUntil(scheduler, clock, "2026-03-29T21:59:00Z");
    const slots = fired.map((f) => f.slot);
    expect(slots).toHaveLength(23);
    expect(slots[0]).toBe("2026-03-28T23:00:00.000Z");
    expect(slots.at(-1)).toBe("2026-03-29T21:00:00.000Z");
    expect(new Set(slots).size).toBe(23);
  });

  it("hourly across the autumn repeat: 25 fires in the 25-hour local day, both 02:00s included", async () => {
    const { clock, scheduler, fired } = await setup("2026-10-24T21:30:00Z", scheduled("hourly", "0 * * * *"));
    // Local 2026-10-25 runs from 22:00Z on the 24th to 23:00Z on the 25th.
    await tickEvery(scheduler, clock, "2026-10-25T22:59:00Z", 10 * MINUTE);
    const slots = fired.map((f) => f.slot);
    expect(slots).toHaveLength(25);
    expect(slots).toContain("2026-10-25T00:00:00.000Z"); // 02:00 CEST
    expect(slots).toContain("2026-10-25T01:00:00.000Z"); // 02:00 CET
    expect(new Set(slots).size).toBe(25);
  });
});
