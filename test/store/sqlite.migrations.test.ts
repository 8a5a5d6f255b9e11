/**
 * Upgrading a store file written by an earlier Weft: migrations run on open and keep what
 * was recorded. Migration 5 moved each step's current attempt onto its row.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SQLITE_MIGRATIONS } from "../../src/store/sqlite/migrations.js";
import { SqliteStore } from "../../src/store/sqlite/store.js";

/** A store file at schema `version`, as that Weft would have left it. */
function storeAt(version: number): string {
  const file = join(mkdtempSync(join(tmpdir(), "weft-migrate-")), "weft.db");
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE weft_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER)");
  for (const m of SQLITE_MIGRATIONS.filter((x) => x.version <= version)) {
    db.exec(m.sql);
    db.prepare("INSERT INTO weft_migrations VALUES (?, ?, ?)").run(m.version, m.name, 0);
  }
  db.close();
  return file;
}

describe("SQLite migrations", () => {
  it("moves current attempts onto their rows and keeps the history identical (4 → 5)", async () => {
    const file = storeAt(4);
    const db = new Database(file);
    db.exec(`
      INSERT INTO workflow_versions (id, workflow, hash, plan, source, created_at) VALUES (1, 'wf', 'h', '{}', '', 0);
      INSERT INTO runs (id, workflow, version_id, status, inputs, trigger, created_at)
        VALUES ('r1', 'wf', 1, 'running', '{}', '{}', 0);
      -- a: failed once, then succeeded. b: running its first attempt. c: released, queued again.
      INSERT INTO steps (id, run_id, step_id, status, attempt, error, finished_at, lease_owner)
        VALUES (1, 'r1', 'a', 'succeeded', 2, NULL, 300, NULL),
               (2, 'r1', 'b', 'running', 1, NULL, NULL, 'n1'),
               (3, 'r1', 'c', 'queued', 0, NULL, NULL, NULL);
      INSERT INTO attempts (step_row, attempt, run_id, status, owner, error, started_at, finished_at)
        VALUES (1, 1, 'r1', 'failed', 'n1', '{"code":"X","name":"Error","message":"boom"}', 100, 150),
               (1, 2, 'r1', 'succeeded', 'n1', NULL, 200, 300),
               (2, 1, 'r1', 'running', 'n1', NULL, 400, NULL),
               (3, 1, 'r1', 'released', 'n1', NULL, 500, 550);
    `);
    db.close();
    const store = new SqliteStore(file);
    try {
      expect(await store.listAttempts("r1")).toEqual([
        {
          rowId: 1,
          attempt: 1,
          status: "failed",
          owner: "n1",
          error: { code: "X", name: "Error", message: "boom" },
          startedAt: 100,
          finishedAt: 150,
        },
        {
          rowId: 1,
          attempt: 2,
          status: "succeeded",
          owner: "n1",
          error: null,
          startedAt: 200,
          finishedAt: 300,
        },
        {
          rowId: 2,
          attempt: 1,
          status: "running",
          owner: "n1",
          error: null,
          startedAt: 400,
          finishedAt: null,
        },
        {
          rowId: 3,
          attempt: 1,
          status: "released",
          owner: "n1",
          error: null,
          startedAt: 500,
          finishedAt: 550,
        },
      ]);
      // The running attempt now lives on its row: finishing the row finishes the attempt.
      const [b] = (await store.listSteps("r1")).filter((s) => s.stepId === "b");
      const res = await store.commit([
        { type: "finish", rowId: b!.rowId, epoch: b!.epoch, status: "succeeded", output: 1 },
      ]);
      expect(res.applied).toEqual([true]);
      const after = (await store.listAttempts("r1")).find((a) => a.rowId === 2);
      expect(after).toMatchObject({ status: "succeeded", startedAt: 400 });
      expect(after?.finishedAt).not.toBeNull();
    } finally {
      await store.close();
    }
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare("SELECT max(version) AS v FROM weft_migrations").get()).toEqual({ v: 6 });
    expect(raw.prepare("SELECT count(*) AS n FROM attempts").get()).toEqual({ n: 2 });
    raw.close();
  });
});
