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
});
