/**
 * SQLite-specific claim behaviour: a claim takes the rows its own commits made ready by id,
 * and looks for rows another process made ready at least every 100 ms of the store's clock.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import { createTestRun } from "./conformance.js";

describe("SqliteStore claims", () => {
  it("finds rows another process made ready within 100 ms of its clock", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "weft-claims-")), "weft.db");
    let now = 5_000_000;
    const other = new SqliteStore(file);
    const mine = new SqliteStore(file, { now: () => now });
    const claim = { owner: "me", leaseMs: 10_000, limit: 10 };
    try {
      expect((await mine.commit([], claim)).claimed).toEqual([]);
      await createTestRun(other, "elsewhere", [{ stepId: "a", status: "queued", depsRemaining: 0 }]);
      // This process was not told: it looks again once 100 ms have passed.
      expect((await mine.commit([], claim)).claimed).toEqual([]);
      now += 100;
      expect((await mine.commit([], claim)).claimed.map((r) => r.stepId)).toEqual(["a"]);
    } finally {
      await other.close();
      await mine.close();
    }
  });

  it("claims a retry the moment it is due, not at the next periodic look", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "weft-claims-")), "weft.db");
    let now = 7_000_000;
    const store = new SqliteStore(file, { now: () => now });
    const claim = { owner: "me", leaseMs: 10_000, limit: 10 };
    try {
      await createTestRun(store, "r", [{ stepId: "a", status: "queued", depsRemaining: 0 }]);
      const [a] = (await store.commit([], claim)).claimed;
      const error = { code: "E", name: "Error", message: "try again" };
      const retry = { type: "retry" as const, rowId: a!.rowId, epoch: a!.epoch, error, notBefore: now + 30 };
      expect((await store.commit([retry], claim)).claimed).toEqual([]);
      now += 29;
      expect((await store.commit([], claim)).claimed).toEqual([]);
      now += 1; // due now, 30 ms after the last look: well inside the 100 ms period
      expect((await store.commit([], claim)).claimed.map((r) => [r.stepId, r.attempt])).toEqual([["a", 2]]);
    } finally {
      await store.close();
    }
  });
  it("claims any number of rows, by search and by hand-off (id lists padded to a few lengths)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "weft-claims-")), "weft.db");
    const store = new SqliteStore(file, { now: () => 9_000_000 });
    try {
      const steps = Array.from({ length: 40 }, (_, i) => ({
        stepId: `s${i}`,
        status: i < 37 ? ("queued" as const) : ("pending" as const),
        depsRemaining: i < 37 ? 0 : 1,
      }));
      await createTestRun(store, "r", steps);
      for (const limit of [1, 5, 9, 13, 9]) {
        const got = (await store.commit([], { owner: "me", leaseMs: 10_000, limit })).claimed;
        expect(got.length).toBe(limit);
      }
      // 37 - 37 = 0 left by search; a finish hands off 3 rows by id (a list of 3).
      const [first] = (await store.listSteps("r")).filter((r) => r.status === "running");
      const finish = {
        type: "finish" as const,
        rowId: first!.rowId,
        epoch: first!.epoch,
        status: "succeeded" as const,
        notify: { stepIds: ["s37", "s38", "s39"] },
      };
      const handed = await store.commit([finish], { owner: "me", leaseMs: 10_000, limit: 10 });
      expect(handed.claimed.map((r) => r.stepId)).toEqual(["s37", "s38", "s39"]);
      const running = (await store.listSteps("r")).filter((r) => r.status === "running");
      expect(running.length).toBe(36 + 3);
      expect(new Set(running.map((r) => r.stepId)).size).toBe(39);
    } finally {
      await store.close();
    }
  });
});
