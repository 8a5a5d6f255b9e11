import { describe, expect, it } from "vitest";
import { ignoreComments } from "../../src/review/silence.js";
import { codes, lintYaml } from "./helpers.js";

const wf = (above: string, onKey: string, onLine: string) => `name: w
inputs:
  day: { type: string, default: today }
steps:
${above}  run:${onKey}
    uses: shell
    with:
      command: ["sh", "-c", "echo {{ inputs.day }}"]${onLine}
`;

describe("# weft-ignore comments", () => {
  it("silence a lint for the whole step from the lines above its key, keeping the finding visible", () => {
    const found = lintYaml(
      wf("  # weft-ignore: shell-injection, step-no-timeout -- day is validated upstream\n", "", ""),
    );
    expect(codes(found)).toEqual(["step-no-timeout@6:3 (silenced)", "shell-injection@9:29 (silenced)"]);
    expect(found[1]?.silenced).toEqual({ line: 5, reason: "day is validated upstream" });
  });

  it("silence from the step's key line or the finding's own line, only the ids they name", () => {
    const onKey = lintYaml(wf("", "  # weft-ignore: step-no-timeout", ""));
    expect(codes(onKey)).toEqual(["step-no-timeout@5:3 (silenced)", "shell-injection@8:29"]);
    const onLine = lintYaml(wf("", "", "  # weft-ignore: shell-injection"));
    expect(codes(onLine)).toEqual(["step-no-timeout@5:3", "shell-injection@8:29 (silenced)"]);
  });

  it("report an id that names no lint, with a suggestion", () => {
    const found = lintYaml(wf("  # weft-ignore: shell-injektion\n", "", "")).filter(
      (f) => f.code === "weft-ignore",
    );
    expect(found.map((f) => [f.line, f.message, f.hint])).toEqual([
      [
        5,
        "`# weft-ignore: shell-injektion` names no lint, so it silences nothing",
        "did you mean `shell-injection`?",
      ],
    ]);
  });

  it("are read only where YAML reads a comment", () => {
    const comments = ignoreComments(
      'a: "x#weft-ignore: shell-injection"\nb: 1 # weft-ignore: a, b -- why\n#weft-ignore:c',
    );
    expect([...comments.values()]).toEqual([
      { line: 2, col: 6, ids: ["a", "b"], reason: "why" },
      { line: 3, col: 1, ids: ["c"] },
    ]);
  });
});
