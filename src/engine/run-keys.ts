import type { CompiledWorkflow } from "../compile/types.js";
import { defineError } from "../errors.js";
import type { TriggerInfo } from "../store/types.js";
import { renderValue, type TemplateScope } from "../template/index.js";
import type { SecretProvider } from "./secrets.js";

const badRunKey = defineError(
  "WEFT_RUN_KEY_INVALID",
  "{field} of workflow {workflow} rendered to {got}; it must render to a non-empty string or number",
);

/** Renders the workflow's `idempotencyKey` and `concurrency.key` templates for a new run. */
export function renderRunKeys(
  plan: CompiledWorkflow,
  inputs: Record<string, unknown>,
  trigger: TriggerInfo,
  secrets: SecretProvider,
): { idempotencyKey?: string; concurrencyKey?: string } {
  const scope: TemplateScope = { inputs, trigger: trigger as Record<string, unknown>, secrets: {} };
  for (const name of plan.secrets) {
    const v = secrets.get(name);
    if (v !== undefined) scope.secrets![name] = v;
  }
  const out: { idempotencyKey?: string; concurrencyKey?: string } = {};
  if (plan.idempotencyKey !== undefined)
    out.idempotencyKey = keyText(plan, "idempotencyKey", plan.idempotencyKey, scope);
  if (plan.concurrency?.key !== undefined)
    out.concurrencyKey = keyText(plan, "concurrency.key", plan.concurrency.key, scope);
  return out;
}

function keyText(plan: CompiledWorkflow, field: string, template: string, scope: TemplateScope): string {
  const value = renderValue(template, scope, { path: field });
  if ((typeof value === "string" && value !== "") || typeof value === "number") return String(value);
  throw badRunKey({ field, workflow: plan.name, got: JSON.stringify(value) ?? "undefined" });
}
