import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NonRetryableError } from "weft/plugin";
import { runStep, runWorkflow } from "weft/testing";
import { greet } from "../src/greet.js";

const workspace = () => mkdtempSync(join(tmpdir(), "acme-greet-"));

describe("acme/greet", () => {
  it("appends one line per name, tagged with the idempotency key", async () => {
    const dir = workspace();
    const result = await runStep(greet, { names: ["Ada", "Grace"], greeting: "Hi" }, { workspace: dir });
    expect(result.output).toEqual({ file: "greetings.txt", written: 2 });
    expect(readFileSync(join(dir, "greetings.txt"), "utf8")).toBe(
      "[test-run:step#0] Hi, Ada!\n[test-run:step#1] Hi, Grace!\n",
    );
    expect(result.checkpoints).toEqual([{ done: 1 }, { done: 2 }]);
  });

  it("writes nothing twice when a retry runs with the same idempotency key", async () => {
    const dir = workspace();
    await runStep(greet, { names: ["Ada"] }, { workspace: dir });
    const again = await runStep(greet, { names: ["Ada"] }, { workspace: dir, attempt: 2 });
    expect(again.output.written).toBe(0);
    expect(readFileSync(join(dir, "greetings.txt"), "utf8")).toBe("[test-run:step#0] Hello, Ada!\n");
  });

  it("continues after the names a previous attempt checkpointed", async () => {
    const dir = workspace();
    const result = await runStep(
      greet,
      { names: ["Ada", "Grace"] },
      { workspace: dir, checkpoint: { done: 1 } },
    );
    expect(result.output.written).toBe(1);
    expect(readFileSync(join(dir, "greetings.txt"), "utf8")).toBe("[test-run:step#1] Hello, Grace!\n");
  });

  it("refuses a file outside the workspace without retrying", async () => {
    await expect(
      runStep(greet, { names: ["Ada"], file: "../escape.txt" }, { workspace: workspace() }),
    ).rejects.toThrow(NonRetryableError);
  });

  it("keeps a secret signature out of the logs", async () => {
    const dir = workspace();
    const result = await runStep(
      greet,
      { names: ["Ada"], signature: "sig-0123456789" },
      { workspace: dir, secrets: { SIGNING_KEY: "sig-0123456789" } },
    );
    expect(readFileSync(join(dir, "greetings.txt"), "utf8")).toContain("-- sig-0123456789");
    expect(JSON.stringify(result.logs)).not.toContain("sig-0123456789");
  });

  it("runs in a whole workflow on Weft's engine", async () => {
    const dir = workspace();
    const result = await runWorkflow(
      `
name: welcome
inputs:
  name: { type: string }
steps:
  greet:
    uses: acme/greet
    with: { names: ["{{ inputs.name }}"], greeting: Welcome }
  announce:
    uses: log
    with: { message: "wrote {{ steps.greet.output.written }} line(s)" }
`,
      { cwd: dir, inputs: { name: "Ada" }, plugins: [new URL("../dist/index.js", import.meta.url).href] },
    );
    expect(result.run.status).toBe("succeeded");
    expect(result.steps.announce?.output).toEqual({ message: "wrote 1 line(s)" });
    expect(readFileSync(join(dir, "greetings.txt"), "utf8")).toMatch(/^\[.+:greet#0\] Welcome, Ada!\n$/);
  });
});
