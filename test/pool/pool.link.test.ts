import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { distPath } from "../../src/paths.js";
import { StepPool } from "../../src/pool/index.js";
import { fixtureTask, recordingHooks } from "./helpers.js";

// One MessagePort per worker thread carries the messages of every task it runs, tagged with
// the task id, and a shared start clock replaces a "started" message per task.
const pool = new StepPool({ size: 2 });
afterAll(() => pool.destroy());

describe("StepPool thread links", () => {
  it("gives each of many concurrent tasks exactly its own log lines and checkpoints, in order", async () => {
    const tasks = Array.from({ length: 40 }, (_, i) => {
      // Acks come back after different delays, so saves of tasks on one thread interleave.
      const hooks = recordingHooks(i % 3);
      const task = fixtureTask("chatty", { step: { id: `s${i}` }, input: { n: 5 } });
      return { id: `s${i}`, hooks, outcome: pool.run(task, hooks) };
    });
    for (const { id, hooks, outcome } of tasks) {
      expect(await outcome).toMatchObject({ ok: true, output: { step: id, last: { step: id, k: 4 } } });
      expect(hooks.logs).toEqual(
        [0, 1, 2, 3, 4].flatMap((k) => [
          ["info", `${id} line ${k}`],
          ["debug", `${id} saved ${k}`],
        ]),
      );
      expect(hooks.checkpoints).toEqual([0, 1, 2, 3, 4].map((k) => ({ step: id, k })));
    }
  });

  it("delivers every message of a task that finishes before the main thread has heard from its thread", async () => {
    const fresh = new StepPool({ size: 1 });
    try {
      const hooks = recordingHooks();
      const outcome = fresh.run(fixtureTask("echo"), hooks);
      // Hold the main thread while the new thread boots, runs the task and posts everything,
      // so its hello, log lines and result all wait in their queues together.
      const until = Date.now() + 400;
      while (Date.now() < until) {
        // block
      }
      expect(await outcome).toMatchObject({ ok: true });
      expect(hooks.logs).toEqual([
        ["info", "hello s1"],
        ["warn", "second line"],
      ]);
    } finally {
      await fresh.destroy();
    }
  });

  it("times out a queued step from when it starts, not from when it was handed in", async () => {
    const one = new StepPool({ size: 1, graceMs: 200 });
    try {
      const t0 = Date.now();
      const first = one.run(fixtureTask("sleep", { input: { ms: 300 } }), recordingHooks());
      const queued = one.run(fixtureTask("wait-for-abort", { timeoutMs: 200 }), recordingHooks());
      const outcome = await queued;
      const elapsed = Date.now() - t0;
      expect((await first).ok).toBe(true);
      expect(outcome).toMatchObject({ ok: false, error: { code: "WEFT_STEP_TIMEOUT" } });
      expect(outcome.ok ? "" : outcome.error.message).not.toMatch(/terminated/);
      expect(elapsed).toBeGreaterThanOrEqual(480);
      // Its duration counts from its start, not from the time it spent queued.
      expect(outcome.durationMs).toBeGreaterThanOrEqual(190);
      expect(outcome.durationMs).toBeLessThan(400);
    } finally {
      await one.destroy();
    }
  });

  it("drops a cancelled step that is still queued without disturbing the running one", async () => {
    const one = new StepPool({ size: 1 });
    try {
      const first = one.run(fixtureTask("sleep", { input: { ms: 300 } }), recordingHooks());
      const controller = new AbortController();
      const t0 = Date.now();
      const queued = one.run(fixtureTask("noop"), recordingHooks(), controller.signal);
      setTimeout(() => controller.abort(), 50);
      expect(await queued).toMatchObject({ ok: false, error: { code: "WEFT_STEP_CANCELLED" } });
      expect(Date.now() - t0).toBeLessThan(250);
      const done = await first;
      expect(done.ok).toBe(true);
      // The running step's thread was not replaced.
      const again = await one.run(fixtureTask("sleep", { input: { ms: 1 } }), recordingHooks());
      expect((again as { output: { threadId: number } }).output.threadId).toBe(
        (done as { output: { threadId: number } }).output.threadId,
      );
    } finally {
      await one.destroy();
    }
  });

  it("ignores a late abort meant for a task that already finished on the same thread", async () => {
    const one = new StepPool({ size: 1, graceMs: 1000 });
    try {
      // The abort for the timed-out spin is read only after it returned, while the next task runs.
      const first = one.run(fixtureTask("spin", { input: { ms: 200 }, timeoutMs: 50 }), recordingHooks());
      const next = one.run(fixtureTask("sleep", { input: { ms: 100 } }), recordingHooks());
      expect(await first).toMatchObject({ ok: true });
      expect(await next).toMatchObject({ ok: true, output: { aborted: false } });
    } finally {
      await one.destroy();
    }
  });

  it("does not keep the process alive once its tasks are done", () => {
    const script = `
      const { StepPool } = await import(${JSON.stringify(pathToFileURL(distPath("src", "pool", "index.js")).href)});
      const pool = new StepPool({ size: 2 });
      const task = ${JSON.stringify(fixtureTask("chatty", { input: { n: 2 } }))};
      const hooks = { onLog() {}, async onCheckpoint() {} };
      const outcome = await pool.run(task, hooks);
      console.log(JSON.stringify(outcome.ok));
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: join(import.meta.dirname, "..", ".."),
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(child.signal).toBeNull();
    expect(child.stdout.trim()).toBe("true");
    expect(child.status).toBe(0);
  });
});
