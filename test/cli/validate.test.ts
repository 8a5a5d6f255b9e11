import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { weft, weftInTty } from "./helpers.js";

const GOOD = `name: good\nsteps:\n  a:\n    uses: log\n    with: { message: hi }\n`;
const BAD = `name: bad
steps:
  a:
    uses: log
    with: { message: "{{ steps.b.status }}" }
  b:
    uses: log
    with: { message: "{{ steps.a.status }}" }
`;

describe("weft validate", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "weft-cli-validate-"));
    writeFileSync(join(dir, "good.yaml"), GOOD);
    writeFileSync(join(dir, "bad.yaml"), BAD);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("validates workflows/ by default: exit 0 and a one-line summary on stdout", () => {
    const r = weft(["validate"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^\d+ workflows valid\n$/);
    expect(r.code).toBe(0);
  });

  it("exits 1 for an invalid workflow, with file:line:col problems on stderr only", () => {
    const r = weft(["validate", join(dir, "bad.yaml")], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      `${join(dir, "bad.yaml")}:3:3 error WEFT_COMPILE_CYCLE steps wait for each other in a loop: a → b → a`,
    );
    expect(r.stderr).toContain("1 of 1 workflow invalid: 1 error");
    expect(r.stderr).not.toContain("\u001b[");
  });

  it("exits 2 for a path that does not exist and for an unknown format", () => {
    const missing = weft(["validate", join(dir, "missing.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toBe(
      `weft: ${join(dir, "missing.yaml")} does not exist; pass a workflow file or a folder of workflows\n`,
    );
    const format = weft(["validate", "--format", "xml", dir]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("option '-f, --format <format>' argument 'xml' is invalid");
  });

  it("prints GitHub annotations on stdout with --format github", () => {
    const r = weft(["validate", "--format", "github", "bad.yaml", "good.yaml"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      "::error file=bad.yaml,line=3,col=3,endColumn=4,title=WEFT_COMPILE_CYCLE::steps wait for each other in a loop: a → b → a (a at bad.yaml:3:3, b at bad.yaml:6:3); remove one of these needs or references",
      "1 of 2 workflows invalid: 1 error",
      "",
    ]);
  });

  it("prints one JSON document with --format json", () => {
    const r = weft(["validate", "--format", "json", "bad.yaml", "good.yaml"], { cwd: dir });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      valid: boolean;
      workflows: Array<{ file: string; valid: boolean; diagnostics: unknown[] }>;
    };
    expect(doc.valid).toBe(false);
    expect(doc.workflows.map((w) => [w.file, w.valid, w.diagnostics.length])).toEqual([
      ["bad.yaml", false, 1],
      ["good.yaml", true, 0],
    ]);
  });

  it("colours a terminal, and never when NO_COLOR is set", () => {
    const coloured = weftInTty(["validate", "bad.yaml"], { NO_COLOR: undefined }, dir);
    expect(coloured.code).toBe(1);
    expect(coloured.stdout).toContain("\u001b[31m");
    const plain = weftInTty(["validate", "bad.yaml"], { NO_COLOR: "1" }, dir);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain("WEFT_COMPILE_CYCLE");
    expect(plain.stdout).not.toContain("\u001b[");
  });
});

describe("weft top-level", () => {
  it("prints the version and help, exit 0", () => {
    const version = weft(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = weft(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("validate [options] [paths...]");
    expect(help.stdout).toContain("schema");
  });

  it("exits 2 with a message for an unknown command or no command", () => {
    const unknown = weft(["valdate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'valdate'");
    expect(unknown.stderr).toContain("(Did you mean validate?)");
    const none = weft([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Usage: weft");
  });
});
