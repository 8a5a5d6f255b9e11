import { describe, expect, it } from "vitest";
import { compileTemplate, hasTemplate } from "../../src/template/index.js";
import { scope, thrown } from "./support.js";

const evaluate = (source: string, s: object = scope) => compileTemplate(source).evaluate(s);

describe("a template that is exactly one expression keeps the value's type", () => {
  it.each([
    ["{{ steps.fetch.output }}", scope.steps.fetch.output],
    ["{{ steps.fetch.output.items }}", [{ id: 1 }, { id: 2 }]],
    ["{{ steps.fetch.output.n }}", 5],
    ["{{ steps.fetch.output.ok }}", true],
    ["{{ steps.fetch.output.none }}", null],
    ["  {{ inputs.count }}\n", 3],
    ["{{{ inputs.tags }}}", ["a", "b"]],
    ["{{ 7 }}", 7],
    ['{{ "text" }}', "text"],
    ["{{ null }}", null],
    ["{{ steps.[my-step].output }}", "plain"],
    ["{{ steps.my-step.output }}", "plain"],
    ["{{ inputs.nested.deep.value }}", 42],
    ["{{ steps.fetch.output.items.[1].id }}", 2],
    ["{{ steps.fetch.status }}", "succeeded"],
    ["{{ run.attempt }}", 1],
    ["{{ trigger.payload.ref }}", "refs/heads/main"],
  ])("%s", (source, expected) => {
    const compiled = compileTemplate(source);
    expect(compiled.typed).toBe(true);
    expect(compiled.evaluate(scope)).toEqual(expected);
  });

  it("keeps subexpressions typed", () => {
    expect(evaluate("{{ gt (length steps.fetch.output.items) 0 }}")).toBe(true);
    expect(evaluate('{{ split (join inputs.tags "-") "-" }}')).toEqual(["a", "b"]);
    expect(evaluate("{{ length (keys inputs.nested) }}")).toBe(1);
  });

  it("gives item and index inside forEach", () => {
    const s = { ...scope, item: { host: "a.example" }, index: 2 };
    expect(evaluate("{{ item.host }}", s)).toBe("a.example");
    expect(evaluate("{{ index }}", s)).toBe(2);
  });

  it("refuses an expression with no value instead of returning undefined", () => {
    const err = thrown(() => evaluate('{{ get inputs "missing" }}'));
    expect(err.code).toBe("WEFT_TEMPLATE_EVAL");
    expect(err.message).toContain('`get inputs "missing"` has no value');
    expect(evaluate('{{ default (get inputs "missing") "fallback" }}')).toBe("fallback");
  });
});

describe("mixed text renders to a string", () => {
  it.each([
    ["Hello {{ inputs.name }}!", "Hello Weft!"],
    ["n={{ steps.fetch.output.n }} ok={{ steps.fetch.output.ok }}", "n=5 ok=true"],
    ["items: {{ steps.fetch.output.items }}", 'items: [{"id":1},{"id":2}]'],
    ["[{{ steps.fetch.output.none }}]", "[]"],
    ["no template", "no template"],
    ["literal \\{{ braces }}", "literal {{ braces }}"],
    ["a{{! a comment }}b", "ab"],
    ["{{ inputs.name }} {{ inputs.env }}", "Weft prod"],
    ["x {{~ inputs.name ~}} y", "xWefty"],
  ])("%s", (source, expected) => {
    expect(compileTemplate(source).typed).toBe(false);
    expect(evaluate(source)).toBe(expected);
  });

  it("renders if / else if / unless blocks", () => {
    const t = '{{#if (eq inputs.env "dev")}}D{{else if (eq inputs.env "prod")}}P{{else}}?{{/if}}';
    expect(evaluate(t)).toBe("P");
    expect(evaluate("{{#unless steps.fetch.output.ok}}bad{{else}}good{{/unless}}")).toBe("good");
    expect(evaluate("{{#if inputs.empty}}yes{{else}}no{{/if}}")).toBe("no");
  });

  it("renders each over arrays and objects, with block params, this and @-variables", () => {
    expect(evaluate("{{#each steps.fetch.output.items as |it i|}}{{i}}:{{it.id}};{{/each}}")).toBe(
      "0:1;1:2;",
    );
    expect(evaluate("{{#each inputs.tags}}{{@index}}{{this}}{{#if @last}}.{{else}},{{/if}}{{/each}}")).toBe(
      "0a,1b.",
    );
    expect(evaluate("{{#each inputs.nested as |v k|}}{{k}}={{v.value}}{{/each}}")).toBe("deep=42");
    expect(evaluate("{{#each steps.fetch.output.none}}x{{else}}empty{{/each}}")).toBe("empty");
    expect(evaluate("{{#each inputs.tags as |t|}}{{t}}-{{inputs.name}} {{/each}}")).toBe("a-Weft b-Weft ");
  });

  it("refuses to print undefined", () => {
    const err = thrown(() => evaluate('value: {{ first (split "" "x") }}{{ get inputs "nope" }}'));
    expect(err.code).toBe("WEFT_TEMPLATE_EVAL");
    expect(err.message).toContain('`get inputs "nope"` has no value');
  });

  it("refuses each over a string", () => {
    const err = thrown(() => evaluate("{{#each inputs.name}}x{{/each}}"));
    expect(err.code).toBe("WEFT_TEMPLATE_EVAL");
    expect(err.message).toContain("needs an array or an object");
  });
});

describe("hasTemplate", () => {
  it("detects an opening {{", () => {
    expect(hasTemplate("a {{ b }}")).toBe(true);
    expect(hasTemplate("plain } text {")).toBe(false);
  });
});
