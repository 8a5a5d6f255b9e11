/**
 * Rendered inputs are checked against the step type's input schema before the step runs:
 * a typed template (`count: "{{ steps.a.output.n }}"`) can only be checked once rendered.
 */
import { defineError } from "../errors.js";
import type { StepTypeInfo } from "../plugin/registry.js";
import { compileInputSchema } from "../spec/step-inputs.js";

const badInput = defineError(
  "WEFT_STEP_INPUT_INVALID",
  "rendered input of step {stepId} ({uses}) is invalid: {detail}; check the templates in its `with:` block",
);

/**
 * The validator is the one `with:` was checked with when the workflow was validated (compiled
 * once per step type and process, precompiled for the built-ins), so the first step of a new
 * version does not pay for compiling its schema again.
 */
export function checkInput(type: StepTypeInfo, stepId: string, input: unknown): void {
  const { validate, error } = compileInputSchema(type);
  if (!validate) throw badInput({ stepId, uses: type.name, detail: `its input schema is broken: ${error}` });
  if (validate(input)) return;
  const e = validate.errors?.[0];
  const where = e?.instancePath ? `with${e.instancePath.replace(/\//g, ".")}` : "with";
  throw badInput({
    stepId,
    uses: type.name,
    detail: `${where} ${e?.message ?? "does not match the schema"}`,
  });
}
