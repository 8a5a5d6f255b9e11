import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dryRunWorkflow } from "../../src/compile/dry-run.js";
import { resolveInputs } from "../../src/compile/inputs.js";
import { loadAndCompile } from "../../src/compile/load.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { types } from "./helpers.js";

const DIR = join(PACKAGE_ROOT, "workflows");
// *.test.yaml files beside the workflows are `weft test` files (test/testing covers them).
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f) && !/\.test\.ya?ml$/.test(f));

describe("example workflows", () => {
  it("has a few examples, each starting with the editor schema modeline", () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) {
      expect(readFileSync(join(DIR, f), "utf8").split("\n")[0]).toBe(
        "# yaml-language-server: $schema=../schemas/workflow.schema.json",
      );
    }
  });

  const results = loadAndCompile([DIR], types);
  for (const r of results) {
    it(`${r.file.slice(DIR.length + 1)} validates and dry-runs with its default inputs`, async () => {
      expect(r.diagnostics).toEqual([]);
      const plan = r.plan;
      if (!plan) throw new Error("no plan");
      const dry = await dryRunWorkflow(plan, resolveInputs(plan.name, plan.inputs, new Map()), types);
      const steps = [...dry.steps, ...dry.onFailure.steps];
      expect(steps.filter((s) => s.error)).toEqual([]);
      expect(steps.every((s) => typeof s.wouldDo === "string")).toBe(true);
      expect(dry.steps.map((s) => s.id).sort()).toEqual(Object.keys(plan.steps).sort());
    });
  }

  it("keeps hello.yaml runnable offline: no http steps", () => {
    const hello = results.find((r) => r.file.endsWith("hello.yaml"))?.plan;
    expect(hello).toBeDefined();
    expect(Object.values(hello?.steps ?? {}).map((s) => s.uses)).not.toContain("http");
  });
});
