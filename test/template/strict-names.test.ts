import { describe, expect, it } from "vitest";
import { compileTemplate, renderValue } from "../../src/template/index.js";
import { scope, thrown } from "./support.js";

describe("unknown names are errors that name the path and what is available", () => {
  it("suggests the nearest root at compile time", () => {
    const err = thrown(() => compileTemplate("{{ step.fetch.output }}", { path: "steps.post.with.url" }));
    expect(err.code).toBe("WEFT_TEMPLATE_UNKNOWN_NAME");
    expect(err.message).toBe(
      "Unknown name `step.fetch.output` in steps.post.with.url (template line 1, col 4). Did you mean `steps.fetch.output`? Available: inputs, steps, item, index, run, trigger, secrets.",
    );
  });

  it("suggests the nearest step id at evaluation time", () => {
    const err = thrown(() => compileTemplate("{{ steps.fech.output.body }}").evaluate(scope));
    expect(err.code).toBe("WEFT_TEMPLATE_UNKNOWN_NAME");
    expect(err.message).toContain("Unknown name `steps.fech`");
    expect(err.message).toContain("Did you mean `steps.fetch`?");
    expect(err.message).toContain("Available: fetch, my-step.");
  });

  it("suggests the nearest key inside an output", () => {
    const err = thrown(() =>
      renderValue("x={{ steps.fetch.output.bdy }}", scope, { path: "steps.post.with.q" }),
    );
    expect(err.message).toContain("Unknown name `steps.fetch.output.bdy` in steps.post.with.q");
    expect(err.message).toContain("Did you mean `steps.fetch.output.body`?");
    expect(err.message).toContain("Available: body, items, n, ok, none.");
  });

  it("checks the shape of step, secret and index references statically", () => {
    expect(thrown(() => compileTemplate("{{ steps.fetch }}")).message).toContain("Name a step and a field");
    expect(thrown(() => compileTemplate("{{ steps.fetch.outptu }}")).message).toContain(
      "Did you mean `steps.fetch.output`?",
    );
    expect(thrown(() => compileTemplate("{{ steps.fetch.status.x }}")).message).toContain(
      "A step status is a string",
    );
    expect(thrown(() => compileTemplate("{{ secrets }}")).message).toContain("Name exactly one secret");
    expect(thrown(() => compileTemplate("{{ index.x }}")).message).toContain("`index` is a number");
  });

  it("reports missing secrets by name only", () => {
    const err = thrown(() => compileTemplate("{{ secrets.API_TOKN }}").evaluate(scope));
    expect(err.message).toContain("Did you mean `secrets.API_TOKEN`?");
    expect(err.message).not.toContain("tok-123456");
  });

  it("says where item and index exist", () => {
    expect(thrown(() => compileTemplate("{{ item.host }}").evaluate(scope)).message).toContain(
      "`item` only exists in a step with forEach.",
    );
  });

  it("explains array indexes and reads through null", () => {
    expect(
      thrown(() => compileTemplate("{{ steps.fetch.output.items.[5] }}").evaluate(scope)).message,
    ).toContain("is an array of 2 items (indexes 0-1)");
    const err = thrown(() => compileTemplate("{{ steps.fetch.output.none.x }}").evaluate(scope));
    expect(err.code).toBe("WEFT_TEMPLATE_EVAL");
    expect(err.message).toContain("`steps.fetch.output.none` is null, so it has no `x`");
  });

  it("rejects @-variables and this outside each, and unknown block params", () => {
    expect(thrown(() => compileTemplate("{{ @index }}")).message).toContain("only exist inside {{#each}}");
    expect(thrown(() => compileTemplate("{{ this }}")).message).toContain(
      "`this` only exists inside {{#each}}",
    );
    const err = thrown(() => compileTemplate("{{#each inputs.tags as |tag|}}{{ tga }}{{/each}}"));
    expect(err.message).toContain("Did you mean `tag`?");
  });
});

describe("unknown helpers", () => {
  it("suggests the nearest helper and lists ours", () => {
    const err = thrown(() => compileTemplate("{{ uper inputs.name }}"));
    expect(err.code).toBe("WEFT_TEMPLATE_UNKNOWN_HELPER");
    expect(err.message).toContain("Unknown helper `uper`");
    expect(err.message).toContain("Did you mean `upper`?");
    expect(err.message).toContain("Available helpers: eq, ne, gt");
  });

  it("refuses Handlebars built-ins we do not provide", () => {
    for (const source of ['{{ lookup inputs "name" }}', '{{ log "x" }}', "{{#with inputs}}{{/with}}"]) {
      expect(thrown(() => compileTemplate(source)).code, source).toBe("WEFT_TEMPLATE_UNKNOWN_HELPER");
    }
  });

  it("refuses inline helpers used as blocks and blocks used inline", () => {
    expect(thrown(() => compileTemplate("{{#eq 1 1}}x{{/eq}}")).message).toContain("{{#if (eq …)}}");
    expect(thrown(() => compileTemplate("{{ if true }}")).message).toContain("Write it as a block");
  });
});

describe("syntax errors and unsupported features", () => {
  it("reports a syntax error with the field path and the parser's position", () => {
    const location = { file: "workflows/deploy.yaml", line: 12, col: 10 };
    const err = thrown(() => compileTemplate("Hello {{ inputs.name", { path: "steps.a.with.msg", location }));
    expect(err.code).toBe("WEFT_TEMPLATE_SYNTAX");
    expect(err.location).toEqual(location);
    expect(err.message).toContain("Template syntax error in steps.a.with.msg: Parse error on line 1");
  });

  it("hints at brackets for numeric path segments", () => {
    expect(thrown(() => compileTemplate("{{ steps.fetch.output.items.0 }}")).message).toContain("items.[0]");
  });

  it("gives line and column inside multi-line templates", () => {
    const err = thrown(() => compileTemplate("line one\nline {{ nope }}"));
    expect(err.message).toContain("(template line 2, col 9)");
  });

  it.each([
    ["{{> partial }}", "A partial"],
    ['{{ join inputs.tags sep="," }}', "A named argument"],
    ["{{#each inputs.tags}}{{ ../inputs.name }}{{/each}}", "A parent path"],
    ["{{#each inputs.tags}}{{ @root.inputs }}{{/each}}", "Unknown name `@root.inputs`"],
    ["{{ eq (inputs.name) 1 }}", "Parentheses around"],
    ["{{ eq length 3 }}", "without parentheses"],
    ["{{#if true as |x|}}{{/if}}", "Block params on #if"],
    ['{{ "a" 1 }}', "Calling a literal"],
  ])("%s", (source, fragment) => {
    expect(thrown(() => compileTemplate(source)).message).toContain(fragment);
  });

  it("bounds nesting and source size", () => {
    const deep = `{{ not ${"(not ".repeat(100)}true${")".repeat(100)} }}`;
    expect(thrown(() => compileTemplate(deep)).message).toContain("Nesting deeper than 64 levels");
    // Refused before parsing: Handlebars' parser is quadratic in nesting depth.
    const blocks = `${"{{#if true}}".repeat(5000)}x${"{{/if}}".repeat(5000)}`;
    const started = performance.now();
    expect(thrown(() => compileTemplate(blocks)).message).toContain("Nesting deeper than 64 levels");
    expect(performance.now() - started).toBeLessThan(500);
    expect(compileTemplate(`${"{{#if true}}".repeat(40)}x${"{{/if}}".repeat(40)}`).evaluate({})).toBe("x");
    expect(thrown(() => compileTemplate(`{{ inputs.name }}${"x".repeat(100_001)}`)).code).toBe(
      "WEFT_TEMPLATE_TOO_LARGE",
    );
  });

  it("refuses non-string sources", () => {
    expect(() => compileTemplate({ "{{x}}": 1 } as unknown as string)).toThrow(TypeError);
  });
});
