/**
 * Run inputs given as text (`--input day=2024-05-01`, query strings) checked against the
 * workflow's declared inputs: coerced to the declared type, defaults applied, required and
 * enum enforced. The CLI's dry run and real run share it.
 */
import { defineError } from "../errors.js";
import { suggest } from "../spec/suggest.js";
import type { InputSpec } from "../spec/types.js";

export const badInputArg = defineError(
  "WEFT_INPUT_SYNTAX",
  'input "{arg}" is not KEY=VALUE; write e.g. --input day=2024-05-01',
);
export const unknownInputArg = defineError(
  "WEFT_INPUT_UNKNOWN",
  'workflow "{workflow}" has no input "{name}"{hint}; its inputs are: {known}',
);
export const badInputType = defineError(
  "WEFT_INPUT_TYPE",
  'input "{name}" of workflow "{workflow}" must be {type}{detail}; got {value}',
);
export const missingInput = defineError(
  "WEFT_INPUT_MISSING",
  'workflow "{workflow}" needs input "{name}" ({type}); pass --input {name}=VALUE',
);

/** Splits `KEY=VALUE` arguments (the value may contain `=`); later ones win. */
export function parseInputArgs(args: ReadonlyArray<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw badInputArg({ arg });
    out.set(arg.slice(0, eq), arg.slice(eq + 1));
  }
  return out;
}

/** Typed input values for one run; throws a coded WeftError naming the input and the fix. */
export function resolveInputs(
  workflow: string,
  declared: Record<string, InputSpec>,
  given: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const names = Object.keys(declared);
  for (const name of given.keys()) {
    if (!Object.hasOwn(declared, name)) {
      const near = suggest(name, names);
      throw unknownInputArg({
        workflow,
        name,
        hint: near ? ` (did you mean "${near}"?)` : "",
        known: names.length > 0 ? names.join(", ") : "(none)",
      });
    }
  }
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const text = given.get(name);
    if (text !== undefined) values[name] = coerceInput(workflow, name, spec, text);
    else if (spec.default !== undefined) values[name] = spec.default;
    else if (spec.required) throw missingInput({ workflow, name, type: spec.type });
  }
  return values;
}

export function coerceInput(workflow: string, name: string, spec: InputSpec, text: string): unknown {
  const fail = (detail = "") =>
    badInputType({ workflow, name, type: article(spec.type), detail, value: JSON.stringify(text) });
  let value: unknown;
  switch (spec.type) {
    case "string":
      value = text;
      break;
    case "number":
    case "integer": {
      const n = text.trim() === "" ? Number.NaN : Number(text);
      if (!Number.isFinite(n)) throw fail();
      if (spec.type === "integer" && !Number.isInteger(n)) throw fail(" (a whole number)");
      value = n;
      break;
    }
    case "boolean":
      if (text === "true") value = true;
      else if (text === "false") value = false;
      else throw fail(" (true or false)");
      break;
    case "object":
    case "array": {
      try {
        value = JSON.parse(text);
      } catch {
        throw fail(" written as JSON");
      }
      const isArray = Array.isArray(value);
      if (spec.type === "array" ? !isArray : isArray || value === null || typeof value !== "object") {
        throw fail(" written as JSON");
      }
      break;
    }
  }
  if (spec.enum && !spec.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    throw fail(` (one of ${spec.enum.map((v) => JSON.stringify(v)).join(", ")})`);
  }
  return value;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
