/**
 * Checks a step's `with:` against its step type's input schema. Templates are values the
 * schema cannot judge yet: a string that is exactly one `{{ expression }}` may become any type
 * at run time, so every error at its path is ignored; a string mixing text and templates is
 * still a string, but its pattern/format/enum/length checks are skipped. Literal inputs (shell
 * `script`) must not contain templates at all.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import type { StepTypeInfo } from "../plugin/registry.js";
import type { JsonSchema } from "../plugin/types.js";
import { diagnosticAt, type Span, SpecError } from "./diagnostics.js";
import { explainErrors } from "./explain.js";
import { createStepAjv, precompiledStepValidator } from "./schema.js";
import type { Diagnostic, PositionMap } from "./types.js";

interface CompiledInputs {
  schema: JsonSchema;
  validate?: ValidateFunction;
  error?: string;
}

/** By step type name; recompiled only if a registry hands out a different schema object. */
const compiled = new Map<string, CompiledInputs>();

export function compileInputSchema(info: Pick<StepTypeInfo, "name" | "inputSchema">): CompiledInputs {
  const hit = compiled.get(info.name);
  if (hit && hit.schema === info.inputSchema) return hit;
  let entry: CompiledInputs;
  try {
    const validate =
      precompiledStepValidator(info.name, info.inputSchema) ?? createStepAjv().compile(info.inputSchema);
    entry = { schema: info.inputSchema, validate };
  } catch (err) {
    entry = { schema: info.inputSchema, error: err instanceof Error ? err.message : String(err) };
  }
  compiled.set(info.name, entry);
  return entry;
}

/** True for a string that is one `{{ … }}` expression and nothing else (typed at run time). */
export function isSingleExpression(value: string): boolean {
  const t = value.trim();
  if (!t.startsWith("{{") || !t.endsWith("}}") || t.length < 4) return false;
  const inner = t.slice(2, -2);
  return !inner.includes("{{") && !inner.includes("}}");
}

/** Keywords that only judge a string's text, which a template will change. */
const TEXT_KEYWORDS = new Set(["pattern", "format", "enum", "const", "minLength", "maxLength"]);

function valueAtPointer(data: unknown, pointer: string): unknown {
  if (pointer === "") return data;
  let node = data;
  for (const raw of pointer.slice(1).split("/")) {
    if (node === null || typeof node !== "object") return undefined;
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = Array.isArray(node) ? node[Number(seg)] : (node as Record<string, unknown>)[seg];
  }
  return node;
}

export function validateStepInputs(
  positions: PositionMap,
  stepPath: ReadonlyArray<string | number>,
  stepId: string,
  withValue: Record<string, unknown>,
  info: StepTypeInfo,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { validate, error } = compileInputSchema(info);
  if (!validate) {
    const err = SpecError.stepSchema({
      type: info.name,
      source: info.source,
      detail: error ?? "unknown error",
    });
    return [
      diagnosticAt(positions, [...stepPath, "uses"], err, {
        hint: "fix the plugin that defines this step type",
      }),
    ];
  }
  if (!validate(withValue)) {
    const ignorable = (e: ErrorObject) => {
      const v = valueAtPointer(withValue, e.instancePath);
      if (typeof v !== "string" || !v.includes("{{")) return false;
      return isSingleExpression(v) || TEXT_KEYWORDS.has(e.keyword);
    };
    const ctx = {
      positions,
      base: [...stepPath, "with"],
      data: withValue,
      input: { stepId, type: info.name },
    };
    out.push(...explainErrors(validate.errors ?? [], ctx, ignorable));
  }
  for (const field of info.literalInputs ?? []) {
    const found = findTemplate(withValue[field], [...stepPath, "with", field]);
    if (found) {
      const err = SpecError.templateInLiteral({ field, step: stepId, type: info.name });
      const hint =
        'pass the value through `env` (e.g. `env: { DAY: "{{ inputs.day }}" }`) and read it in the script as "$DAY"';
      const d = diagnosticAt(positions, found, err, { hint });
      const span = { line: d.line, col: d.col, endLine: d.endLine ?? d.line, endCol: d.endCol ?? d.col };
      out.push({ ...d, ...templateSpan(positions.source, span) });
    }
  }
  return out;
}

/**
 * Narrows a reported value to the first `{{ … }}` inside it, so a long block `script: |`
 * points at the template rather than at the `|`.
 */
function templateSpan(source: string, span: Span): Span {
  const lines = source.split(/\r\n|\r|\n/);
  for (let n = span.line; n <= span.endLine && n <= lines.length; n++) {
    const text = lines[n - 1] ?? "";
    const from = n === span.line ? span.col - 1 : 0;
    const open = text.indexOf("{{", from);
    if (open < 0) continue;
    const close = text.indexOf("}}", open + 2);
    return { line: n, col: open + 1, endLine: n, endCol: close < 0 ? open + 3 : close + 3 };
  }
  return span;
}

/** Path of the first string containing `{{` inside `value` (iterative: depth is bounded anyway). */
function findTemplate(value: unknown, path: Array<string | number>): Array<string | number> | undefined {
  const stack: Array<[unknown, Array<string | number>]> = [[value, path]];
  while (stack.length > 0) {
    const [v, p] = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("{{")) return p;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        stack.push([item, [...p, i]]);
      });
    } else if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) stack.push([item, [...p, k]]);
    }
  }
  return undefined;
}
