import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { mergeStepSchemas } from "../../src/compile/schema-merge.js";
import { WORKFLOW_SCHEMA_PATH } from "../../src/spec/schema.js";
import { types } from "./helpers.js";

describe("mergeStepSchemas", () => {
  const base = JSON.parse(readFileSync(WORKFLOW_SCHEMA_PATH, "utf8")) as Record<string, unknown>;
  const merged = mergeStepSchemas(base, types);
  const validate = new Ajv({ strict: false, allErrors: true }).compile(merged);

  it("checks `with` against the input schema of the step type named in `uses`", () => {
    const ok = { name: "x", steps: { a: { uses: "http", with: { url: "https://example.com" } } } };
    const bad = { name: "x", steps: { a: { uses: "http", with: { uri: "https://example.com" } } } };
    const badSleep = { name: "x", steps: { a: { uses: "sleep", with: { seconds: 3 } } } };
    expect(validate(ok)).toBe(true);
    expect(validate(bad)).toBe(false);
    expect(validate(badSleep)).toBe(false);
  });

  it("keeps unknown step types valid for editors and lists the known ones with descriptions", () => {
    expect(validate({ name: "x", steps: { a: { uses: "acme/thing", with: { any: 1 } } } })).toBe(true);
    const step = (merged.definitions as Record<string, Record<string, unknown>>).step as Record<
      string,
      unknown
    >;
    const uses = (step.properties as Record<string, { anyOf: Array<{ const?: string }> }>).uses;
    expect(uses?.anyOf.map((b) => b.const).filter(Boolean)).toEqual(types.names());
    expect(base).toEqual(JSON.parse(readFileSync(WORKFLOW_SCHEMA_PATH, "utf8")));
  });
});
