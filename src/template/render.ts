/**
 * Templates inside structured values: the `with:` block of a step, `if:` conditions, and the
 * reference scan the compiler uses to find step dependencies and secret names.
 */
import type { SourceLocation } from "../errors.js";
import type { TemplateRef } from "./ast.js";
import { compileTemplate, hasTemplate } from "./compile.js";
import {
  at,
  errorOptions,
  type TemplateWhere,
  templateNotBooleanError,
  templateTooLargeError,
} from "./errors.js";
import type { TemplateScope } from "./evaluate.js";
import { describe } from "./values.js";

/** Nesting bound for values walked here; the YAML loader enforces a tighter one. */
const MAX_VALUE_DEPTH = 200;

export interface RenderOptions {
  /** Dry runs: missing `steps.*` render as `<steps.x.output>`, secrets as `<secret:NAME>`. */
  placeholders?: boolean;
  /** Dotted field path of `value`, e.g. `steps.post.with`; nested keys are appended. */
  path?: string;
  location?: SourceLocation;
}

/**
 * Deep render: strings holding `{{` are evaluated (typed when the whole string is one
 * expression), arrays and plain objects are copied with their values rendered (keys are
 * not), anything else passes through untouched. Values pulled from the scope are data and
 * are not rendered again.
 */
export function renderValue(value: unknown, scope: TemplateScope, opts: RenderOptions = {}): unknown {
  return renderAt(value, scope, opts, opts.path, 0);
}

function renderAt(
  value: unknown,
  scope: TemplateScope,
  opts: RenderOptions,
  path: string | undefined,
  depth: number,
): unknown {
  if (typeof value === "string") {
    if (!hasTemplate(value)) return value;
    const where = whereOf(opts.location, path);
    return compileTemplate(value, where).evaluate(scope, { placeholders: opts.placeholders === true, where });
  }
  if (value === null || typeof value !== "object") return value;
  if (depth > MAX_VALUE_DEPTH) {
    const where = whereOf(opts.location, path);
    throw templateTooLargeError(
      { what: "value", at: at(where), detail: `nested deeper than ${MAX_VALUE_DEPTH} levels` },
      errorOptions(where),
    );
  }
  if (Array.isArray(value))
    return value.map((v, i) => renderAt(v, scope, opts, join(path, String(i)), depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const rendered = renderAt(v, scope, opts, join(path, key), depth + 1);
    // A literal "__proto__" key from YAML must stay a key, not become the prototype.
    Object.defineProperty(out, key, {
      value: rendered,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function join(path: string | undefined, key: string): string {
  return path ? `${path}.${key}` : key;
}

function whereOf(location: SourceLocation | undefined, path: string | undefined): TemplateWhere {
  const where: TemplateWhere = {};
  if (location) where.location = location;
  if (path) where.path = path;
  return where;
}

/** Every reference in every template string inside `value`, deduplicated, in order. */
export function templateRefs(value: unknown, where?: TemplateWhere): TemplateRef[] {
  const seen = new Map<string, TemplateRef>();
  const visit = (v: unknown, path: string | undefined, depth: number): void => {
    if (typeof v === "string") {
      if (!hasTemplate(v)) return;
      for (const ref of compileTemplate(v, whereOf(where?.location, path)).refs) {
        const key = [ref.root, ...ref.path].join("\u0000");
        if (!seen.has(key)) seen.set(key, ref);
      }
      return;
    }
    if (v === null || typeof v !== "object" || depth > MAX_VALUE_DEPTH) return;
    const entries: Array<[string, unknown]> = Array.isArray(v)
      ? v.map((item, i) => [String(i), item])
      : Object.entries(v);
    for (const [k, item] of entries) visit(item, join(path, k), depth + 1);
  };
  visit(value, where?.path, 0);
  return [...seen.values()];
}

/** Evaluates an `if:` condition; it must produce a boolean, not merely something truthy. */
export function evaluateCondition(
  source: string,
  scope: TemplateScope,
  where?: { location?: SourceLocation; path?: string },
): boolean {
  const w = whereOf(where?.location, where?.path);
  const result = compileTemplate(source, w).evaluate(scope, { where: w });
  if (typeof result !== "boolean") {
    throw templateNotBooleanError({ at: at(w), got: describe(result) }, errorOptions(w));
  }
  return result;
}
