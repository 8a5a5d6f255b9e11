import { describe, expect, it } from "vitest";
import { mergeStepSchemas } from "../../src/compile/schema-merge.js";
import { loadStepTypes } from "../../src/plugin/load.js";
import { workflowSchema } from "../../src/spec/schema.js";
import { loadWorkflow } from "../../src/spec/workflow-file.js";
import { tempRepo } from "./helpers.js";

describe("loadStepTypes: the repository's plugins/ folder", () => {
  it("loads .mjs files and folder index modules next to the built-ins, ignoring TypeScript sources", async () => {
    const repo = tempRepo();
    repo.copy("good/greet.mjs", "plugins/greet.mjs");
    repo.copy("packages/acme-tools/dist/index.js", "plugins/tools/index.mjs");
    repo.write("plugins/draft.ts", "this is not JavaScript and must not be imported");
    repo.write("plugins/shell/index.ts", "export default 1;");
    const { types, problems } = await loadStepTypes({ cwd: repo.dir });
    expect(problems).toEqual([]);
    expect(types.names()).toEqual(["acme-tools/upper", "acme/greet", "http", "log", "shell", "sleep"]);
    const greet = types.get("acme/greet")!;
    expect(greet.source).toBe("plugins/greet.mjs");
    expect(greet.moduleUrl).toMatch(/^file:.*\/plugins\/greet\.mjs$/);
    expect(greet.outputSchema).toMatchObject({ required: ["greeting"] });
    expect(greet.stepType?.dryRun?.({ input: { who: "Ada" }, step: { id: "s" } })).toBe("would greet Ada");
  });

  it("reports a plugin that throws on import by file and reason, and still loads the others", async () => {
    const repo = tempRepo();
    repo.copy("good/greet.mjs", "plugins/greet.mjs");
    repo.copy("misbehaving/import-throws.mjs", "plugins/broken.mjs");
    const { types, problems } = await loadStepTypes({ cwd: repo.dir });
    expect(problems).toEqual([
      {
        source: "plugins/broken.mjs",
        code: "WEFT_PLUGIN_IMPORT_FAILED",
        message: "cannot import plugins/broken.mjs: Error: missing configuration ACME_URL",
      },
    ]);
    expect(types.get("acme/greet")).toBeDefined();
  });

  it("gives up on a module that waits forever at top level", async () => {
    const repo = tempRepo();
    repo.copy("misbehaving/import-hangs.mjs", "plugins/hangs.mjs");
    repo.copy("good/greet.mjs", "plugins/greet.mjs");
    const started = Date.now();
    const { types, problems } = await loadStepTypes({ cwd: repo.dir, importTimeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ source: "plugins/hangs.mjs", code: "WEFT_PLUGIN_IMPORT_TIMEOUT" });
    expect(problems[0]?.message).toContain("within 300 ms");
    expect(types.get("acme/greet")).toBeDefined();
  });

  it("refuses bare names and duplicate names, naming both sources", async () => {
    const repo = tempRepo();
    repo.copy("good/greet.mjs", "plugins/a-greet.mjs");
    repo.copy("misbehaving/duplicate.mjs", "plugins/b-duplicate.mjs");
    repo.copy("misbehaving/not-namespaced.mjs", "plugins/c-bare.mjs");
    const { types, problems } = await loadStepTypes({ cwd: repo.dir });
    expect(problems.map((p) => p.code)).toEqual([
      "WEFT_PLUGIN_DUPLICATE_STEP",
      "WEFT_PLUGIN_NAME_NOT_NAMESPACED",
    ]);
    expect(problems[0]?.message).toBe(
      'step type "acme/greet" is defined twice: by plugins/a-greet.mjs and by plugins/b-duplicate.mjs; remove one or rename it',
    );
    expect(problems[1]?.message).toContain('step type "greet" in plugins/c-bare.mjs needs a namespace');
    expect(types.get("acme/greet")?.description).toBe("Builds a greeting for someone.");
  });
});

describe("loadStepTypes: npm packages from weft.config.yaml", () => {
  it("resolves an ESM-only package through its exports map from the repository root", async () => {
    const repo = tempRepo();
    repo.install("acme-tools");
    const { types, problems } = await loadStepTypes({ cwd: repo.dir, packages: ["acme-tools"] });
    expect(problems).toEqual([]);
    expect(types.get("acme-tools/upper")?.source).toBe("acme-tools@2.1.0");
  });

  it("names the package and both plugin API versions when they differ", async () => {
    const repo = tempRepo();
    repo.install("acme-old");
    repo.install("acme-tools");
    const { types, problems } = await loadStepTypes({ cwd: repo.dir, packages: ["acme-old", "acme-tools"] });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.code).toBe("WEFT_PLUGIN_API_VERSION");
    expect(problems[0]?.message).toMatch(
      /^acme-old was written for Weft plugin API 99, but this Weft \(weft \d+\.\d+\.\d+\) provides plugin API 1; install a version of acme-old built for plugin API 1$/,
    );
    expect(types.get("acme-tools/upper")).toBeDefined();
  });

  it("asks a package exporting a bare step type to use definePlugin, and says how to install a missing one", async () => {
    const repo = tempRepo();
    repo.install("acme-single");
    const { problems } = await loadStepTypes({ cwd: repo.dir, packages: ["acme-single", "acme-missing"] });
    expect(problems.map((p) => [p.source, p.code])).toEqual([
      ["acme-missing", "WEFT_PLUGIN_NOT_FOUND"],
      ["acme-single@1.0.0", "WEFT_PLUGIN_NOT_A_PLUGIN"],
    ]);
    expect(problems[0]?.message).toContain("run `npm install acme-missing`");
    expect(problems[1]?.message).toContain("apiVersion: 1");
  });
});

describe("validation and the editor schema with a loaded third-party type", () => {
  it("names the nearest known type for a misspelt `uses` and checks `with` against the plugin's schema", async () => {
    const repo = tempRepo();
    repo.copy("good/greet.mjs", "plugins/greet.mjs");
    const { types } = await loadStepTypes({ cwd: repo.dir });
    const yaml = [
      "name: t",
      "steps:",
      "  a:",
      "    uses: acme/gret",
      "    with: { who: Ada }",
      "  b:",
      "    uses: acme/greet",
      "    with: { whom: Ada }",
      "",
    ].join("\n");
    const { diagnostics } = loadWorkflow(yaml, "t.yaml", types);
    const unknown = diagnostics.find((d) => d.code === "WEFT_SPEC_UNKNOWN_STEP_TYPE");
    expect(unknown).toMatchObject({ line: 4, stepId: "a" });
    expect(unknown?.message).toContain("`acme/greet`");
    const badWith = diagnostics.filter((d) => d.stepId === "b");
    expect(badWith.length).toBeGreaterThan(0);
    expect(badWith.map((d) => d.message).join("\n")).toMatch(/whom/);
  });

  it("merges the plugin's input schema into the workflow schema", async () => {
    const repo = tempRepo();
    repo.copy("good/greet.mjs", "plugins/greet.mjs");
    const { types } = await loadStepTypes({ cwd: repo.dir });
    const merged = JSON.stringify(mergeStepSchemas(workflowSchema, types));
    expect(merged).toContain('"const":"acme/greet"');
    expect(merged).toContain('"punctuation"');
  });
});
