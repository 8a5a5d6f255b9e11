/**
 * The published schema is what editors show on hover: every property must say what it is and
 * give examples, and every example must itself be valid, so the help cannot rot.
 */
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, test } from "vitest";
import { DURATION_PATTERN, PATTERN_PROBLEMS } from "../../src/spec/explain.js";
import { loadDocument } from "../../src/spec/load.js";
import { workflowSchema } from "../../src/spec/schema.js";
import { validateWorkflow } from "../../src/spec/validate.js";
import { testRegistry } from "./registry.js";

type Schema = Record<string, unknown>;

// One instance for every example check; the wrapper schemas have no $id, so they never collide.
const exampleAjv = new Ajv({ strict: false, allowUnionTypes: true });
addFormatsModule.default(exampleAjv);

/** Every entry of every `properties` map, anywhere in the schema, with its JSON path. */
function properties(schema: unknown, path = "#"): Array<[string, Schema]> {
  if (schema === null || typeof schema !== "object") return [];
  const out: Array<[string, Schema]> = [];
  for (const [key, value] of Object.entries(schema)) {
    const here = `${path}/${key}`;
    if (key === "properties" && value && typeof value === "object") {
      for (const [name, prop] of Object.entries(value)) out.push([`${here}/${name}`, prop as Schema]);
    }
    if (key !== "examples" && key !== "default") out.push(...properties(value, here));
  }
  return out;
}

describe("workflow.schema.json", () => {
  const props = properties(workflowSchema);

  test("is a valid draft-07 schema that forbids unknown keys everywhere", () => {
    expect(workflowSchema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    addFormatsModule.default(ajv);
    expect(ajv.validateSchema(workflowSchema)).toBe(true);
    const objects: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== "object") return;
      const s = node as Schema;
      if (s.type === "object" && s.properties) objects.push(path);
      if (s.type === "object" && s.properties) expect(s.additionalProperties, path).toBe(false);
      for (const [k, v] of Object.entries(s)) if (k !== "examples") walk(v, `${path}/${k}`);
    };
    walk(workflowSchema, "#");
    expect(objects.length).toBeGreaterThan(8);
  });

  test("the patterns that get tailored messages are the schema's patterns", () => {
    const patterns = new Set<string>();
    const walk = (node: unknown) => {
      if (!node || typeof node !== "object") return;
      const p = (node as Schema).pattern;
      if (typeof p === "string") patterns.add(p);
      for (const v of Object.values(node)) walk(v);
    };
    walk(workflowSchema);
    expect((workflowSchema.definitions as Record<string, Schema>).duration?.pattern).toBe(DURATION_PATTERN);
    for (const p of Object.keys(PATTERN_PROBLEMS)) expect(patterns).toContain(p);
  });

  test("covers the whole format", () => {
    const names = new Set(props.map(([p]) => p.split("/").pop()));
    for (const name of [
      "name",
      "inputs",
      "on",
      "schedule",
      "webhook",
      "manual",
      "concurrency",
      "idempotencyKey",
    ]) {
      expect(names).toContain(name);
    }
    for (const name of [
      "uses",
      "with",
      "needs",
      "if",
      "forEach",
      "retry",
      "timeout",
      "continueOnError",
      "onFailure",
    ]) {
      expect(names).toContain(name);
    }
    expect(props.length).toBeGreaterThan(40);
  });

  test.each(properties(workflowSchema))("%s has a description and examples", (_path, prop) => {
    expect(typeof prop.description).toBe("string");
    expect((prop.description as string).length).toBeGreaterThan(10);
    expect(Array.isArray(prop.examples)).toBe(true);
    expect((prop.examples as unknown[]).length).toBeGreaterThan(0);
  });

  test.each(properties(workflowSchema))("%s examples are valid values of that property", (_path, prop) => {
    const { examples, ...rest } = prop;
    const validate = exampleAjv.compile({ ...rest, definitions: workflowSchema.definitions });
    for (const example of examples as unknown[])
      expect(validate(example), JSON.stringify(example)).toBe(true);
  });

  test("the sketch in the design document validates", () => {
    const yaml = `name: nightly-sales
description: Pull yesterday's sales and post a summary
inputs:
  day: { type: string, default: yesterday }
on:
  schedule: [{ cron: "0 2 * * *", timezone: Europe/Berlin }]
  webhook: { secret: SALES_HOOK_SECRET }
  manual: {}
concurrency: { limit: 1, key: "{{ inputs.day }}" }
defaults:
  retry: { attempts: 3, backoff: exponential, delay: 2s, maxDelay: 1m }
  timeout: 10m
steps:
  fetch:
    uses: http
    with:
      url: "https://api.example.com/sales?day={{ inputs.day }}"
      headers: { Authorization: "Bearer {{ secrets.SALES_TOKEN }}" }
  per-region:
    forEach: "{{ steps.fetch.output.body.regions }}"
    uses: http
    with: { url: "https://api.example.com/regions/{{ item.id }}" }
  post:
    needs: [per-region]
    if: "{{ gt steps.fetch.output.body.total 0 }}"
    uses: shell
    with:
      command: ["./scripts/post.sh"]
      env: { TOTAL: "{{ steps.fetch.output.body.total }}" }
    retry: { attempts: 5 }
    timeout: 30s
onFailure:
  alert: { uses: http, with: { url: "https://hooks.example.com/alert", method: POST } }
`;
    const loaded = loadDocument(yaml, "design.yaml");
    expect(loaded.diagnostics).toEqual([]);
    const result = validateWorkflow(loaded.doc!, testRegistry());
    expect(result.diagnostics).toEqual([]);
    expect(result.spec?.steps.post?.needs).toEqual(["per-region"]);
  });
});
