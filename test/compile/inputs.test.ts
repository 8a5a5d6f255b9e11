import { describe, expect, it } from "vitest";
import { parseInputArgs, resolveInputs } from "../../src/compile/inputs.js";
import type { InputSpec } from "../../src/spec/types.js";

const declared: Record<string, InputSpec> = {
  day: { type: "string", default: "yesterday" },
  count: { type: "integer", default: 1 },
  ratio: { type: "number" },
  dry: { type: "boolean", default: false },
  tags: { type: "array" },
  opts: { type: "object" },
  region: { type: "string", enum: ["eu", "us"] },
  token: { type: "string", required: true },
};

describe("run inputs", () => {
  it("coerces KEY=VALUE text to the declared types and applies defaults", () => {
    const given = parseInputArgs([
      "token=a=b",
      "count=3",
      "ratio=0.5",
      "dry=true",
      'tags=["x"]',
      'opts={"k":1}',
      "region=eu",
    ]);
    expect(resolveInputs("wf", declared, given)).toEqual({
      day: "yesterday",
      count: 3,
      ratio: 0.5,
      dry: true,
      tags: ["x"],
      opts: { k: 1 },
      region: "eu",
      token: "a=b",
    });
  });

  it("names the input, the workflow and the fix for each bad value", () => {
    const run = (args: string[]) => () => resolveInputs("wf", declared, parseInputArgs(["token=t", ...args]));
    expect(run(["count=2.5"])).toThrowError(
      'input "count" of workflow "wf" must be an integer (a whole number); got "2.5"',
    );
    expect(run(["ratio=abc"])).toThrowError('must be a number; got "abc"');
    expect(run(["dry=yes"])).toThrowError('must be a boolean (true or false); got "yes"');
    expect(run(["tags={}"])).toThrowError("must be an array written as JSON");
    expect(run(["region=asia"])).toThrowError('(one of "eu", "us")');
    expect(run(["dya=1"])).toThrowError('workflow "wf" has no input "dya" (did you mean "day"?)');
    expect(() => resolveInputs("wf", declared, new Map())).toThrowError(
      'workflow "wf" needs input "token" (string); pass --input token=VALUE',
    );
    expect(() => parseInputArgs(["novalue"])).toThrowError('input "novalue" is not KEY=VALUE');
  });
});
