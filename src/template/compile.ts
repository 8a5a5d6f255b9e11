/**
 * compileTemplate: text → checked, cached template. Checking happens once per distinct
 * source (at workflow load, so bad templates fail the deploy); evaluation is then a walk
 * over the checked nodes.
 */
import type { TemplateRef } from "./ast.js";
import type { TemplateWhere } from "./errors.js";
import { type EvalOptions, evaluateExpr, renderText, type TemplateScope } from "./evaluate.js";
import { lower } from "./lower.js";

export interface CompiledTemplate {
  source: string;
  /** True when the source is exactly one `{{ expression }}`: evaluate returns its typed value. */
  typed: boolean;
  /** Every scope path the template reads, in order of first appearance, without duplicates. */
  refs: readonly TemplateRef[];
  /** Helper names the template calls (block helpers included). */
  helpers: readonly string[];
  /** The typed value (typed templates) or the rendered string (mixed text). */
  evaluate(scope: TemplateScope, opts?: EvalOptions): unknown;
}

export const CACHE_LIMIT = 5_000;

/** Least-recently-used: a Map keeps insertion order, so a hit is re-inserted at the end. */
const cache = new Map<string, CompiledTemplate>();

export function hasTemplate(s: string): boolean {
  return s.includes("{{");
}

export function compileTemplate(source: string, where?: TemplateWhere): CompiledTemplate {
  if (typeof source !== "string") {
    // Only strings are ever parsed; an object reaching here is a caller bug, not a template.
    throw new TypeError(`compileTemplate needs a string, got ${source === null ? "null" : typeof source}`);
  }
  const hit = cache.get(source);
  if (hit) {
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  const lowered = lower(source, where);
  const typedExpr = lowered.typedExpr;
  const compiled: CompiledTemplate = Object.freeze({
    source,
    typed: typedExpr !== undefined,
    // Frozen because the cache hands the same object to every caller.
    refs: Object.freeze(
      lowered.refs.map((r) => Object.freeze({ root: r.root, path: Object.freeze(r.path) })),
    ),
    helpers: Object.freeze(lowered.helpers),
    evaluate: typedExpr
      ? (scope: TemplateScope, opts?: EvalOptions) => evaluateExpr(typedExpr, scope, opts)
      : (scope: TemplateScope, opts?: EvalOptions) => renderText(lowered.body, scope, opts),
  });
  cache.set(source, compiled);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  return compiled;
}

/** For tests and long-running processes that reload many workflows. */
export function templateCacheSize(): number {
  return cache.size;
}
