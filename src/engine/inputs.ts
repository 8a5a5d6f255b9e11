/**
 * Inputs arriving as JSON (API, webhook, tests) checked against the workflow's declared
 * inputs: unknown names refused, defaults applied, required enforced, types checked.
 * Text inputs from the CLI go through compile/inputs.ts first (coercion), then here.
 */
import { defineError } from "../errors.js";
import { suggest } from "../spec/suggest.js";
import type { InputSpec } from "../spec/types.js";

const unknownInput = defineError(
  "WEFT_RUN_INPUT_UNKNOWN",
  'workflow {workflow} has no input "{name}"{hint}; its inputs are: {known}',
);
const missingInput = defineError(
  "WEFT_RUN_INPUT_MISSING",
  'workflow {workflow} needs input "{name}" ({type})',
);
const wrongType = defineError(
  "WEFT_RUN_INPUT_TYPE",
  'input "{name}" of workflow {workflow} must be {type}; got {got}',
);

export function completeInputs(
  workflow: string,
  declared: Record<string, InputSpec>,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const names = Object.keys(declared);
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) {
      const near = suggest(name, names);
      throw unknownInput({
        workflow,
        name,
        hint: near ? ` (did you mean "${near}"?)` : "",
        known: names.join(", ") || "(none)",
      });
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const value = Object.hasOwn(given, name) ? given[name] : spec.default;
    if (value === undefined) {
      if (spec.required) throw missingInput({ workflow, name, type: spec.type });
      continue;
    }
    if (!hasType(value, spec.type))
      throw wrongType({ workflow, name, type: spec.type, got: describe(value) });
    if (spec.enum && !spec.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
      throw wrongType({
        workflow,
        name,
        type: `one of ${spec.enum.map((e) => JSON.stringify(e)).join(", ")}`,
        got: describe(value),
      });
    }
    out[name] = value;
  }
  return out;
}

function hasType(value: unknown, type: InputSpec["type"]): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 60)}`;
}
