/**
 * Every file in test/corpus/valid loads without diagnostics; every file in test/corpus/invalid
 * produces exactly the text (no colour, with code frames) in its `.expected.txt`.
 * Set WEFT_UPDATE_CORPUS=1 to rewrite the expected files after a deliberate change, then
 * review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { formatDiagnostics } from "../../src/spec/format.js";
import { loadWorkflow } from "../../src/spec/workflow-file.js";
import { testRegistry } from "./registry.js";

const CORPUS = join(import.meta.dirname, "..", "corpus");
const types = testRegistry();
const yamlFiles = (dir: string) =>
  readdirSync(join(CORPUS, dir))
    .filter((f) => f.endsWith(".yaml"))
    .sort();

describe("valid corpus", () => {
  test.each(yamlFiles("valid"))("%s loads with no diagnostics", (name) => {
    const file = `valid/${name}`;
    const result = loadWorkflow(readFileSync(join(CORPUS, file), "utf8"), file, types);
    expect(formatDiagnostics(result.diagnostics, { format: "text", color: false })).toBe("");
    expect(result.spec?.name).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(Object.keys(result.spec?.steps ?? {}).length).toBeGreaterThan(0);
  });
});

describe("invalid corpus", () => {
  test.each(yamlFiles("invalid"))("%s reports the expected diagnostics", (name) => {
    const file = `invalid/${name}`;
    const source = readFileSync(join(CORPUS, file), "utf8");
    const result = loadWorkflow(source, file, types);
    expect(result.spec).toBeUndefined();
    expect(result.diagnostics.some((d) => d.severity === "error")).toBe(true);
    const text = `${formatDiagnostics(result.diagnostics, {
      format: "text",
      color: false,
      sources: new Map([[file, source]]),
    })}\n`;
    const expectedPath = join(CORPUS, file.replace(/\.yaml$/, ".expected.txt"));
    if (process.env.WEFT_UPDATE_CORPUS === "1") writeFileSync(expectedPath, text);
    expect(text).toBe(readFileSync(expectedPath, "utf8"));
  });
});
