/** Validation cost grows linearly with the number of steps (a workflow may hold thousands). */
import { expect, test } from "vitest";
import { loadDocument } from "../../src/spec/load.js";
import { validateWorkflow } from "../../src/spec/validate.js";
import { testRegistry } from "./registry.js";

function chain(n: number): string {
  const lines = ["name: chain", "steps:"];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  s${i}: { uses: log, with: { message: "{{ inputs.x }}" }${i > 0 ? `, needs: [s${i - 1}]` : ""} }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function timeValidate(n: number): number {
  const doc = loadDocument(chain(n), "chain.yaml").doc!;
  const types = testRegistry();
  validateWorkflow(doc, types); // warm up the step schema cache and the JIT
  const started = performance.now();
  const result = validateWorkflow(doc, types);
  const elapsed = performance.now() - started;
  expect(result.diagnostics).toEqual([]);
  return elapsed;
}

test("8x the steps costs far less than 64x the time", () => {
  const small = Math.max(timeValidate(250), 1);
  const large = timeValidate(2000);
  // Linear is ~8x; quadratic would be ~64x. Generous for a shared, noisy machine.
  expect(large / small).toBeLessThan(30);
});
