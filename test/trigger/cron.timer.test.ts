import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { SqliteStore } from "../../src/store/sqlite/store.js";
import { deploy, FakeClock, openStore, recordingScheduler, scheduled, tempDbPath } from "./helpers.js";

let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function waitFor(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(5);
}

describe("cron: the armed timer", () => {
  it("wakes at least every maxSleepMs, so a clock that jumps onto a slot is noticed, and stop() disarms", async () => {
    const clock = new FakeClock("2026-06-01T09:30:00Z");
    store = openStore(tempDbPath(), clock);
    const { scheduler, fired } = recordingScheduler(store, clock, { timers: true, maxSleepMs: 20 });
    await scheduler.update(await deploy(store, [scheduled("hourly", "0 * * * *")]));
    await scheduler.start();
    expect(fired).toEqual([]);

    clock.set("2026-06-01T10:00:05Z"); // the next slot is 30 min away by the plan made at 09:30
    await waitFor(() => fired.length > 0);
    expect(fired.map((f) => f.slot)).toEqual(["2026-06-01T10:00:00.000Z"]);

    scheduler.stop();
    clock.set("2026-06-01T11:00:05Z");
    await sleep(100);
    expect(fired).toHaveLength(1);
  });
});
