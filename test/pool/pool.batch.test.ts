/**
 * Batches: a free thread takes several queued attempts at once and runs them one after
 * another. What a batch must never change: a slow step does not hold up quick ones queued
 * behind it (a free thread takes them back), a crash or a terminated thread fails only the
 * attempt that was running (the rest run elsewhere, once), and a cancelled attempt that had
 * not started never runs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { StepPool, type StepTask } from "../../src/pool/index.js";
import { fixtureTask, recordingHooks } from "./helpers.js";

const MARKER = pathToFileURL(join(import.meta.dirname, "..", "fixtures", "engine", "marker.mjs")).href;

function markerTask(file: string, line: string): StepTask {
  return fixtureTask("noop", {
    moduleUrl: MARKER,
    stepType: "test/marker",
    input: { file, line },
    step: { id: line },
  });
}

function markerFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "weft-batch-")), "marks.txt");
  writeFileSync(file, "");
  return file;
}

const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean).sort();

describe("StepPool batches", () => {
  it("does not let a slow step hold up the quick ones handed in after it", async () => {
    const pool = new StepPool({ size: 2 });
    try {
      await Promise.all([0, 1].map(() => pool.run(fixtureTask("noop"), recordingHooks())));
      const file = markerFile();
      // Both threads busy for a moment, so the slow step and quick ones queue up together
      // and the slow one heads a batch with quick ones behind it.
      const busy = [0, 1].map(() => pool.run(fixtureTask("sleep", { input: { ms: 50 } }), recordingHooks()));
      const t0 = Date.now();
      const slow = pool.run(fixtureTask("sleep", { input: { ms: 600 } }), recordingHooks());
      const quick = Array.from({ length: 40 }, (_, i) =>
        pool.run(markerTask(file, `q${i}`), recordingHooks()).then((o) => ({ o, at: Date.now() - t0 })),
      );
      const done = await Promise.all(quick);
      for (const { o } of done) expect(o.ok).toBe(true);
      // All quick ones finished long before the slow one, whichever batch they were in.
      expect(Math.max(...done.map((d) => d.at))).toBeLessThan(400);
      expect((await slow).ok).toBe(true);
      for (const o of await Promise.all(busy)) expect(o.ok).toBe(true);
      expect(lines(file)).toEqual(Array.from({ length: 40 }, (_, i) => `q${i}`).sort());
    } finally {
      await pool.destroy();
    }
  });

  it("fails only the attempt whose step ended its thread; the others in its batch run once", async () => {
    const pool = new StepPool({ size: 1 });
    try {
      await pool.run(fixtureTask("noop"), recordingHooks());
      const file = markerFile();
      // Queued behind a sleeper, so the four go to the thread as one batch.
      const first = pool.run(fixtureTask("sleep", { input: { ms: 100 } }), recordingHooks());
      const before = pool.run(markerTask(file, "before"), recordingHooks());
      const exit = pool.run(fixtureTask("exit"), recordingHooks());
      const after = [1, 2].map((i) => pool.run(markerTask(file, `after${i}`), recordingHooks()));
      expect((await first).ok).toBe(true);
      expect(await before).toMatchObject({ ok: true });
      expect(await exit).toMatchObject({ ok: false, error: { code: "WEFT_WORKER_CRASHED" } });
      for (const o of await Promise.all(after)) expect(o).toMatchObject({ ok: true });
      expect(lines(file)).toEqual(["after1", "after2", "before"]);
    } finally {
      await pool.destroy();
    }
  });

  it("terminates a step that ignores its timeout and runs the rest of its batch elsewhere", async () => {
    const pool = new StepPool({ size: 1, graceMs: 100 });
    try {
      await pool.run(fixtureTask("noop"), recordingHooks());
      const file = markerFile();
      const first = pool.run(fixtureTask("sleep", { input: { ms: 50 } }), recordingHooks());
      const stuck = pool.run(fixtureTask("busy-loop", { timeoutMs: 100 }), recordingHooks());
      const rest = [1, 2, 3].map((i) => pool.run(markerTask(file, `m${i}`), recordingHooks()));
      expect((await first).ok).toBe(true);
      const outcome = await stuck;
      expect(outcome).toMatchObject({ ok: false, error: { code: "WEFT_STEP_TIMEOUT" } });
      expect(outcome.ok ? "" : outcome.error.message).toMatch(/terminated/);
      for (const o of await Promise.all(rest)) expect(o).toMatchObject({ ok: true });
      expect(lines(file)).toEqual(["m1", "m2", "m3"]);
    } finally {
      await pool.destroy();
    }
  });

  it("never starts a cancelled attempt that was waiting in a batch", async () => {
    const pool = new StepPool({ size: 1 });
    try {
      await pool.run(fixtureTask("noop"), recordingHooks());
      const file = markerFile();
      const first = pool.run(fixtureTask("sleep", { input: { ms: 50 } }), recordingHooks());
      // These three reach the thread together once the sleeper is done; the second waits
      // in that batch behind a slow step when it is cancelled.
      const slow = pool.run(fixtureTask("sleep", { input: { ms: 300 } }), recordingHooks());
      const controller = new AbortController();
      const cancelled = pool.run(markerTask(file, "cancelled"), recordingHooks(), controller.signal);
      const kept = pool.run(markerTask(file, "kept"), recordingHooks());
      await first;
      await new Promise((r) => setTimeout(r, 100));
      controller.abort();
      expect(await cancelled).toMatchObject({ ok: false, error: { code: "WEFT_STEP_CANCELLED" } });
      expect((await slow).ok).toBe(true);
      expect(await kept).toMatchObject({ ok: true });
      expect(lines(file)).toEqual(["kept"]);
    } finally {
      await pool.destroy();
    }
  });

  it("gives steps that come one after another to the thread still waiting after the last", async () => {
    for (const opts of [{}, { lingerMs: 0, spinMs: 0 }]) {
      const pool = new StepPool({ size: 2, ...opts });
      try {
        const file = markerFile();
        for (let i = 0; i < 20; i++) {
          expect(await pool.run(markerTask(file, `c${i}`), recordingHooks())).toMatchObject({ ok: true });
        }
        // A step that ends its thread while the thread was waiting for more fails alone.
        expect(await pool.run(fixtureTask("exit"), recordingHooks())).toMatchObject({
          ok: false,
          error: { code: "WEFT_WORKER_CRASHED" },
        });
        expect(await pool.run(markerTask(file, "after"), recordingHooks())).toMatchObject({ ok: true });
        expect(lines(file)).toEqual([...Array.from({ length: 20 }, (_, i) => `c${i}`), "after"].sort());
      } finally {
        await pool.destroy();
      }
    }
  });
});
