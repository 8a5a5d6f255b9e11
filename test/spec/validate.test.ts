/** validateWorkflow: schema errors explained and positioned, step inputs, needs, templates. */
import { describe, expect, test } from "vitest";
import { StepRegistry } from "../../src/plugin/registry.js";
import { compileInputSchema, isSingleExpression } from "../../src/spec/step-inputs.js";
import type { Diagnostic } from "../../src/spec/types.js";
import { loadWorkflow } from "../../src/spec/workflow-file.js";
import { testRegistry } from "./registry.js";

const types = testRegistry();

function check(yaml: string): { diags: Diagnostic[]; valid: boolean } {
  const result = loadWorkflow(yaml, "w.yaml", types);
  return { diags: result.diagnostics, valid: result.spec !== undefined };
}

const brief = (d: Diagnostic) => `${d.line}:${d.col} ${d.code} ${d.message}`;

function oneStep(step: string): string {
  return `name: t\nsteps:\n  s:\n${step
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n")}\n`;
}

describe("workflow schema errors", () => {
  test("a valid workflow gives a spec and no diagnostics", () => {
    const result = loadWorkflow(oneStep("uses: log\nwith: { message: hi }"), "w.yaml", types);
    expect(result.diagnostics).toEqual([]);
    expect(result.spec).toEqual({ name: "t", steps: { s: { uses: "log", with: { message: "hi" } } } });
  });

  test("diagnostics carry code, severity, file, position, dotted path and step id", () => {
    const { diags } = check(oneStep("uses: log\nwith: { message: hi }\nretry: { attempts: 0 }"));
    expect(diags).toEqual([
      {
        code: "WEFT_SPEC_INVALID_VALUE",
        severity: "error",
        message: "`retry.attempts` in step `s` must be >= 1, got number `0`",
        file: "w.yaml",
        line: 6,
        col: 24,
        endLine: 6,
        endCol: 25,
        path: "steps.s.retry.attempts",
        stepId: "s",
      },
    ]);
  });

  test("an unknown key points at the key and suggests the nearest valid one", () => {
    const { diags } = check(oneStep("uses: log\nwith: { message: hi }\ntimout: 5s"));
    expect(diags.map(brief)).toEqual([
      "6:5 WEFT_SPEC_UNKNOWN_KEY unknown key `timout` in step `s`; did you mean `timeout`?",
    ]);
    expect(diags[0]?.hint).toMatch(/^valid keys here: uses, with, needs/);
  });

  test("a missing required key next to its typo is one mistake", () => {
    const { diags } = check(oneStep("usse: log"));
    expect(diags.map((d) => d.code)).toEqual(["WEFT_SPEC_UNKNOWN_KEY"]);
    expect(diags[0]?.message).toContain("did you mean `uses`?");
  });

  test("errors in onFailure steps name the onFailure step", () => {
    const { diags } = check(
      `${oneStep("uses: log\nwith: { message: hi }")}onFailure:\n  alert: { uses: log, with: { message: x }, retry: 3 }\n`,
    );
    expect(diags.map(brief)).toEqual([
      "7:52 WEFT_SPEC_TYPE `retry` in onFailure step `alert` must be a mapping, got number `3`",
    ]);
    expect(diags[0]?.stepId).toBe("alert");
  });

  test("anyOf noise collapses to the branch the author meant", () => {
    expect(
      check(oneStep("uses: log\nwith: { message: hi }\nretry: { jitter: 1.5 }")).diags.map((d) => d.message),
    ).toEqual(["`retry.jitter` in step `s` must be <= 1, got number `1.5`"]);
    expect(
      check(oneStep("uses: log\nwith: { message: hi }\nretry: { jitter: [] }")).diags.map((d) => d.message),
    ).toEqual(["`retry.jitter` in step `s` must be a boolean (true or false) or a number, got a list"]);
  });

  test("invalid step ids and input names are reported at the key", () => {
    const { diags } = check(
      "name: t\ninputs:\n  bad-name: { type: string }\nsteps:\n  1st: { uses: log, with: { message: hi } }\n",
    );
    expect(diags.map(brief)).toEqual([
      "3:3 WEFT_SPEC_INVALID_VALUE input name `bad-name` is not valid: use a letter or `_`, then letters, digits or `_`",
      "5:3 WEFT_SPEC_INVALID_VALUE step id `1st` is not valid: use a letter, then letters, digits, `_` or `-`",
    ]);
  });

  test("an input default must match its type and enum", () => {
    const { diags } = check(
      `name: t\ninputs:\n  n: { type: integer, default: "ten" }\n  r: { type: string, enum: [eu, us], default: asia }\nsteps:\n  s: { uses: log, with: { message: hi } }\n`,
    );
    expect(diags.map(brief)).toEqual([
      "3:32 WEFT_SPEC_INPUT_DEFAULT default of input `n` must be of type integer",
      "4:47 WEFT_SPEC_INPUT_DEFAULT default of input `r` must be one of the values in `enum`",
    ]);
  });

  test("concurrency without forEach is a warning that does not block", () => {
    const result = loadWorkflow(oneStep("uses: log\nwith: { message: hi }\nconcurrency: 2"), "w.yaml", types);
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ["warning", "WEFT_SPEC_CONCURRENCY_WITHOUT_FOREACH"],
    ]);
    expect(result.spec).toBeDefined();
  });
});

describe("step types and `with`", () => {
  test("an unknown step type suggests the nearest registered name and lists the known ones", () => {
    const { diags } = check(oneStep("uses: sleap\nwith: { duration: 1s }"));
    expect(diags.map(brief)).toEqual([
      "4:11 WEFT_SPEC_UNKNOWN_STEP_TYPE unknown step type `sleap` in step `s`; did you mean `sleep`?",
    ]);
    expect(diags[0]?.hint).toBe("known step types: http, log, shell, sleep");
  });

  test("`with` errors map to positions inside `with` and name the step type", () => {
    const { diags } = check(
      oneStep("uses: http\nwith:\n  url: https://x.example\n  headers: { A: 1 }\n  accept: jsn"),
    );
    expect(diags.map(brief)).toEqual([
      "7:21 WEFT_SPEC_TYPE input `headers.A` of step `s` (http) must be a string, got number `1`",
      '8:15 WEFT_SPEC_INVALID_VALUE input `accept` of step `s` (http) must be one of `json`, `text`, `bytes`, got the string "jsn"; did you mean `json`?',
    ]);
    expect(diags[0]?.path).toBe("steps.s.with.headers.A");
  });

  test("a missing `with` is validated as empty against required inputs", () => {
    const { diags } = check(oneStep("uses: http"));
    expect(diags.map(brief)).toEqual([
      "3:3 WEFT_SPEC_MISSING_KEY `with` of step `s` (http) is missing required key `url`",
    ]);
    expect(diags[0]?.hint).toBe("`url`: Absolute http(s) URL");
  });

  test("a single-expression template is accepted where a number, object, list or enum is expected", () => {
    const { diags, valid } = check(
      oneStep(
        'uses: http\nwith:\n  url: "{{ inputs.u }}"\n  timeout: "{{ inputs.t }}"\n  headers: "{{ inputs.h }}"\n  method: "{{ inputs.m }}"',
      ),
    );
    expect(diags).toEqual([]);
    expect(valid).toBe(true);
  });

  test("a template in a list where the schema wants a list of strings is fine; in a oneOf branch too", () => {
    expect(check(oneStep('uses: shell\nwith: { command: "{{ inputs.argv }}" }')).diags).toEqual([]);
    expect(check(oneStep('uses: shell\nwith: { command: ["echo", "{{ inputs.x }}"] }')).diags).toEqual([]);
  });

  test("a string with text around a template is still a string, but its format is not judged", () => {
    expect(check(oneStep('uses: http\nwith: { url: "{{ inputs.host }}/path" }')).diags).toEqual([]);
    const { diags } = check(
      oneStep('uses: http\nwith: { url: "https://x.example", timeout: "{{ inputs.t }} ms" }'),
    );
    expect(diags.map((d) => d.code)).toEqual(["WEFT_SPEC_TYPE"]);
  });

  test("a template does not excuse an unknown input key", () => {
    const { diags } = check(
      oneStep('uses: http\nwith: { url: "https://x.example", tiemout: "{{ inputs.t }}" }'),
    );
    expect(diags.map((d) => d.message)).toEqual([
      "unknown key `tiemout` in `with` of step `s` (http); did you mean `timeout`?",
    ]);
  });

  test("a template in a literal input is refused and points at the template", () => {
    const { diags } = check(
      oneStep('uses: shell\nwith:\n  script: |\n    set -e\n    echo "{{ inputs.name }}"'),
    );
    expect(diags.map(brief)).toEqual([
      "8:15 WEFT_SPEC_TEMPLATE_IN_LITERAL `with.script` of step `s` (shell) is used literally and must not contain `{{`",
    ]);
    expect(diags[0]).toMatchObject({ endLine: 8, endCol: 32 });
    expect(diags[0]?.hint).toMatch(/through `env`/);
  });

  test("isSingleExpression recognises exactly one expression", () => {
    expect(isSingleExpression("{{ inputs.t }}")).toBe(true);
    expect(isSingleExpression("  {{inputs.t}} ")).toBe(true);
    expect(isSingleExpression("{{ a }} {{ b }}")).toBe(false);
    expect(isSingleExpression("x {{ a }}")).toBe(false);
    expect(isSingleExpression("{{}}")).toBe(true);
  });

  test("each step type's schema is compiled once and cached by name", () => {
    const info = types.get("http")!;
    expect(compileInputSchema(info)).toBe(compileInputSchema(info));
  });

  test("a step type whose schema does not compile is reported at `uses`, naming its source", () => {
    const registry = new StepRegistry();
    registry.add({
      name: "broken",
      description: "x",
      inputSchema: { type: "object", properties: { a: { type: "nonsense" } } },
      moduleUrl: "file:///dev/null",
      source: "plugins/broken",
    });
    const result = loadWorkflow(oneStep("uses: broken"), "w.yaml", registry);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([
      ["WEFT_SPEC_STEP_SCHEMA", 4, 11],
    ]);
    expect(result.diagnostics[0]?.message).toContain("plugins/broken");
  });
});

describe("needs", () => {
  const wf = (needs: string) =>
    `name: t\nsteps:\n  build: { uses: log, with: { message: a } }\n  test: { uses: log, with: { message: b }, needs: ${needs} }\n`;

  test("existing, distinct step ids are fine", () => {
    expect(check(wf("[build]")).diags).toEqual([]);
  });

  test("an unknown step id gets the nearest existing id", () => {
    expect(check(wf("[biuld]")).diags.map(brief)).toEqual([
      "4:52 WEFT_SPEC_UNKNOWN_NEED step `test` needs unknown step `biuld`; did you mean `build`?",
    ]);
  });

  test("each duplicate entry is reported once, at the repeat", () => {
    expect(check(wf("[build, build, build]")).diags.map(brief)).toEqual([
      "4:59 WEFT_SPEC_DUPLICATE_NEED step `test` lists `build` more than once in `needs`",
      "4:66 WEFT_SPEC_DUPLICATE_NEED step `test` lists `build` more than once in `needs`",
    ]);
  });

  test("steps cannot need onFailure steps, and ids cannot be shared between the two", () => {
    const { diags } = check(
      "name: t\nsteps:\n  a: { uses: log, with: { message: a }, needs: [alert] }\nonFailure:\n  alert: { uses: log, with: { message: b } }\n  a: { uses: log, with: { message: c } }\n",
    );
    expect(diags.map((d) => d.code)).toEqual(["WEFT_SPEC_UNKNOWN_NEED", "WEFT_SPEC_DUPLICATE_STEP_ID"]);
    expect(diags[0]?.hint).toBe("`alert` is not in `steps`; a step can only need steps of its own section");
  });
});

describe("durations and time zones", () => {
  test("a well-shaped but wrongly ordered duration is reported with the reason", () => {
    const { diags } = check(oneStep("uses: log\nwith: { message: hi }\ntimeout: 1s1h"));
    expect(diags.map((d) => d.message)).toEqual([
      '`timeout` in step `s` is not a valid duration: write units from largest to smallest, each once (e.g. "1h30m")',
    ]);
  });

  test("an unknown IANA zone is an error with a suggestion; real zones pass", () => {
    const wf = (tz: string) =>
      `name: t\non:\n  schedule: [{ cron: "0 2 * * *", timezone: ${tz} }]\nsteps:\n  s: { uses: log, with: { message: hi } }\n`;
    expect(check(wf("America/New_York")).diags).toEqual([]);
    expect(check(wf("UTC")).diags).toEqual([]);
    expect(check(wf("America/New_Yrok")).diags.map((d) => d.message)).toEqual([
      "unknown time zone `America/New_Yrok` in `on.schedule[0]`; did you mean `America/New_York`?",
    ]);
  });
});

describe("`if` and `forEach` expressions", () => {
  test("must be one expression when written as a string", () => {
    const { diags } = check(
      oneStep('uses: log\nwith: { message: hi }\nif: "{{ inputs.n }} > 1"\nforEach: "eu,us"'),
    );
    expect(diags.map(brief)).toEqual([
      '6:9 WEFT_SPEC_TEMPLATE_EXPECTED `if` in step `s` must be one `{{ … }}` expression, got the string "{{ inputs.n }} > 1"',
      '7:14 WEFT_SPEC_TEMPLATE_EXPECTED `forEach` in step `s` must be one `{{ … }}` expression, got the string "eu,us"',
    ]);
  });

  test("a single expression or a literal list is fine", () => {
    expect(
      check(oneStep('uses: log\nwith: { message: hi }\nif: "{{ gt inputs.n 1 }}"\nforEach: [eu, us]')).diags,
    ).toEqual([]);
  });
});
