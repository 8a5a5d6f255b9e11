import { afterAll, describe, expect, it } from "vitest";
import { StepPool } from "../../src/pool/index.js";
import { fixtureTask, recordingHooks } from "./helpers.js";

const GRACE_MS = 300;
const pool = new StepPool({ size: 2, graceMs: GRACE_MS });
afterAll(() => pool.destroy());

async function stillWorks(target: StepPool): Promise<void> {
  expect(await target.run(fixtureTask("noop"), recordingHooks())).toMatchObject({ ok: true, output: null });
}

describe("StepPool faults", () => {
  it("times out a step that honours its signal, without terminating the thread", async () => {
    const outcome = await pool.run(fixtureTask("wait-for-abort", { timeoutMs: 200 }), recordingHooks());
    expect(outcome).toMatchObject({ ok: false, error: { code: "WEFT_STEP_TIMEOUT", retryable: true } });
    expect(outcome.ok ? "" : outcome.error.message).not.toMatch(/terminated/);
  });

  it("terminates a synchronous infinite loop within timeout + grace", async () => {
    const started = Date.now();
    const outcome = await pool.run(fixtureTask("busy-loop", { timeoutMs: 200 }), recordingHooks());
    const elapsed = Date.now() - started;
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: "WEFT_STEP_TIMEOUT", retryable: true, message: /worker thread was terminated/ },
    });
    expect(elapsed).toBeGreaterThanOrEqual(200 + GRACE_MS - 20);
    expect(elapsed).toBeLessThan(200 + GRACE_MS + 700);
    await stillWorks(pool);
  });

  it("cancels on the caller's signal, not retryable", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const outcome = await pool.run(fixtureTask("wait-for-abort"), recordingHooks(), controller.signal);
    expect(outcome).toMatchObject({ ok: false, error: { code: "WEFT_STEP_CANCELLED", retryable: false } });
    const early = await pool.run(fixtureTask("noop"), recordingHooks(), AbortSignal.abort());
    expect(early).toMatchObject({ ok: false, error: { code: "WEFT_STEP_CANCELLED" } });
  });

  it("fails only the attempt when a step calls process.exit()", async () => {
    const outcome = await pool.run(fixtureTask("exit"), recordingHooks());
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: "WEFT_WORKER_CRASHED", retryable: true, message: /exited with code 1/ },
    });
    await stillWorks(pool);
  });

  it("fails only the attempt on an uncaught exception in a timer", async () => {
    const outcome = await pool.run(fixtureTask("timer-throw"), recordingHooks());
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: "WEFT_WORKER_CRASHED", retryable: true, message: /boom from a timer/ },
    });
    await stillWorks(pool);
  });

  it("reports running out of heap and keeps serving tasks", async () => {
    const small = new StepPool({ size: 1, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    try {
      const outcome = await small.run(fixtureTask("oom"), recordingHooks());
      expect(outcome).toMatchObject({ ok: false, error: { retryable: true } });
      expect(outcome.ok ? "" : outcome.error.code).toMatch(/^WEFT_WORKER_(OOM|CRASHED)$/);
      await stillWorks(small);
    } finally {
      await small.destroy();
    }
  });

  it("keeps other tasks running while one thread crashes", async () => {
    const [slow, crashed] = await Promise.all([
      pool.run(fixtureTask("sleep", { input: { ms: 200 } }), recordingHooks()),
      pool.run(fixtureTask("exit"), recordingHooks()),
    ]);
    expect(slow.ok).toBe(true);
    expect(crashed).toMatchObject({ ok: false, error: { code: "WEFT_WORKER_CRASHED" } });
  });

  it("starts a queued task's timeout when it starts, and destroy() stops running steps", async () => {
    const one = new StepPool({ size: 1, graceMs: 200 });
    const first = one.run(fixtureTask("sleep", { input: { ms: 300 } }), recordingHooks());
    const queued = one.run(fixtureTask("sleep", { input: { ms: 100 }, timeoutMs: 250 }), recordingHooks());
    expect((await first).ok).toBe(true);
    expect((await queued).ok).toBe(true);

    const running = one.run(fixtureTask("wait-for-abort"), recordingHooks());
    await new Promise((r) => setTimeout(r, 50));
    await one.destroy();
    expect(await running).toMatchObject({ ok: false, error: { code: "WEFT_POOL_CLOSED", retryable: true } });
  });
});
