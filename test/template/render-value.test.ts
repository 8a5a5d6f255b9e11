import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CACHE_LIMIT, templateCacheSize } from "../../src/template/compile.js";
import { compileTemplate, evaluateCondition, renderValue, templateRefs } from "../../src/template/index.js";
import { scope, thrown } from "./support.js";

describe("renderValue", () => {
  it("renders strings deep inside objects and arrays, typed where whole", () => {
    const spec = {
      url: "https://api.example/{{ inputs.env }}/items",
      body: { items: "{{ steps.fetch.output.items }}", count: "{{ length steps.fetch.output.items }}" },
      list: ["{{ inputs.name }}", 3, true, null, "plain"],
      "{{ inputs.name }}": "keys are not rendered",
    };
    expect(renderValue(spec, scope)).toEqual({
      url: "https://api.example/prod/items",
      body: { items: [{ id: 1 }, { id: 2 }], count: 2 },
      list: ["Weft", 3, true, null, "plain"],
      "{{ inputs.name }}": "keys are not rendered",
    });
  });

  it("returns copies and leaves the input untouched", () => {
    const spec = { a: ["{{ inputs.name }}"] };
    const out = renderValue(spec, scope) as { a: string[] };
    expect(out.a).not.toBe(spec.a);
    expect(spec).toEqual({ a: ["{{ inputs.name }}"] });
  });

  it("passes non-strings and class instances through", () => {
    const date = new Date(0);
    expect(renderValue(42, scope)).toBe(42);
    expect(renderValue(date, scope)).toBe(date);
    expect(renderValue(undefined, scope)).toBeUndefined();
  });

  it("names the nested field in errors", () => {
    const err = thrown(() =>
      renderValue({ headers: ["{{ nope }}"] }, scope, {
        path: "steps.post.with",
        location: { file: "w.yaml", line: 3, col: 5 },
      }),
    );
    expect(err.message).toContain("in steps.post.with.headers.0");
    expect(err.location).toEqual({ file: "w.yaml", line: 3, col: 5 });
  });

  it("never renders outputs again: `{{secrets.X}}` inside data stays literal", () => {
    const hostile = {
      ...scope,
      steps: {
        evil: {
          status: "succeeded",
          output: { text: "{{secrets.API_TOKEN}}", list: ["{{ secrets.API_TOKEN }}"] },
        },
      },
    };
    expect(renderValue("{{ steps.evil.output.text }}", hostile)).toBe("{{secrets.API_TOKEN}}");
    expect(renderValue("got: {{ steps.evil.output.text }}", hostile)).toBe("got: {{secrets.API_TOKEN}}");
    expect(renderValue({ x: "{{ steps.evil.output }}" }, hostile)).toEqual({
      x: { text: "{{secrets.API_TOKEN}}", list: ["{{ secrets.API_TOKEN }}"] },
    });
    expect(renderValue('{{ concat steps.evil.output.text "!" }}', hostile)).toBe("{{secrets.API_TOKEN}}!");
  });

  it("is the identity for strings without {{ (property)", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes("{{")),
        (s) => renderValue(s, scope) === s,
      ),
    );
    fc.assert(
      fc.property(
        fc.jsonValue().filter((v) => !JSON.stringify(v).includes("{{")),
        (v) => {
          expect(renderValue(v, scope)).toEqual(v);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("placeholders for dry runs", () => {
  const dry = { inputs: scope.inputs, steps: {} };

  it("renders missing step references and every secret as placeholders", () => {
    expect(renderValue("{{ steps.fetch.output.body }}", dry, { placeholders: true })).toBe(
      "<steps.fetch.output.body>",
    );
    expect(renderValue("Bearer {{ secrets.API_TOKEN }}", scope, { placeholders: true })).toBe(
      "Bearer <secret:API_TOKEN>",
    );
    expect(renderValue("{{ gt steps.a.output.n 0 }}", dry, { placeholders: true })).toBe(
      "<gt steps.a.output.n 0>",
    );
    expect(
      renderValue('{{ gt (length steps.a.output.items) (toNumber "1") }}', dry, { placeholders: true }),
    ).toBe('<gt (length steps.a.output.items) (toNumber "1")>');
    expect(renderValue("{{#if steps.a.output.ok}}x{{/if}}", dry, { placeholders: true })).toBe(
      "<if steps.a.output.ok>",
    );
    expect(renderValue("{{#each steps.a.output.list}}x{{/each}}", dry, { placeholders: true })).toBe(
      "<each steps.a.output.list>",
    );
  });

  it("still evaluates what is known and still rejects other unknown names", () => {
    expect(renderValue("{{ upper inputs.name }}", dry, { placeholders: true })).toBe("WEFT");
    expect(renderValue("{{ steps.fetch.output.n }}", scope, { placeholders: true })).toBe(5);
    expect(thrown(() => renderValue("{{ inputs.nope }}", dry, { placeholders: true })).code).toBe(
      "WEFT_TEMPLATE_UNKNOWN_NAME",
    );
    expect(thrown(() => renderValue("{{ item }}", dry, { placeholders: true })).code).toBe(
      "WEFT_TEMPLATE_UNKNOWN_NAME",
    );
  });

  it("is off by default", () => {
    expect(thrown(() => renderValue("{{ steps.a.output }}", dry)).code).toBe("WEFT_TEMPLATE_UNKNOWN_NAME");
  });
});

describe("templateRefs", () => {
  it("lists each reference once, in order, from strings anywhere in a value", () => {
    const refs = templateRefs({
      url: "{{ inputs.base }}/{{ steps.fetch.output.path }}",
      headers: { auth: "Bearer {{ secrets.TOKEN }}" },
      items: ["{{#each steps.list.output as |x|}}{{x.name}}{{ inputs.base }}{{/each}}", 5],
      cond: "{{ gt (length steps.fetch.output.path) 0 }}",
      plain: "no refs",
    });
    expect(refs).toEqual([
      { root: "inputs", path: ["base"] },
      { root: "steps", path: ["fetch", "output", "path"] },
      { root: "secrets", path: ["TOKEN"] },
      { root: "steps", path: ["list", "output"] },
    ]);
  });

  it("exposes refs and helpers on the compiled template", () => {
    const t = compileTemplate("{{ gt (length steps.a.output.items) 0 }}");
    expect(t.refs).toEqual([{ root: "steps", path: ["a", "output", "items"] }]);
    expect(t.helpers).toEqual(["gt", "length"]);
  });

  it("fails on a bad template with its field path", () => {
    expect(
      thrown(() => templateRefs({ a: { b: "{{ nope }}" } }, { path: "steps.x.with" })).message,
    ).toContain("in steps.x.with.a.b");
  });
});

describe("evaluateCondition", () => {
  it("returns booleans", () => {
    expect(evaluateCondition('{{ eq inputs.env "prod" }}', scope)).toBe(true);
    expect(evaluateCondition("{{ steps.fetch.output.ok }}", scope)).toBe(true);
    expect(evaluateCondition("{{ not steps.fetch.output.ok }}", scope)).toBe(false);
  });

  it.each([
    ["{{ steps.fetch.output.n }}", "number 5"],
    ["{{ steps.fetch.output.items }}", "array (2 items)"],
    ["{{ steps.fetch.output.none }}", "null"],
    ["{{ steps.fetch.output.ok }} ", "boolean true"],
    ["true", 'string "true"'],
    ["is {{ steps.fetch.output.ok }}", 'string "is true"'],
  ])("rejects %s, saying it got %s", (source, got) => {
    if (got === "boolean true") {
      expect(evaluateCondition(source, scope)).toBe(true);
      return;
    }
    const err = thrown(() => evaluateCondition(source, scope, { path: "steps.deploy.if" }));
    expect(err.code).toBe("WEFT_TEMPLATE_NOT_BOOLEAN");
    expect(err.message).toContain(
      `The condition in steps.deploy.if must evaluate to true or false, but it gave ${got}.`,
    );
  });
});

describe("compile cache", () => {
  it("returns the same compiled object for the same source", () => {
    const a = compileTemplate("{{ inputs.cached }}");
    expect(compileTemplate("{{ inputs.cached }}")).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.refs)).toBe(true);
  });

  it("stays bounded, evicting the least recently used", () => {
    const keep = compileTemplate("{{ inputs.keep }}");
    for (let i = 0; i < CACHE_LIMIT + 10; i++) {
      compileTemplate(`{{ inputs.k${i} }}`);
      if (i % 1000 === 0) compileTemplate("{{ inputs.keep }}");
    }
    expect(templateCacheSize()).toBe(CACHE_LIMIT);
    expect(compileTemplate(`{{ inputs.k${CACHE_LIMIT + 9} }}`)).toBe(
      compileTemplate(`{{ inputs.k${CACHE_LIMIT + 9} }}`),
    );
    const evicted = compileTemplate("{{ inputs.k1 }}");
    expect(evicted.source).toBe("{{ inputs.k1 }}");
    expect(keep.source).toBe("{{ inputs.keep }}");
  });
});
