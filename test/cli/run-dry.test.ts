import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, weft } from "./helpers.js";

const FETCHER = `name: fetcher
inputs:
  count: { type: integer, default: 2 }
  verbose: { type: boolean, default: false }
on:
  schedule: [{ cron: "0 2 * * *", timezone: Europe/Berlin }]
steps:
  fetch:
    uses: http
    with:
      url: "https://api.example.com/items?n={{ inputs.count }}"
      headers: { Authorization: "Bearer {{ secrets.API_TOKEN }}" }
    retry: { attempts: 3, delay: 2s }
    timeout: 30s
  report:
    if: "{{ inputs.verbose }}"
    uses: log
    with: { message: "got {{ steps.fetch.output.body.total }} items" }
`;

describe("weft run --dry", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "weft-cli-dry-"));
    writeFileSync(join(dir, "fetcher.yaml"), FETCHER);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints waves, rendered inputs with placeholders, policies and next fires; runs nothing", () => {
    const before = readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]);
    const r = weft(["run", "--dry", "fetcher.yaml", "--input", "count=5", "--input", "verbose=true"], {
      cwd: dir,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("wave 1\n    fetch (http)\n");
    expect(r.stdout).toContain("url: https://api.example.com/items?n=5");
    expect(r.stdout).toContain("Authorization: Bearer <secret:API_TOKEN>");
    expect(r.stdout).toContain("retry: 3 attempts, exponential from 2s doubling up to 5m; timeout 30s");
    expect(r.stdout).toContain("wave 2\n    report (log)  after fetch\n");
    expect(r.stdout).toContain("if: {{ inputs.verbose }} → runs");
    expect(r.stdout).toContain("message: got <steps.fetch.output.body.total> items");
    expect(r.stdout).toMatch(
      /schedule "0 2 \* \* \*" in Europe\/Berlin.*\n\s+next: \d{4}-\d\d-\d\dT02:00:00\+0[12]:00, /,
    );
    expect(r.stdout).toContain("nothing was executed");
    expect(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs])).toEqual(before);
  });

  it("prints a stable JSON document with --json, inputs coerced to their declared types", () => {
    const r = weft(["run", "--dry", "--json", "fetcher.yaml", "--input", "count=7"], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.dryRun).toBe(true);
    const [w] = doc.workflows;
    expect(w.inputs).toEqual({ count: 7, verbose: false });
    expect(w.waves).toEqual([["fetch"], ["report"]]);
    expect(w.steps[0]).toMatchObject({
      id: "fetch",
      uses: "http",
      with: {
        url: "https://api.example.com/items?n=7",
        headers: { Authorization: "Bearer <secret:API_TOKEN>" },
      },
      retry: { attempts: 3, backoff: "exponential", delayMs: 2000, maxDelayMs: 300000, jitter: 0 },
      timeoutMs: 30000,
      wouldDo: "would send: GET https://api.example.com/items?n=7",
    });
    expect(w.steps[1].if).toEqual({ template: "{{ inputs.verbose }}", value: false });
    expect(w.triggers[0].nextFires).toHaveLength(3);
    expect(Object.keys(w)).toEqual([
      "file",
      "name",
      "hash",
      "inputs",
      "triggers",
      "secrets",
      "waves",
      "steps",
      "onFailure",
    ]);
    const again = weft(["run", "--dry", "--json", "fetcher.yaml", "--input", "count=7"], { cwd: dir });
    const strip = (s: string) => s.replace(/"nextFires": \[[^\]]*\]/g, "");
    expect(strip(again.stdout)).toBe(strip(r.stdout));
  });

  it("exits 2 for an unknown input or a value of the wrong type", () => {
    const unknown = weft(["run", "--dry", "fetcher.yaml", "--input", "cout=5"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toBe(
      'weft: workflow "fetcher" has no input "cout" (did you mean "count"?); its inputs are: count, verbose\n',
    );
    const badType = weft(["run", "--dry", "fetcher.yaml", "--input", "count=many"], { cwd: dir });
    expect(badType.code).toBe(2);
    expect(badType.stderr).toBe('weft: input "count" of workflow "fetcher" must be an integer; got "many"\n');
  });

  it("dry-runs every workflow of a folder", () => {
    const r = weft(["run", "--dry", "workflows"], { cwd: ROOT });
    expect(r.code).toBe(0);
    // *.test.yaml files beside the workflows are `weft test` files, not workflows.
    const workflows = readdirSync(join(ROOT, "workflows")).filter((f) => !/\.test\.ya?ml$/.test(f));
    for (const file of workflows) expect(r.stdout).toContain(`workflows/${file}`);
  });
});

describe("weft schema", () => {
  it("prints valid JSON with each step type's input schema merged under `uses`", () => {
    const r = weft(["schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    const branches = schema.definitions.step.allOf as Array<{
      if: { properties: { uses: { const: string } } };
      then: { properties: { with: { properties: Record<string, unknown> } } };
    }>;
    const byType = Object.fromEntries(
      branches.map((b) => [b.if.properties.uses.const, b.then.properties.with]),
    );
    expect(Object.keys(byType).sort()).toEqual(["http", "log", "shell", "sleep"]);
    expect(Object.keys(byType.shell?.properties ?? {})).toContain("script");
    expect(Object.keys(byType.http?.properties ?? {})).toContain("url");
  });
});
