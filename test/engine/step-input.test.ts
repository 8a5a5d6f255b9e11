/**
 * A step's input per attempt: templated inputs are rendered every time, template-free ones
 * once per compiled step, literal inputs (shell `script`) stay as written, and the stored copy
 * is redacted.
 */
import { describe, expect, it } from "vitest";
import type { CompiledStep } from "../../src/compile/types.js";
import { StepInputs } from "../../src/engine/step-input.js";
import { createRedactor } from "../../src/observe/redact.js";
import { builtinRegistry } from "../../src/plugin/builtins.js";

function step(id: string, uses: string, withValue: Record<string, unknown>): CompiledStep {
  return {
    id,
    uses,
    with: withValue,
    needs: [],
    explicitNeeds: [],
    retry: { attempts: 1, backoff: "fixed", delayMs: 0, maxDelayMs: 0, jitter: 0 },
    timeoutMs: 1000,
    continueOnError: false,
    location: { file: "wf.yaml", line: 1, col: 1 },
    onFailure: false,
  } as CompiledStep;
}

describe("StepInputs", () => {
  const types = builtinRegistry();
  const log = types.get("log")!;
  const shell = types.get("shell")!;

  it("renders a templated input for every attempt, with its own scope", () => {
    const inputs = new StepInputs(createRedactor([]));
    const s = step("greet", "log", { message: "hello {{ inputs.name }}" });
    const a = inputs.of(s, log, { inputs: { name: "Ada" } });
    const b = inputs.of(s, log, { inputs: { name: "Grace" } });
    expect(a.input).toEqual({ message: "hello Ada" });
    expect(b.input).toEqual({ message: "hello Grace" });
  });

  it("makes a template-free input once per compiled step", () => {
    const inputs = new StepInputs(createRedactor([]));
    const s = step("fixed", "log", { message: "always the same" });
    const a = inputs.of(s, log, {});
    const b = inputs.of(s, log, {});
    expect(b).toBe(a);
    // Another compiled step with the same text is its own entry.
    expect(inputs.of(step("fixed", "log", { message: "always the same" }), log, {})).not.toBe(a);
  });

  it("leaves literal inputs as written and redacts the stored copy", () => {
    const inputs = new StepInputs(createRedactor(["s3cr3t-value"]));
    const s = step("sh", "shell", {
      script: 'echo "$TOKEN"',
      env: { TOKEN: "s3cr3t-value", WHO: "{{ inputs.who }}" },
    });
    const made = inputs.of(s, shell, { inputs: { who: "ops" } });
    expect(made.input).toMatchObject({ script: 'echo "$TOKEN"', env: { TOKEN: "s3cr3t-value", WHO: "ops" } });
    expect(JSON.stringify(made.storedInput)).not.toContain("s3cr3t-value");
  });

  it("refuses a rendered input that breaks the step type's schema", () => {
    const inputs = new StepInputs(createRedactor([]));
    const s = step("bad", "log", { message: "x", level: "{{ inputs.level }}" });
    expect(() => inputs.of(s, log, { inputs: { level: "loud" } })).toThrow(/level/);
    expect(inputs.of(s, log, { inputs: { level: "warn" } }).input).toEqual({ message: "x", level: "warn" });
  });
});
