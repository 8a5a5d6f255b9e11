/**
 * The database locked by another connection past the busy timeout: starting a run is refused
 * with a clean 503 WEFT_API_STORE_BUSY and a Retry-After (never SQLite's own message), the
 * engine keeps the results it could not commit, and once the lock is gone new requests
 * succeed and the runs accepted before finish.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqliteStore } from "../../src/store/sqlite/store.js";
import { serveRepo, type TestServer, until } from "./helpers.js";

const NAPPY = `name: nappy
on:
  manual: {}
steps:
  nap:
    uses: sleep
    with: { duration: 300ms }
  done:
    needs: [nap]
    uses: log
    with: { message: woke up }
`;

let s: TestServer;

beforeAll(async () => {
  s = await serveRepo({ "workflows/nappy.yaml": NAPPY }, { busyTimeoutMs: 100 });
}, 30_000);
afterAll(async () => s?.close());

describe("a store locked past the busy timeout", () => {
  it("answers 503 WEFT_API_STORE_BUSY with Retry-After, then recovers and finishes accepted runs", async () => {
    const accepted: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await s.api("POST", "/api/workflows/nappy/runs", { body: {} });
      expect(res.status).toBe(201);
      accepted.push(res.json.run.id);
    }
    // Wait until the naps are running, so their results arrive while the lock is held.
    const store = s.service.store as SqliteStore;
    await until(async () => {
      const steps = await Promise.all(accepted.map((id) => store.listSteps(id)));
      return steps.every((rows) => rows.some((r) => r.stepId === "nap" && r.status === "running"));
    }, 5000);

    const locker = new Database(store.path);
    locker.exec("BEGIN EXCLUSIVE");
    let refused: Awaited<ReturnType<TestServer["api"]>>;
    try {
      refused = await s.api("POST", "/api/workflows/nappy/runs", { body: {} });
      // The naps end (300 ms) while the lock is held: the engine's commits fail meanwhile.
      await until(() => s.service.engine.storeError !== undefined, 3000);
      const again = await s.api("POST", "/api/workflows/nappy/runs", { body: {} });
      expect(again.status).toBe(503);
    } finally {
      locker.exec("ROLLBACK");
      locker.close();
    }

    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.json.error.code).toBe("WEFT_API_STORE_BUSY");
    expect(refused.json.error.message).toMatch(/retry/);
    expect(refused.text).not.toMatch(/SQLITE|database is locked/i);
    expect(String(s.service.engine.storeError?.message)).toMatch(/locked/);

    const after = await s.api("POST", "/api/workflows/nappy/runs", { body: {} });
    expect(after.status).toBe(201);
    accepted.push(after.json.run.id);
    for (const id of accepted) {
      const done = await s.waitForRun(id, ["succeeded", "failed", "cancelled"], 10_000);
      expect(done.run.status, JSON.stringify(done)).toBe("succeeded");
    }
    expect(s.service.engine.storeError).toBeUndefined();
    // Only the runs answered 201 exist: a refused request recorded nothing.
    const listed = await s.api("GET", "/api/runs?workflow=nappy&limit=50");
    expect(listed.json.runs.map((r: { id: string }) => r.id).sort()).toEqual([...accepted].sort());
  }, 30_000);
});
