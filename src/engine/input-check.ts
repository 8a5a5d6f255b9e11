/**
 * Rendered inputs are checked against the step type's input schema before the step runs:
 * a typed template (`count: "{{ steps.a.output.n }}"`) can only be checked once rendered.
 */
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { defineError } from "../errors.js";
import type { StepTypeInfo } from "../plugin/registry.js";

const badInput = defineError(
  "WEFT_STEP_INPUT_INVALID",
  "rendered input of step {stepId} ({uses}) is invalid: {detail}; check the templates in its `with:` block",
);

const ajv = new Ajv({ allErrors: false, strict: false });
(addFormatsModule as unknown as (a: Ajv) => void)(ajv);
const validators = new WeakMap<object, ValidateFunction>();

export function checkInput(type: StepTypeInfo, stepId: string, input: unknown): void {
  let validate = validators.get(type.inputSchema);
  if (!validate) {
    validate = ajv.compile(type.inputSchema);
    validators.set(type.inputSchema, validate);
  }
  if (validate(input)) return;
  const e = validate.errors?.[0];
  const where = e?.instancePath ? `with${e.instancePath.replace(/\//g, ".")}` : "with";
  throw badInput({
    stepId,
    uses: type.name,
    detail: `${where} ${e?.message ?? "does not match the schema"}`,
  });
}
