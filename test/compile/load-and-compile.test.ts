import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expandWorkflowPaths, loadAndCompile } from "../../src/compile/load.js";
import { WeftError } from "../../src/errors.js";
import { types } from "./helpers.js";

const wf = (name: string) => `name: ${name}\nsteps:\n  a:\n    uses: log\n    with: { message: hi }\n`;

describe("loadAndCompile", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "weft-load-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("expands folders to sorted *.yaml and *.yml files, leaving out *.test.yaml and subfolders", () => {
    writeFileSync(join(dir, "b.yml"), wf("b"));
    writeFileSync(join(dir, "a.yaml"), wf("a"));
    writeFileSync(join(dir, "a.test.yaml"), wf("fixture"));
    writeFileSync(join(dir, "notes.md"), "# not a workflow");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "c.yaml"), wf("c"));
    expect(expandWorkflowPaths([dir])).toEqual([join(dir, "a.yaml"), join(dir, "b.yml")]);
    const results = loadAndCompile([dir, join(dir, "sub", "c.yaml")], types);
    expect(results.map((r) => [r.file, r.plan?.name])).toEqual([
      [join(dir, "a.yaml"), "a"],
      [join(dir, "b.yml"), "b"],
      [join(dir, "sub", "c.yaml"), "c"],
    ]);
    expect(results[0]?.source).toBe(wf("a"));
  });

  it("throws a coded error for a path that does not exist", () => {
    const missing = join(dir, "nope");
    expect(() => loadAndCompile([missing], types)).toThrowError(WeftError);
    expect(() => loadAndCompile([missing], types)).toThrowError(`${missing} does not exist`);
  });

  it("reports spec problems without compiling, and compile problems after", () => {
    writeFileSync(join(dir, "bad-spec.yaml"), "name: x\nstepz: {}\n");
    writeFileSync(
      join(dir, "bad-ref.yaml"),
      `name: y\nsteps:\n  a:\n    uses: log\n    with: { message: "{{ steps.b.status }}" }\n`,
    );
    const [badRef, badSpec] = loadAndCompile([dir], types);
    expect(badRef?.plan).toBeUndefined();
    expect(badRef?.diagnostics.map((d) => d.code)).toEqual(["WEFT_COMPILE_UNKNOWN_STEP"]);
    expect(badSpec?.plan).toBeUndefined();
    expect(badSpec?.diagnostics.every((d) => d.code.startsWith("WEFT_SPEC_"))).toBe(true);
  });

  it("refuses two files that declare the same workflow name", () => {
    writeFileSync(join(dir, "one.yaml"), wf("same"));
    writeFileSync(join(dir, "two.yaml"), `# second\n${wf("same")}`);
    const [one, two] = loadAndCompile([dir], types);
    expect(one?.plan?.name).toBe("same");
    expect(two?.plan).toBeUndefined();
    expect(two?.diagnostics).toMatchObject([
      {
        code: "WEFT_COMPILE_DUPLICATE_NAME",
        line: 2,
        col: 7,
        message: `workflow name "same" is also used by ${join(dir, "one.yaml")}; every workflow needs its own name`,
      },
    ]);
  });
});
