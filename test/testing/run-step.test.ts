import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defineStep, NonRetryableError, RetryableError } from "../../src/plugin/index.js";
import { runStep } from "../../src/testing/index.js";

/** Counts to `to`, checkpointing after each number, so a retry continues where it stopped. */
const counter = defineStep({
  name: "acme/count",
  description: "Counts up, checkpointing each number.",
  inputSchema: {
    type: "object",
    additionalProperties: false,
    required: ["to"],
    properties: { to: { type: "integer", minimum: 1 }, failAt: { type: "integer" } },
  },
  outputSchema: { type: "object", required: ["counted"], properties: { counted: { type: "array" } } },
  async run(ctx) {
    const counted = ctx.checkpoint.get<number[]>() ?? [];
    for (let n = counted.length + 1; n <= ctx.input.to; n++) {
      if (n === ctx.input.failAt && ctx.attempt === 1) throw new RetryableError(`stopped at ${n}`);
      counted.push(n);
      await ctx.checkpoint.save(counted);
    }
    return { counted };
  },
});

describe("runStep", () => {
  it("runs a step in process and returns its output, logs and saved checkpoints", async () => {
    const result = await runStep(counter, { to: 3 });
    expect(result.output).toEqual({ counted: [1, 2, 3] });
    expect(result.checkpoints).toEqual([[1], [1, 2], [1, 2, 3]]);
  });

  it("gives a later attempt the checkpoint an earlier one saved, from a real store file", async () => {
    const store = join(mkdtempSync(join(tmpdir(), "weft-runstep-test-")), "cp.db");
    const first = runStep(counter, { to: 4, failAt: 3 }, { store });
    await expect(first).rejects.toThrow(RetryableError);
    await expect(first).rejects.toThrow("stopped at 3");
    const second = await runStep(counter, { to: 4, failAt: 3 }, { store, attempt: 2 });
    expect(second.output).toEqual({ counted: [1, 2, 3, 4] });
    expect(second.checkpoints).toEqual([
      [1, 2, 3],
      [1, 2, 3, 4],
    ]);
  });

  it("starts from a given checkpoint", async () => {
    const result = await runStep(counter, { to: 3 }, { checkpoint: [1, 2] });
    expect(result.checkpoints).toEqual([[1, 2, 3]]);
  });

  it("refuses input that does not match the schema before running the step", async () => {
    await expect(runStep(counter, { to: 0 } as never)).rejects.toThrow(
      "input for step type acme/count does not match its input schema: /to must be >= 1",
    );
  });

  it("refuses output that does not match the declared outputSchema", async () => {
    const liar = defineStep({
      name: "acme/liar",
      description: "Returns the wrong shape.",
      inputSchema: { type: "object" },
      outputSchema: { type: "object", required: ["id"], properties: { id: { type: "string" } } },
      async run() {
        return { id: 42 };
      },
    });
    await expect(runStep(liar, {})).rejects.toThrow(/does not match its outputSchema: \/id must be string/);
  });

  it("gives secrets to the step and redacts them from the captured logs", async () => {
    const leaky = defineStep({
      name: "acme/leaky",
      description: "Logs its token.",
      inputSchema: { type: "object" },
      async run(ctx) {
        const token = ctx.secrets.get("TOKEN");
        ctx.log.warn(`using token ${token}`);
        return { length: token?.length ?? 0, key: ctx.idempotencyKey };
      },
    });
    const result = await runStep(
      leaky,
      {},
      { secrets: { TOKEN: "s3cr3t-value-123" }, runId: "r1", stepId: "post" },
    );
    expect(result.output).toEqual({ length: 16, key: "r1:post" });
    expect(result.logs).toEqual([{ level: "warn", message: "using token [REDACTED:TOKEN]" }]);
  });

  it("passes a NonRetryableError through unchanged", async () => {
    const picky = defineStep({
      name: "acme/picky",
      description: "Refuses everything.",
      inputSchema: { type: "object" },
      async run() {
        throw new NonRetryableError("never", { code: "ACME_NO" });
      },
    });
    await expect(runStep(picky, {})).rejects.toMatchObject({
      name: "NonRetryableError",
      code: "ACME_NO",
      retryable: false,
    });
  });

  it("aborts the step's signal and fails when timeoutMs passes", async () => {
    let aborted = false;
    const slow = defineStep({
      name: "acme/slow",
      description: "Waits for its signal.",
      inputSchema: { type: "object" },
      run: (ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            reject(ctx.signal.reason);
          });
        }),
    });
    await expect(runStep(slow, {}, { timeoutMs: 50 })).rejects.toThrow("did not finish within 50 ms");
    expect(aborted).toBe(true);
  });
});
