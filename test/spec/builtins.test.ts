/** The valid corpus also validates against the real built-in step types. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { builtinRegistry } from "../../src/plugin/builtins.js";
import { loadWorkflow } from "../../src/spec/workflow-file.js";

const VALID = join(import.meta.dirname, "..", "corpus", "valid");

test.each(readdirSync(VALID).filter((f) => f.endsWith(".yaml")))(
  "valid/%s passes with builtinRegistry()",
  (name) => {
    const result = loadWorkflow(readFileSync(join(VALID, name), "utf8"), `valid/${name}`, builtinRegistry());
    expect(result.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toEqual([]);
    expect(result.spec).toBeDefined();
  },
);

test("a template in the real shell step's literal `script` is refused", () => {
  const yaml = 'name: t\nsteps:\n  s:\n    uses: shell\n    with: { script: "echo {{ inputs.x }}" }\n';
  const result = loadWorkflow(yaml, "t.yaml", builtinRegistry());
  expect(result.diagnostics.map((d) => d.code)).toEqual(["WEFT_SPEC_TEMPLATE_IN_LITERAL"]);
});
