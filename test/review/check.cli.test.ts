/** `weft check` as a real child process over workflow files in a temp folder. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOW, type RunResult, weftAsync } from "./helpers.js";

const CLEAN = `name: clean
defaults:
  timeout: 1m
steps:
  say:
    uses: log
    with:
      message: hi
`;
const RISKY = `name: risky
inputs:
  day: { type: string, default: today }
defaults:
  timeout: 1m
steps:
  # weft-ignore: shell-injection -- day comes from a fixed list
  run:
    uses: shell
    with:
      command: ["sh", "-c", "echo {{ inputs.day }}"]
  fetch:
    uses: http
    with:
      url: "https://api.example.com/{{ steps.run.output.stdot }}"
`;

describe("weft check", () => {
  let dir: string;
  let runs: RunResult[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "weft-check-"));
    mkdirSync(join(dir, "ok"));
    mkdirSync(join(dir, "bad"));
    writeFileSync(join(dir, "ok", "clean.yaml"), CLEAN);
    writeFileSync(join(dir, "bad", "risky.yaml"), RISKY);
    const env = { WEFT_NOW: NOW, NO_COLOR: "1" };
    runs = await Promise.all([
      weftAsync(["check", "ok"], { cwd: dir, env }),
      weftAsync(["check", "bad"], { cwd: dir, env }),
      weftAsync(["check", "bad", "--format", "json"], { cwd: dir, env }),
      weftAsync(["check", "bad", "--format", "github"], { cwd: dir, env }),
      weftAsync(["check", "missing"], { cwd: dir, env }),
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 0 for clean workflows", () => {
    const [ok] = runs as [RunResult];
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("1 workflow valid: 0 errors, 0 warnings\n");
  });

  it("exits 1 on an error finding and shows the silenced one as silenced", () => {
    const bad = runs[1] as RunResult;
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      "bad/risky.yaml:15:12 error unknown-output-field `steps.run.output.stdot`: the output has no field `stdot`",
    );
    expect(bad.stderr).toContain("hint: did you mean `stdout`?");
    expect(bad.stderr).toContain(
      "bad/risky.yaml:11:29 error shell-injection step `run` puts a template value into code run by `sh`: a value containing quotes or `;` runs as code (silenced by weft-ignore on line 7: day comes from a fixed list)",
    );
    expect(bad.stderr).toContain("1 of 1 workflow invalid: 1 error, 0 warnings, 1 silenced");
  });

  it("prints versioned JSON with each finding's silence", () => {
    const report = JSON.parse((runs[2] as RunResult).stdout);
    expect(report.version).toBe(1);
    expect(report.valid).toBe(false);
    expect(report.summary).toEqual({ errors: 1, invalid: 1, silenced: 1, warnings: 0, workflows: 1 });
    const findings = report.workflows[0].findings as Array<{ code: string; silenced: unknown }>;
    expect(findings.map((f) => [f.code, f.silenced])).toEqual([
      ["shell-injection", { line: 7, reason: "day comes from a fixed list" }],
      ["unknown-output-field", null],
    ]);
  });

  it("prints annotations: an error for the finding, a notice for the silenced one", () => {
    const lines = (runs[3] as RunResult).stdout.split("\n");
    expect(lines[0]).toMatch(/^::error file=bad\/risky\.yaml,line=15,col=12,.*title=unknown-output-field::/);
    expect(lines[1]).toMatch(
      /^::notice file=bad\/risky\.yaml,line=11,col=29,title=shell-injection \(silenced\)::/,
    );
  });

  it("exits 2 for a path that does not exist", () => {
    expect((runs[4] as RunResult).code).toBe(2);
  });
});
