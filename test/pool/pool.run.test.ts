import { afterAll, describe, expect, it } from "vitest";
import { builtinRegistry } from "../../src/plugin/builtins.js";
import { StepPool } from "../../src/pool/index.js";
import { fixtureTask, recordingHooks } from "./helpers.js";

const pool = new StepPool({ size: 2 });
afterAll(() => pool.destroy());

describe("StepPool.run", () => {
  it("returns the step's output and gives it the task's context", async () => {
    const hooks = recordingHooks();
    const outcome = await pool.run(
      fixtureTask("echo", { input: { n: 1 }, attempt: 2, secrets: { TOKEN: "t0k" }, checkpoint: { at: 5 } }),
      hooks,
    );
    expect(outcome).toMatchObject({
      ok: true,
      output: {
        input: { n: 1 },
        attempt: 2,
        idempotencyKey: "run-1:s1",
        run: { id: "run-1", workflow: "wf", version: "abc" },
        step: { id: "s1" },
        secret: "t0k",
        missingSecret: null,
        checkpoint: { at: 5 },
        signalAborted: false,
      },
    });
    // Nothing of the pool's own plumbing shows on ctx.
    const allowed = [
      "input",
      "log",
      "attempt",
      "idempotencyKey",
      "run",
      "step",
      "checkpoint",
      "secrets",
      "workspace",
    ];
    const keys = (outcome as { output: { keys: string[] } }).output.keys;
    expect(keys.filter((k) => !allowed.includes(k))).toEqual([]);
  });

  it("delivers every log line before the outcome", async () => {
    const hooks = recordingHooks();
    await pool.run(fixtureTask("echo"), hooks);
    expect(hooks.logs).toEqual([
      ["info", "hello s1"],
      ["warn", "second line"],
    ]);
  });

  it("makes checkpoint.save wait until the hook has made the state durable", async () => {
    const hooks = recordingHooks(100);
    const outcome = await pool.run(fixtureTask("checkpoint"), hooks);
    expect(hooks.checkpoints).toEqual([{ done: 3 }]);
    expect(outcome).toMatchObject({ ok: true, output: { after: { done: 3 } } });
    expect((outcome as { output: { waitedMs: number } }).output.waitedMs).toBeGreaterThanOrEqual(95);
  });

  it("rejects checkpoint.save in the step when the store could not persist it", async () => {
    const hooks = {
      onLog: () => {},
      onCheckpoint: async () => {
        throw Object.assign(new Error("disk full"), { code: "WEFT_STORE_WRITE_FAILED" });
      },
    };
    const outcome = await pool.run(fixtureTask("checkpoint", { checkpoint: { done: 1 } }), hooks);
    expect(outcome).toMatchObject({
      ok: true,
      output: {
        failed: "checkpoint.save failed: disk full",
        code: "WEFT_STORE_WRITE_FAILED",
        after: { done: 1 },
      },
    });
  });

  it("carries step errors across as data with their retry verdict", async () => {
    const hooks = recordingHooks();
    const plain = await pool.run(fixtureTask("errors", { stepType: "acme/plain" }), hooks);
    expect(plain).toMatchObject({ ok: false, error: { message: "plain failure", retryable: true } });
    const fatal = await pool.run(fixtureTask("errors", { stepType: "acme/non-retryable" }), hooks);
    expect(fatal).toMatchObject({
      ok: false,
      error: { code: "ACME_BAD_INPUT", name: "NonRetryableError", retryable: false },
    });
    const later = await pool.run(fixtureTask("errors", { stepType: "acme/retry-after" }), hooks);
    expect(later).toMatchObject({
      ok: false,
      error: { code: "ACME_RATE_LIMITED", retryable: true, retryAfterMs: 1500 },
    });
  });

  it("refuses output that is not plain data", async () => {
    const outcome = await pool.run(fixtureTask("bad-output"), recordingHooks());
    expect(outcome).toMatchObject({
      ok: false,
      error: {
        code: "WEFT_STEP_OUTPUT_INVALID",
        retryable: false,
        message: /output\.nested\.callback is a function/,
      },
    });
  });

  it("reports a module that fails to import, or lacks the step type, as non-retryable", async () => {
    const broken = await pool.run(fixtureTask("import-throws"), recordingHooks());
    expect(broken).toMatchObject({
      ok: false,
      error: {
        code: "WEFT_PLUGIN_LOAD_FAILED",
        retryable: false,
        message: /import-throws\.mjs.*refuses to load/,
      },
    });
    const missing = await pool.run(fixtureTask("errors", { stepType: "acme/nope" }), recordingHooks());
    expect(missing).toMatchObject({
      ok: false,
      error: { code: "WEFT_PLUGIN_LOAD_FAILED", message: /no step type "acme\/nope"/ },
    });
  });

  it("runs two tasks in parallel on different threads", async () => {
    const started = Date.now();
    const [a, b] = await Promise.all([
      pool.run(fixtureTask("sleep", { input: { ms: 300 } }), recordingHooks()),
      pool.run(fixtureTask("sleep", { input: { ms: 300 } }), recordingHooks()),
    ]);
    expect(Date.now() - started).toBeLessThan(550);
    const threads = [a, b].map((o) => (o as { output: { threadId: number } }).output.threadId);
    expect(threads[0]).not.toBe(threads[1]);
  });

  it("runs a built-in step type from its compiled module", async () => {
    const info = builtinRegistry().get("log");
    expect(info?.source).toBe("built-in");
    const hooks = recordingHooks();
    const outcome = await pool.run(
      fixtureTask("echo", {
        moduleUrl: info?.moduleUrl ?? "",
        stepType: "log",
        input: { message: { a: 1 } },
      }),
      hooks,
    );
    expect(outcome).toMatchObject({ ok: true, output: { message: '{"a":1}' } });
    expect(hooks.logs).toEqual([["info", '{"a":1}']]);
    expect(builtinRegistry().names()).toEqual(["http", "log", "shell", "sleep"]);
  });
});
