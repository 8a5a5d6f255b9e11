/**
 * Interprets checked templates (ast.ts) against a scope. Values read from the scope are data:
 * they are returned or printed, never parsed again, so an output holding `{{secrets.X}}`
 * stays literal. Property reads go through `ownValue` (own data properties only).
 */
import type { EachData, Expr, RootName, Stmt } from "./ast.js";
import { pathText } from "./ast.js";
import {
  at,
  errorOptions,
  type TemplatePos,
  type TemplateWhere,
  templateEvalError,
  templateTooLargeError,
  templateUnknownNameError,
} from "./errors.js";
import { HELPER_MAP, HelperError } from "./helpers.js";
import { listNames, nearest } from "./suggest.js";
import { describe, isPlainRecord, ownKeys, ownValue, toText, truthy } from "./values.js";

export interface TemplateScope {
  inputs?: Record<string, unknown>;
  steps?: Record<string, { output?: unknown; status?: string }>;
  item?: unknown;
  index?: number;
  run?: Record<string, unknown>;
  trigger?: Record<string, unknown>;
  secrets?: Record<string, string>;
}

export interface EvalOptions {
  /** Dry runs: missing `steps.*` and every `secrets.*` become `<…>` placeholder text. */
  placeholders?: boolean;
  where?: TemplateWhere;
}

/** A value a dry run cannot know yet; it absorbs any helper it is passed to. */
class Placeholder {
  constructor(readonly text: string) {}
}

/** Rendered text is bounded so `{{#each}}` over a large output cannot exhaust memory. */
export const MAX_OUTPUT_LENGTH = 10_000_000;

interface Frame {
  params: string[];
  values: unknown[];
  self: unknown;
  data: Record<EachData, unknown>;
}

interface Ctx {
  scope: TemplateScope;
  placeholders: boolean;
  where: TemplateWhere | undefined;
  frames: Frame[];
  length: number;
}

function context(scope: TemplateScope, opts: EvalOptions | undefined): Ctx {
  return { scope, placeholders: opts?.placeholders === true, where: opts?.where, frames: [], length: 0 };
}

export function evaluateExpr(expr: Expr, scope: TemplateScope, opts?: EvalOptions): unknown {
  const ctx = context(scope, opts);
  const value = evalExpr(expr, ctx);
  if (value instanceof Placeholder) return value.text;
  if (value === undefined) throw undefinedError(expr, ctx);
  return value;
}

export function renderText(body: Stmt[], scope: TemplateScope, opts?: EvalOptions): string {
  const ctx = context(scope, opts);
  const parts: string[] = [];
  renderInto(body, ctx, parts);
  return parts.join("");
}

function renderInto(body: Stmt[], ctx: Ctx, out: string[]): void {
  for (const stmt of body) {
    switch (stmt.kind) {
      case "text":
        push(out, stmt.value, ctx);
        break;
      case "output": {
        const value = evalExpr(stmt.expr, ctx);
        const text = value instanceof Placeholder ? value.text : toText(value);
        if (text === undefined) throw undefinedError(stmt.expr, ctx);
        push(out, text, ctx);
        break;
      }
      case "if": {
        const cond = evalExpr(stmt.cond, ctx);
        if (cond instanceof Placeholder) push(out, `<${stmt.text}>`, ctx);
        else renderInto(truthy(cond) !== stmt.negate ? stmt.whenTrue : stmt.whenFalse, ctx, out);
        break;
      }
      case "each":
        renderEach(stmt, ctx, out);
        break;
    }
  }
}

function push(out: string[], text: string, ctx: Ctx): void {
  ctx.length += text.length;
  if (ctx.length > MAX_OUTPUT_LENGTH) {
    throw templateTooLargeError(
      { what: "output", at: at(ctx.where), detail: `more than ${MAX_OUTPUT_LENGTH} characters` },
      errorOptions(ctx.where),
    );
  }
  out.push(text);
}

function renderEach(stmt: Extract<Stmt, { kind: "each" }>, ctx: Ctx, out: string[]): void {
  const list = evalExpr(stmt.list, ctx);
  if (list instanceof Placeholder) {
    push(out, `<${stmt.text}>`, ctx);
    return;
  }
  // Items are read like any path (own data properties only), so a getter is never run.
  const read = (key: string): unknown => {
    const found = ownValue(list, key);
    return found.found ? found.value : undefined;
  };
  let entries: Array<[string | number, unknown]>;
  if (list === null || list === undefined) entries = [];
  else if (Array.isArray(list)) entries = Array.from({ length: list.length }, (_, i) => [i, read(String(i))]);
  else if (isPlainRecord(list)) entries = ownKeys(list).map((k) => [k, read(k)]);
  else
    throw evalError(
      ctx,
      stmt.pos,
      `{{#each}} needs an array or an object, but \`${stmt.list.text}\` is ${describe(list)}`,
    );
  if (entries.length === 0) {
    renderInto(stmt.else, ctx, out);
    return;
  }
  entries.forEach(([key, value], i) => {
    const data = { index: i, key, first: i === 0, last: i === entries.length - 1 };
    ctx.frames.push({ params: stmt.params, values: [value, key], self: value, data });
    renderInto(stmt.body, ctx, out);
    ctx.frames.pop();
  });
}

function evalExpr(expr: Expr, ctx: Ctx): unknown {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "root":
      return resolveRoot(expr, ctx);
    case "local": {
      for (let i = ctx.frames.length - 1; i >= 0; i--) {
        const frame = ctx.frames[i] as Frame;
        const at = frame.params.indexOf(expr.name);
        if (at >= 0) return walk(frame.values[at], expr.name, expr.path, expr, ctx);
      }
      throw evalError(ctx, expr.pos, `block param \`${expr.name}\` is not set`);
    }
    case "this":
      return walk(ctx.frames[ctx.frames.length - 1]?.self, "this", expr.path, expr, ctx);
    case "data":
      return ctx.frames[ctx.frames.length - 1]?.data[expr.name];
    case "call":
      return callHelper(expr, ctx);
  }
}

function callHelper(expr: Extract<Expr, { kind: "call" }>, ctx: Ctx): unknown {
  const args = expr.args.map((a) => evalExpr(a, ctx));
  if (args.some((a) => a instanceof Placeholder)) return new Placeholder(`<${expr.text}>`);
  const def = HELPER_MAP.get(expr.helper);
  if (!def?.fn) throw evalError(ctx, expr.pos, `\`${expr.helper}\` is not callable`);
  try {
    return def.fn(args);
  } catch (err) {
    const message = err instanceof HelperError ? err.message : `\`${expr.helper}\` failed: ${String(err)}`;
    throw evalError(ctx, expr.pos, `in \`${expr.text}\`: ${message}`, err);
  }
}

const ROOT_HINTS: Partial<Record<RootName, string>> = {
  item: "`item` only exists in a step with forEach.",
  index: "`index` only exists in a step with forEach.",
};

function resolveRoot(expr: Extract<Expr, { kind: "root" }>, ctx: Ctx): unknown {
  const { scope } = ctx;
  const [first = "", ...rest] = expr.path;
  if (expr.root === "secrets") {
    if (ctx.placeholders) return new Placeholder(`<secret:${first}>`);
    const secret = ownValue(scope.secrets, first);
    if (!secret.found) throw unknownName(ctx, expr, expr.text, "secrets", ownKeys(scope.secrets), first);
    return secret.value;
  }
  if (expr.root === "steps") {
    const step = ownValue(scope.steps, first);
    if (!step.found) {
      if (ctx.placeholders) return new Placeholder(`<${expr.text}>`);
      const ids = ownKeys(scope.steps);
      const extra = nearest(first, ids)
        ? ""
        : " Only steps this one depends on (needs or references) are visible.";
      throw unknownName(ctx, expr, pathText("steps", [first]), "steps", ids, first, extra);
    }
    return walk(step.value, pathText("steps", [first]), rest, expr, ctx);
  }
  const base = ownValue(scope, expr.root);
  if (!base.found || base.value === undefined) {
    const hint = ROOT_HINTS[expr.root] ?? `\`${expr.root}\` is not available here.`;
    throw templateUnknownNameError(
      {
        name: expr.root,
        at: at(ctx.where, expr.pos),
        hint: ` ${hint}`,
        available: listNames(ownKeys(scope)),
      },
      errorOptions(ctx.where),
    );
  }
  return walk(base.value, expr.root, expr.path, expr, ctx);
}

/** Follows `path` from `value` by own properties; a missing key is an unknown-name error. */
function walk(value: unknown, baseText: string, path: string[], expr: Expr, ctx: Ctx): unknown {
  let current = value;
  let head = baseText;
  for (const segment of path) {
    const next = ownValue(current, segment);
    if (!next.found) {
      if (current === null || current === undefined) {
        throw evalError(
          ctx,
          expr.pos,
          `\`${head}\` is ${current === null ? "null" : "undefined"}, so it has no \`${segment}\``,
        );
      }
      const keys = Array.isArray(current) ? [] : ownKeys(current);
      const extra = Array.isArray(current)
        ? ` \`${head}\` is an array of ${current.length} items (indexes 0-${current.length - 1}).`
        : "";
      throw unknownName(ctx, expr, `${head}.${segment}`, head, keys, segment, extra);
    }
    current = next.value;
    head = `${head}.${segment}`;
  }
  return current;
}

function unknownName(
  ctx: Ctx,
  expr: Expr,
  name: string,
  parent: string,
  available: string[],
  missing: string,
  extra = "",
) {
  const guess = nearest(missing, available);
  const hint = guess ? ` Did you mean \`${pathText(parent, [guess])}\`?` : "";
  return templateUnknownNameError(
    { name, at: at(ctx.where, expr.pos), hint: hint + extra, available: listNames(available) },
    errorOptions(ctx.where),
  );
}

function evalError(ctx: Ctx, pos: TemplatePos, detail: string, cause?: unknown) {
  return templateEvalError(
    { at: at(ctx.where, pos), detail },
    cause === undefined ? errorOptions(ctx.where) : { ...errorOptions(ctx.where), cause },
  );
}

function undefinedError(expr: Expr, ctx: Ctx) {
  return evalError(
    ctx,
    expr.pos,
    `\`${expr.text}\` has no value (undefined); give a fallback with (default … "value")`,
  );
}
