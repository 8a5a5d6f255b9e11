/**
 * A step's input for one attempt: `with:` rendered against its scope, checked against its
 * type's input schema, and the redacted copy that is stored. Inputs of steps whose `with:`
 * holds no template are the same on every run, so they are made once per compiled step.
 */
import type { CompiledStep } from "../compile/types.js";
import type { Redactor } from "../observe/redact.js";
import type { StepTypeInfo } from "../plugin/registry.js";
import { hasTemplate, renderValue, type TemplateScope } from "../template/index.js";
import { checkInput } from "./input-check.js";

export interface StepInput {
  /** What the step receives. */
  input: unknown;
  /** What is recorded (secrets redacted). */
  storedInput: unknown;
}

export class StepInputs {
  /**
   * By compiled step (versions are immutable). Shared by all their runs: nothing mutates an
   * input once rendered (the pool sends a copy, the store a JSON string).
   */
  private readonly fixed = new WeakMap<CompiledStep, StepInput & { type: StepTypeInfo }>();

  constructor(private readonly redactor: Redactor) {}

  /** Throws the template or input-check error (WEFT_TEMPLATE_*, WEFT_STEP_INPUT_INVALID). */
  of(step: CompiledStep, type: StepTypeInfo, scope: TemplateScope): StepInput {
    const known = this.fixed.get(step);
    if (known && known.type === type) return known;
    const input = renderInput(step, type.literalInputs, scope);
    checkInput(type, step.id, input);
    const made = { input, storedInput: this.redactor.redactValue(input), type };
    if (!hasTemplateIn(step.with)) this.fixed.set(step, made);
    return made;
  }
}

/** Renders `with`, leaving the step type's literal inputs (e.g. shell `script`) as written. */
function renderInput(step: CompiledStep, literal: string[] | undefined, scope: TemplateScope): unknown {
  if (!literal?.length) return renderValue(step.with, scope, { path: `steps.${step.id}.with` });
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(step.with)) {
    out[key] = literal.includes(key)
      ? value
      : renderValue(value, scope, { path: `steps.${step.id}.with.${key}` });
  }
  return out;
}

function hasTemplateIn(value: unknown): boolean {
  if (typeof value === "string") return hasTemplate(value);
  if (value === null || typeof value !== "object") return false;
  return Object.values(value).some(hasTemplateIn);
}
