/** Parser abuse: every hazard is refused fast, with a positioned, coded diagnostic. */
import { describe, expect, test } from "vitest";
import { LOAD_LIMITS, loadDocument } from "../../src/spec/load.js";
import { loadWorkflow } from "../../src/spec/workflow-file.js";
import { testRegistry } from "./registry.js";

const codes = (source: string) => loadDocument(source, "w.yaml").diagnostics.map((d) => d.code);

function billionLaughs(levels: number): string {
  const lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i < levels; i++) {
    const prev = `*a${i - 1}`;
    lines.push(`a${i}: &a${i} [${Array(9).fill(prev).join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

describe("size", () => {
  test("a source over 1 MiB is refused before parsing", () => {
    const source = `name: big\nsteps:\n  a: { uses: log, with: { message: "${"x".repeat(LOAD_LIMITS.maxBytes)}" } }\n`;
    const started = performance.now();
    const result = loadDocument(source, "big.yaml");
    expect(performance.now() - started).toBeLessThan(200);
    expect(result.doc).toBeUndefined();
    expect(result.diagnostics).toMatchObject([
      { code: "WEFT_SPEC_FILE_TOO_LARGE", line: 1, col: 1, file: "big.yaml", severity: "error" },
    ]);
    expect(result.diagnostics[0]?.message).toContain("limited to 1048576 bytes");
  });

  test("the limit counts UTF-8 bytes, not characters", () => {
    const chars = Math.floor(LOAD_LIMITS.maxBytes / 3) + 10; // 3 bytes each in UTF-8
    expect(codes(`a: "${"€".repeat(chars)}"\n`)).toEqual(["WEFT_SPEC_FILE_TOO_LARGE"]);
  });
});

describe("aliases", () => {
  test("a billion-laughs file fails fast with a message that aliases are limited", () => {
    const started = performance.now();
    const heapBefore = process.memoryUsage().heapUsed;
    const result = loadDocument(billionLaughs(10), "bomb.yaml");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
    expect(result.doc).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: "WEFT_SPEC_YAML_ALIAS_LIMIT", line: 3 });
    expect(result.diagnostics[0]?.message).toMatch(/aliases are limited to 100/);
  });

  test("a few aliases are fine and expand to equal values", () => {
    const result = loadDocument("a: &x { k: [1, 2] }\nb: *x\nc: *x\n", "w.yaml");
    expect(result.diagnostics).toEqual([]);
    expect(result.doc?.data).toEqual({ a: { k: [1, 2] }, b: { k: [1, 2] }, c: { k: [1, 2] } });
  });

  test("an alias to an unknown anchor, or to its own container, is refused", () => {
    expect(codes("a: *nope\n")).toEqual(["WEFT_SPEC_YAML_ALIAS_UNKNOWN"]);
    expect(codes("a: &x [1, *x]\n")).toEqual(["WEFT_SPEC_YAML_ALIAS_CYCLE"]);
  });
});

describe("nesting", () => {
  test("10,000-deep flow nesting is refused in well under a second, without a stack overflow", () => {
    const source = `a: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`;
    const started = performance.now();
    const result = loadDocument(source, "deep.yaml");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["WEFT_SPEC_YAML_DEPTH"]);
    expect(result.diagnostics[0]?.message).toContain("more than 64 levels");
  });

  test("10,000-deep block nesting (compact sequences) is refused as fast", () => {
    const source = `a:\n${"- ".repeat(10_000)}x\n`;
    const started = performance.now();
    expect(codes(source)).toEqual(["WEFT_SPEC_YAML_DEPTH"]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test("nesting at the limit loads; one level more does not", () => {
    const nest = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
    expect(codes(`${nest(LOAD_LIMITS.maxDepth)}\n`)).toEqual([]);
    expect(codes(`${nest(LOAD_LIMITS.maxDepth + 1)}\n`)).toEqual(["WEFT_SPEC_YAML_DEPTH"]);
  });

  test("aliases cannot be used to get past the depth limit", () => {
    const half = LOAD_LIMITS.maxDepth / 2 + 2;
    const source = `a: &x ${"[".repeat(half)}${"]".repeat(half)}\nb: ${"[".repeat(half)}*x${"]".repeat(half)}\n`;
    expect(codes(source)).toEqual(["WEFT_SPEC_YAML_DEPTH"]);
  });
});

describe("YAML features that are refused or inert", () => {
  test("multi-document files are refused at the second document", () => {
    const result = loadDocument("a: 1\n---\nb: 2\n", "w.yaml");
    expect(result.diagnostics).toMatchObject([{ code: "WEFT_SPEC_YAML_MULTI_DOC", line: 2, col: 1 }]);
  });

  test.each([
    ["a: !foo 1\n", "!foo"],
    ["a: !!binary aGVsbG8=\n", "!!binary"],
    ["a: !!set { x }\n", "!!set"],
    ["a: !!timestamp 2020-01-01\n", "!!timestamp"],
    ["a: !<tag:example.com,2000:x> 1\n", "!<tag:example.com,2000:x>"],
  ])("tag in %j is an error naming the tag", (source, tag) => {
    const [d] = loadDocument(source, "w.yaml").diagnostics;
    expect(d).toMatchObject({ code: "WEFT_SPEC_YAML_TAG", severity: "error", line: 1, col: 4 });
    expect(d?.message).toContain(`\`${tag}\``);
  });

  test("core-schema tags are accepted", () => {
    expect(loadDocument("a: !!str 3\nb: !!int '4'\n", "w.yaml").doc?.data).toEqual({ a: "3", b: 4 });
  });

  test("YAML 1.1 directives are refused; 1.1 booleans are plain strings", () => {
    expect(codes("%YAML 1.1\n---\na: 1\n")).toEqual(["WEFT_SPEC_YAML_VERSION"]);
    expect(loadDocument("on: yes\noff: no\n", "w.yaml").doc?.data).toEqual({ on: "yes", off: "no" });
  });

  test("`<<` is an ordinary key, not a merge", () => {
    const data = loadDocument("base: &b { x: 1 }\nm:\n  <<: *b\n  y: 2\n", "w.yaml").doc?.data;
    expect(data).toEqual({ base: { x: 1 }, m: { "<<": { x: 1 }, y: 2 } });
  });

  test("a `__proto__` key becomes an own key and pollutes nothing", () => {
    const result = loadDocument(
      "__proto__: { polluted: true }\nsteps:\n  __proto__: { isAdmin: true }\n",
      "w.yaml",
    );
    const data = result.doc?.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.hasOwn(data, "__proto__")).toBe(true);
    expect(Object.keys(data)).toEqual(["__proto__", "steps"]);
    expect((data as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(JSON.parse(JSON.stringify(data))).toEqual(
      JSON.parse('{"__proto__":{"polluted":true},"steps":{"__proto__":{"isAdmin":true}}}'),
    );
  });

  test("a `__proto__` key in a workflow is an unknown-key error and Object.prototype stays clean", () => {
    const source =
      "name: p\n__proto__: { polluted: true }\nsteps:\n  a: { uses: log, with: { message: hi } }\n";
    const result = loadWorkflow(source, "p.yaml", testRegistry());
    expect(result.spec).toBeUndefined();
    expect(result.diagnostics).toMatchObject([{ code: "WEFT_SPEC_UNKNOWN_KEY", line: 2, col: 1 }]);
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  test("keys that collide after conversion (1 and '1') are duplicate keys", () => {
    expect(codes("1: a\n'1': b\n")).toEqual(["WEFT_SPEC_YAML_DUPLICATE_KEY"]);
  });

  test("duplicate keys are each reported with the key's position", () => {
    const result = loadDocument("a: 1\nb: 2\na: 3\nb: 4\n", "w.yaml");
    expect(result.diagnostics.map((d) => [d.code, d.line, d.col, d.endCol])).toEqual([
      ["WEFT_SPEC_YAML_DUPLICATE_KEY", 3, 1, 2],
      ["WEFT_SPEC_YAML_DUPLICATE_KEY", 4, 1, 2],
    ]);
  });

  test("non-scalar keys and non-finite numbers are refused", () => {
    expect(codes("? [a, b]\n: 1\n")).toEqual(["WEFT_SPEC_YAML_KEY"]);
    expect(codes("a: .nan\n")).toEqual(["WEFT_SPEC_YAML_NUMBER"]);
  });

  test("a syntax error has the yaml parser's line and column, and only the first is reported", () => {
    const result = loadDocument("a: 1\nb: [1, 2\nc: 3\n  d: 4\n", "w.yaml");
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: "WEFT_SPEC_YAML_SYNTAX", line: 2 });
  });

  test("an empty or comment-only file says a workflow needs name and steps", () => {
    expect(codes("")).toEqual(["WEFT_SPEC_EMPTY_FILE"]);
    expect(codes("# nothing\n")).toEqual(["WEFT_SPEC_EMPTY_FILE"]);
  });
});
