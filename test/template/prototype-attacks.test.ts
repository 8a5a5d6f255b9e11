import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileTemplate, renderValue } from "../../src/template/index.js";
import { scope, thrown } from "./support.js";

/** Everything an attack could tamper with, captured before and compared after. */
function snapshotPrototypes() {
  const describeAll = (o: object) =>
    Object.getOwnPropertyNames(o).map((k) => [k, Object.getOwnPropertyDescriptor(o, k)?.value]);
  return {
    object: describeAll(Object.prototype),
    func: describeAll(Function.prototype),
    array: describeAll(Array.prototype),
    string: describeAll(String.prototype),
    functionCtor: Function,
    objectProto: Object.getPrototypeOf({}),
  };
}

let before: ReturnType<typeof snapshotPrototypes>;
beforeAll(() => {
  before = snapshotPrototypes();
});
afterAll(() => {
  expect(snapshotPrototypes()).toEqual(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

const attacks = [
  "{{constructor.constructor}}",
  '{{constructor.constructor "return process" }}',
  '{{lookup this "__proto__"}}',
  "{{__lookupSetter__}}",
  "{{__proto__}}",
  "{{this.constructor}}",
  "{{#with this}}{{constructor}}{{/with}}",
  "{{#with (lookup this 'constructor')}}x{{/with}}",
  "{{inputs.constructor}}",
  "{{inputs.constructor.constructor}}",
  "{{inputs.__proto__}}",
  "{{inputs.__defineGetter__}}",
  "{{inputs.hasOwnProperty}}",
  "{{inputs.tags.constructor}}",
  "{{inputs.name.constructor}}",
  "{{inputs.tags.map}}",
  "{{steps.constructor.output}}",
  "{{steps.__proto__.output}}",
  "{{steps.fetch.output.constructor}}",
  "{{secrets.constructor}}",
  "{{secrets.toString}}",
  "{{run.__proto__.polluted}}",
  "{{#each inputs.tags}}{{this.constructor}}{{/each}}",
  "{{#each inputs.nested as |v|}}{{v.__proto__}}{{/each}}",
  '{{get inputs "constructor.constructor"}}',
  '{{get inputs "__proto__"}}',
  "{{toString.constructor}}",
  "{{> (lookup . 'constructor') }}",
  "{{*decorator}}",
];

describe("prototype access is impossible", () => {
  it.each(attacks)("%s fails with a Weft error", (source) => {
    const err = thrown(() => renderValue(source, scope));
    expect(err.code).toMatch(/^WEFT_TEMPLATE_/);
  });

  it("never calls a function or a getter found in the scope", () => {
    let touched = false;
    const inputs: Record<string, unknown> = { fn: () => "called" };
    Object.defineProperty(inputs, "getter", {
      enumerable: true,
      get() {
        touched = true;
        return "read";
      },
    });
    expect(thrown(() => renderValue("{{ inputs.fn }}", { inputs })).code).toBe("WEFT_TEMPLATE_UNKNOWN_NAME");
    expect(thrown(() => renderValue("{{ inputs.getter }}", { inputs })).code).toBe(
      "WEFT_TEMPLATE_UNKNOWN_NAME",
    );
    expect(touched).toBe(false);
  });

  it("treats a JSON `__proto__` key as plain data without touching any prototype", () => {
    const inputs = JSON.parse('{"__proto__": {"polluted": "yes"}}') as Record<string, unknown>;
    expect(renderValue("{{ inputs.__proto__.polluted }}", { inputs })).toBe("yes");
    const rendered = renderValue(JSON.parse('{"__proto__": "{{ inputs.__proto__ }}"}'), { inputs }) as object;
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(rendered, "__proto__")?.value).toEqual({ polluted: "yes" });
  });

  it("does not let a helper reach the Function constructor", () => {
    const result = compileTemplate('{{ get (split "x" "") "constructor" }}');
    expect(thrown(() => result.evaluate(scope)).code).toBe("WEFT_TEMPLATE_EVAL");
  });
});
