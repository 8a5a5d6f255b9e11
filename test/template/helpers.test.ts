import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HELPER_EXAMPLE_SCOPE, HELPER_TABLE } from "../../src/template/helpers.js";
import { compileTemplate, HELPERS } from "../../src/template/index.js";
import { scope, thrown } from "./support.js";

const evaluate = (source: string) => compileTemplate(source).evaluate(scope);

describe("every documented helper example evaluates to its documented result", () => {
  it.each(HELPER_TABLE.map((h) => [h.name, h.example, h.returns] as const))(
    "%s: %s",
    (_name, example, returns) => {
      expect(compileTemplate(example).evaluate(HELPER_EXAMPLE_SCOPE)).toEqual(returns);
    },
  );

  it("publishes name, signature, description and example for each helper", () => {
    expect(HELPERS.map((h) => h.name)).toEqual(HELPER_TABLE.map((h) => h.name));
    for (const h of HELPERS)
      expect(Object.keys(h).sort()).toEqual(["description", "example", "name", "signature"]);
  });

  it("documents each helper in docs/templates.md", () => {
    const doc = readFileSync(new URL("../../docs/templates.md", import.meta.url), "utf8");
    for (const h of HELPERS) {
      expect(doc, h.name).toContain(`\`${h.signature}\``);
      expect(doc, h.name).toContain(h.example);
    }
  });
});

describe("helper semantics beyond the examples", () => {
  it.each([
    ['{{ eq inputs.tags (split "a,b" ",") }}', true],
    ['{{ eq 1 "1" }}', false],
    ["{{ ne steps.fetch.output.n 5 }}", false],
    ['{{ gt "b" "a" }}', true],
    ["{{ lte 5 steps.fetch.output.n }}", true],
    ['{{ and true 1 "x" }}', true],
    ['{{ and true (split "" ",") 0 }}', false],
    ['{{ or 0 "" null false }}', false],
    ["{{ not (keys inputs.nested) }}", false],
    ['{{ default inputs.empty "e" }}', "e"],
    ['{{ default steps.fetch.output.none "n" }}', "n"],
    ["{{ default 0 5 }}", 0],
    ["{{ json inputs.tags 2 }}", '[\n  "a",\n  "b"\n]'],
    ["{{ length inputs.name }}", 4],
    ["{{ length inputs.nested }}", 1],
    ["{{ join steps.fetch.output.items }}", '{"id":1},{"id":2}'],
    ['{{ concat inputs.tags (split "c" ",") }}', ["a", "b", "c"]],
    ['{{ concat "n" 1 true }}', "n1true"],
    ['{{ contains inputs.name "ef" }}', true],
    ["{{ contains steps.fetch.output.items (get steps.fetch.output.items 0) }}", true],
    ['{{ contains inputs.nested "deep" }}', true],
    ['{{ replace "a.b.c" "." "$&" }}', "a$&b$&c"],
    ['{{ replace "aaa" "a" "aa" }}', "aaaaaa"],
    ['{{ get inputs "nested.deep.value" }}', 42],
    ['{{ get steps.fetch.output.items "1.id" }}', 2],
    ['{{ get inputs "constructor" }}', "__undefined__"],
    ['{{ first (split "" ",") }}', ""],
    ['{{ toNumber " 12.5 " }}', 12.5],
    ["{{ toString steps.fetch.output.none }}", ""],
    ["{{ toString inputs.tags }}", '["a","b"]'],
  ])("%s", (source, expected) => {
    if (expected === "__undefined__") {
      expect(thrown(() => evaluate(source)).code).toBe("WEFT_TEMPLATE_EVAL");
    } else {
      expect(evaluate(source)).toEqual(expected);
    }
  });

  it.each([
    ['{{ gt "10" 9 }}', "compares two numbers or two strings"],
    ["{{ lower 5 }}", "needs a string as argument 1"],
    ["{{ length 5 }}", "needs a string, array or object"],
    ["{{ join inputs.name }}", "needs an array"],
    ['{{ concat "a" inputs.nested }}', "cannot join object"],
    ['{{ replace "abc" "" "x" }}', "non-empty search"],
    ['{{ toNumber "abc" }}', "cannot read a number"],
    ["{{ toNumber true }}", "cannot read a number"],
    ["{{ keys inputs.tags }}", "needs an object"],
    ["{{ json inputs.tags 99 }}", "indent must be a number from 0 to 10"],
    ["{{ contains 5 1 }}", "needs a string, array or object first"],
  ])("%s is a clear error", (source, fragment) => {
    const err = thrown(() => evaluate(source));
    expect(err.code).toBe("WEFT_TEMPLATE_EVAL");
    expect(err.message).toContain(fragment);
  });

  it("rejects a wrong number of arguments at compile time", () => {
    const err = thrown(() => compileTemplate("{{ eq 1 }}"));
    expect(err.code).toBe("WEFT_TEMPLATE_ARGUMENTS");
    expect(err.message).toContain("Helper `eq` takes 2 arguments but got 1");
    expect(err.message).toContain("Usage: eq a b");
    expect(thrown(() => compileTemplate("{{ and true }}")).message).toContain("at least 2 arguments");
    expect(thrown(() => compileTemplate('{{ join inputs.tags "," "x" }}')).message).toContain(
      "1 to 2 arguments",
    );
  });

  it("has nothing that reads the clock", () => {
    expect(thrown(() => compileTemplate("{{ now }}")).code).toBe("WEFT_TEMPLATE_UNKNOWN_NAME");
    expect(thrown(() => compileTemplate('{{ now "iso" }}')).code).toBe("WEFT_TEMPLATE_UNKNOWN_HELPER");
  });
});
