import { describe, expect, test } from "vitest";
import { codeFrame } from "../../src/spec/code-frame.js";
import { formatDiagnostics } from "../../src/spec/format.js";
import type { Diagnostic } from "../../src/spec/types.js";

const source = "name: demo\nsteps:\n  post:\n    need: [a]\n    uses: log\n";
const sources = new Map([["w.yaml", source]]);
const unknownKey: Diagnostic = {
  code: "WEFT_SPEC_UNKNOWN_KEY",
  severity: "error",
  message: "unknown key `need` in step `post`; did you mean `needs`?",
  hint: "valid keys here: uses, needs",
  file: "w.yaml",
  line: 4,
  col: 5,
  endLine: 4,
  endCol: 9,
  path: "steps.post.need",
  stepId: "post",
};
const warning: Diagnostic = {
  code: "WEFT_SPEC_CONCURRENCY_WITHOUT_FOREACH",
  severity: "warning",
  message: "100% useless, really:\r\nsee docs",
  file: "dir,with:odd/w.yaml",
  line: 2,
  col: 1,
};

describe("text", () => {
  test("file:line:col severity code message, hint, and a code frame with a caret under the span", () => {
    expect(formatDiagnostics([unknownKey], { format: "text", color: false, sources })).toBe(
      [
        "w.yaml:4:5 error WEFT_SPEC_UNKNOWN_KEY unknown key `need` in step `post`; did you mean `needs`?",
        "  hint: valid keys here: uses, needs",
        "  2 | steps:",
        "  3 |   post:",
        "> 4 |     need: [a]",
        "    |     ^^^^",
        "  5 |     uses: log",
      ].join("\n"),
    );
  });

  test("without the source there is no frame; diagnostics are separated by a blank line", () => {
    const text = formatDiagnostics([unknownKey, { ...warning, file: "x.yaml" }], {
      format: "text",
      color: false,
    });
    expect(text.split("\n\n")).toHaveLength(2);
    expect(text).toContain("x.yaml:2:1 warning WEFT_SPEC_CONCURRENCY_WITHOUT_FOREACH");
    expect(text).not.toContain("|");
  });

  test("colours only when asked", () => {
    const plain = formatDiagnostics([unknownKey], { format: "text", color: false, sources });
    const colored = formatDiagnostics([unknownKey], { format: "text", color: true, sources });
    expect(plain).not.toContain("\u001b[");
    expect(colored).toContain("\u001b[31m");
    expect(colored.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "")).toBe(plain);
  });

  test("the frame aligns wide line numbers and tabs, and marks a position past the last line", () => {
    const long = `${Array.from({ length: 12 }, (_, i) => `k${i + 1}: v`).join("\n")}\n\tx: 1\n`;
    expect(codeFrame(long, { line: 10, col: 1, endLine: 10, endCol: 4 }, { context: 1 })).toBe(
      ["   9 | k9: v", "> 10 | k10: v", "     | ^^^", "  11 | k11: v"].join("\n"),
    );
    expect(codeFrame(long, { line: 13, col: 2 }, { context: 0 })).toBe(
      ["> 13 | \tx: 1", "     | \t^"].join("\n"),
    );
    expect(codeFrame("a: 1\n", { line: 2, col: 1 }, { context: 1 })).toBe(
      ["  1 | a: 1", "> 2 |", "    | ^"].join("\n"),
    );
  });
});

describe("json", () => {
  test("a stable array with a fixed key order and no undefined fields", () => {
    const json = formatDiagnostics([unknownKey, warning], { format: "json", color: true });
    const parsed = JSON.parse(json) as Array<Record<string, unknown>>;
    expect(Object.keys(parsed[0] ?? {})).toEqual([
      "file",
      "line",
      "col",
      "endLine",
      "endCol",
      "severity",
      "code",
      "message",
      "hint",
      "path",
      "stepId",
    ]);
    expect(Object.keys(parsed[1] ?? {})).toEqual(["file", "line", "col", "severity", "code", "message"]);
    expect(json).not.toContain("\u001b[");
    expect(formatDiagnostics([], { format: "json", color: false })).toBe("[]");
  });
});

describe("github", () => {
  test("workflow commands with escaped properties and message", () => {
    const out = formatDiagnostics([unknownKey, warning], { format: "github", color: true }).split("\n");
    expect(out[0]).toBe(
      "::error file=w.yaml,line=4,col=5,endColumn=9,title=WEFT_SPEC_UNKNOWN_KEY::unknown key `need` in step `post`; did you mean `needs`?%0Ahint: valid keys here: uses, needs",
    );
    expect(out[1]).toBe(
      "::warning file=dir%2Cwith%3Aodd/w.yaml,line=2,col=1,title=WEFT_SPEC_CONCURRENCY_WITHOUT_FOREACH::100%25 useless, really:%0D%0Asee docs",
    );
    expect(out).toHaveLength(2);
  });
});
