/**
 * Checks a parsed template and turns it into ast.ts nodes: every name must be a known root, a
 * block param or `this`/@index inside {{#each}}; every helper must be ours with the right
 * number of arguments; partials, decorators, hash arguments and `../` are refused. We use
 * Handlebars as a parser only and interpret the result (evaluate.ts): no JavaScript is
 * generated from template text, so the compiler-side RCE class of bugs does not apply.
 */
import {
  EACH_DATA,
  type EachData,
  type Expr,
  type Lowered,
  pathText,
  ROOTS,
  type RootName,
  type Stmt,
} from "./ast.js";
import {
  at,
  errorOptions,
  type TemplatePos,
  type TemplateWhere,
  templateArgumentsError,
  templateUnknownHelperError,
  templateUnknownNameError,
  templateUnsupportedError,
} from "./errors.js";
import { HELPER_MAP, HELPER_TABLE } from "./helpers.js";
import { MAX_NESTING, parseTemplate } from "./parse.js";
import { listNames, nearest } from "./suggest.js";

interface Ctx {
  where: TemplateWhere | undefined;
  locals: string[][];
  eachDepth: number;
  nesting: number;
  refs: Map<string, { root: string; path: string[] }>;
  helpers: Set<string>;
}

export function lower(source: string, where: TemplateWhere | undefined): Lowered {
  const program = parseTemplate(source, where);
  const ctx: Ctx = { where, locals: [], eachDepth: 0, nesting: 0, refs: new Map(), helpers: new Set() };
  const body = lowerProgram(program, ctx);
  const meaningful = body.filter((s) => !(s.kind === "text" && s.value.trim() === ""));
  const only = meaningful.length === 1 ? meaningful[0] : undefined;
  return {
    body,
    typedExpr: only?.kind === "output" ? only.expr : undefined,
    refs: [...ctx.refs.values()],
    helpers: [...ctx.helpers],
  };
}

function posOf(node: hbs.AST.Node): TemplatePos {
  return { line: node.loc?.start.line ?? 1, col: (node.loc?.start.column ?? 0) + 1 };
}

function unsupported(ctx: Ctx, node: hbs.AST.Node, what: string, fix: string): never {
  throw templateUnsupportedError({ what, fix, at: at(ctx.where, posOf(node)) }, errorOptions(ctx.where));
}

function lowerProgram(program: hbs.AST.Program | undefined, ctx: Ctx): Stmt[] {
  if (!program) return [];
  enter(ctx, program);
  const out: Stmt[] = [];
  for (const node of program.body) {
    const stmt = lowerStatement(node, ctx);
    if (stmt) out.push(stmt);
  }
  ctx.nesting--;
  return out;
}

/** Bounds recursion so a hostile template fails with a message, not a stack overflow. */
function enter(ctx: Ctx, node: hbs.AST.Node): void {
  if (++ctx.nesting > MAX_NESTING) {
    unsupported(ctx, node, `Nesting deeper than ${MAX_NESTING} levels`, "Split the template into steps.");
  }
}

function lowerStatement(node: hbs.AST.Statement, ctx: Ctx): Stmt | undefined {
  switch (node.type) {
    case "ContentStatement": {
      const value = (node as hbs.AST.ContentStatement).value;
      return value === "" ? undefined : { kind: "text", value };
    }
    case "CommentStatement":
      return undefined;
    case "MustacheStatement":
      return { kind: "output", expr: lowerMustache(node as hbs.AST.MustacheStatement, ctx) };
    case "BlockStatement":
      return lowerBlock(node as hbs.AST.BlockStatement, ctx);
    case "PartialStatement":
    case "PartialBlockStatement":
      return unsupported(ctx, node, "A partial ({{> name}})", "Inline the text instead.");
    case "Decorator":
    case "DecoratorBlock":
      return unsupported(ctx, node, "A decorator ({{* name}})", "Remove it.");
    default:
      return unsupported(
        ctx,
        node,
        `A ${node.type}`,
        "Use {{ expression }}, {{#if}}, {{#unless}} or {{#each}}.",
      );
  }
}

function noHash(node: { hash?: hbs.AST.Hash } & hbs.AST.Node, ctx: Ctx): void {
  if (node.hash && node.hash.pairs.length > 0) {
    unsupported(
      ctx,
      node,
      "A named argument (key=value)",
      'Pass arguments by position, e.g. {{ join list ", " }}.',
    );
  }
}

function lowerMustache(node: hbs.AST.MustacheStatement, ctx: Ctx): Expr {
  noHash(node, ctx);
  const path = node.path as hbs.AST.Node;
  if (path.type !== "PathExpression") {
    if (node.params.length > 0) unsupported(ctx, node, "Calling a literal", "Only helpers take arguments.");
    return lowerExpr(path, ctx);
  }
  const p = path as hbs.AST.PathExpression;
  if (node.params.length > 0 || isHelperName(p)) return lowerCall(p, node.params, posOf(node), ctx);
  return lowerPath(p, ctx);
}

function isHelperName(p: hbs.AST.PathExpression): boolean {
  return (
    !p.data &&
    p.depth === 0 &&
    p.parts.length === 1 &&
    p.original === p.parts[0] &&
    HELPER_MAP.has(p.original)
  );
}

function lowerCall(
  p: hbs.AST.PathExpression,
  params: hbs.AST.Expression[],
  pos: TemplatePos,
  ctx: Ctx,
): Expr {
  const name = p.original;
  const def = isHelperName(p) ? HELPER_MAP.get(name) : undefined;
  if (!def) {
    const inlineHelpers = HELPER_TABLE.filter((h) => !h.block).map((h) => h.name);
    const hint = nearest(name, inlineHelpers);
    throw templateUnknownHelperError(
      {
        name,
        at: at(ctx.where, posOf(p)),
        hint: hint ? ` Did you mean \`${hint}\`?` : "",
        available: listNames(inlineHelpers, 100),
      },
      errorOptions(ctx.where),
    );
  }
  if (def.block) {
    unsupported(
      ctx,
      p,
      `\`${name}\` as an expression`,
      `Write it as a block: {{#${name} …}} … {{/${name}}}.`,
    );
  }
  checkArity(def.name, params.length, ctx, posOf(p));
  ctx.helpers.add(name);
  enter(ctx, p);
  const args = params.map((a) => lowerExpr(a, ctx));
  ctx.nesting--;
  return { kind: "call", helper: name, args, pos, text: [name, ...args.map(argText)].join(" ") };
}

function argText(e: Expr): string {
  return e.kind === "call" ? `(${e.text})` : e.text;
}

function checkArity(name: string, got: number, ctx: Ctx, pos: TemplatePos): void {
  const def = HELPER_MAP.get(name);
  if (!def || (got >= def.minArgs && got <= def.maxArgs)) return;
  const expected =
    def.maxArgs === Number.POSITIVE_INFINITY
      ? `at least ${def.minArgs} arguments`
      : def.minArgs === def.maxArgs
        ? `${def.minArgs} argument${def.minArgs === 1 ? "" : "s"}`
        : `${def.minArgs} to ${def.maxArgs} arguments`;
  throw templateArgumentsError(
    { name, expected, got: String(got), at: at(ctx.where, pos), signature: def.signature },
    errorOptions(ctx.where),
  );
}

function lowerExpr(node: hbs.AST.Node, ctx: Ctx): Expr {
  const pos = posOf(node);
  switch (node.type) {
    case "StringLiteral": {
      const value = (node as hbs.AST.StringLiteral).value;
      return { kind: "literal", value, pos, text: JSON.stringify(value) };
    }
    case "NumberLiteral":
    case "BooleanLiteral": {
      const value = (node as hbs.AST.NumberLiteral | hbs.AST.BooleanLiteral).value;
      return { kind: "literal", value, pos, text: String(value) };
    }
    case "NullLiteral":
      return { kind: "literal", value: null, pos, text: "null" };
    case "UndefinedLiteral":
      return { kind: "literal", value: undefined, pos, text: "undefined" };
    case "SubExpression": {
      const sub = node as hbs.AST.SubExpression;
      noHash(sub, ctx);
      if (!isHelperName(sub.path) && ROOTS.includes(sub.path.parts[0] as RootName)) {
        unsupported(
          ctx,
          sub,
          `Parentheses around \`${sub.path.original}\``,
          "Parentheses call a helper; drop them.",
        );
      }
      return lowerCall(sub.path, sub.params, pos, ctx);
    }
    case "PathExpression":
      return lowerPath(node as hbs.AST.PathExpression, ctx);
    default:
      return unsupported(ctx, node, `A ${node.type}`, "Use a path, a literal or (helper …).");
  }
}

function lowerPath(p: hbs.AST.PathExpression, ctx: Ctx): Expr {
  const pos = posOf(p);
  if (p.depth > 0) {
    unsupported(ctx, p, "A parent path (../)", "Name the item with block params: {{#each list as |x|}}.");
  }
  if (p.data) return lowerData(p, ctx);
  if (/^\.|this\b/.test(p.original)) {
    if (ctx.eachDepth === 0) unknownName(ctx, p, "this", "`this` only exists inside {{#each}}.");
    return { kind: "this", path: p.parts, pos, text: pathText("this", p.parts) };
  }
  const [head, ...rest] = p.parts;
  if (head === undefined) return unknownName(ctx, p, p.original, "");
  if (ctx.locals.some((frame) => frame.includes(head))) {
    return { kind: "local", name: head, path: rest, pos, text: pathText(head, rest) };
  }
  if ((ROOTS as readonly string[]).includes(head)) return lowerRoot(p, head as RootName, rest, ctx);
  if (HELPER_MAP.has(head) && rest.length === 0) {
    unsupported(ctx, p, `Helper \`${head}\` without parentheses`, `Call it as a subexpression: (${head} …).`);
  }
  return unknownName(ctx, p, pathText(head, rest), "");
}

function lowerRoot(p: hbs.AST.PathExpression, root: RootName, rest: string[], ctx: Ctx): Expr {
  const name = pathText(root, rest);
  if (root === "steps") {
    if (rest.length < 2) {
      unknownName(ctx, p, name, "Name a step and a field, e.g. steps.fetch.output or steps.fetch.status.");
    }
    const field = rest[1] ?? "";
    if (field !== "output" && field !== "status") {
      const fix = nearest(field, ["output", "status"]) ?? "output";
      unknownName(
        ctx,
        p,
        name,
        `Did you mean \`${pathText(root, [rest[0] ?? "", fix, ...rest.slice(2)])}\`?`,
        ["output", "status"],
      );
    }
    if (field === "status" && rest.length > 2) unknownName(ctx, p, name, "A step status is a string.");
  }
  if (root === "secrets" && rest.length !== 1) {
    unknownName(ctx, p, name, "Name exactly one secret, e.g. secrets.API_TOKEN.");
  }
  if (root === "index" && rest.length > 0) unknownName(ctx, p, name, "`index` is a number.");
  const key = [root, ...rest].join("\u0000");
  if (!ctx.refs.has(key)) ctx.refs.set(key, { root, path: rest });
  return { kind: "root", root, path: rest, pos: posOf(p), text: name };
}

function lowerData(p: hbs.AST.PathExpression, ctx: Ctx): Expr {
  const [name, ...rest] = p.parts;
  if (ctx.eachDepth > 0 && rest.length === 0 && (EACH_DATA as readonly string[]).includes(name ?? "")) {
    return { kind: "data", name: name as EachData, pos: posOf(p), text: `@${name}` };
  }
  const hint = ctx.eachDepth === 0 ? "@-variables only exist inside {{#each}}." : "";
  return unknownName(
    ctx,
    p,
    `@${p.parts.join(".")}`,
    hint,
    EACH_DATA.map((d) => `@${d}`),
  );
}

function unknownName(
  ctx: Ctx,
  p: hbs.AST.Node,
  name: string,
  hint: string,
  available?: readonly string[],
): never {
  const names = available ?? [...ROOTS, ...ctx.locals.flat(), ...(ctx.eachDepth > 0 ? ["this"] : [])];
  let text = hint;
  if (!text) {
    const [head = "", ...rest] = name.split(".");
    const guess = nearest(head, names);
    if (guess) text = `Did you mean \`${[guess, ...rest].join(".")}\`?`;
  }
  throw templateUnknownNameError(
    { name, at: at(ctx.where, posOf(p)), hint: text ? ` ${text}` : "", available: listNames(names) },
    errorOptions(ctx.where),
  );
}

function lowerBlock(node: hbs.AST.BlockStatement, ctx: Ctx): Stmt {
  const name = node.path.original;
  const def = isHelperName(node.path) ? HELPER_MAP.get(name) : undefined;
  if (!def?.block) {
    if (def) unsupported(ctx, node, `\`${name}\` as a block`, `Use it inside {{#if (${name} …)}}.`);
    const blockNames = HELPER_TABLE.filter((h) => h.block).map((h) => h.name);
    const hint = nearest(name, [...blockNames, ...HELPER_MAP.keys()]);
    throw templateUnknownHelperError(
      {
        name,
        at: at(ctx.where, posOf(node)),
        hint: hint ? ` Did you mean \`${hint}\`?` : "",
        available: `${blockNames.map((b) => `#${b}`).join(", ")} (blocks)`,
      },
      errorOptions(ctx.where),
    );
  }
  noHash(node, ctx);
  checkArity(name, node.params.length, ctx, posOf(node));
  ctx.helpers.add(name);
  const first = node.params[0] as hbs.AST.Expression;
  const head = lowerExpr(first, ctx);
  const pos = posOf(node);
  const text = `${name} ${argText(head)}`;
  const params = node.program?.blockParams ?? [];
  if (name !== "each") {
    if (params.length > 0)
      unsupported(ctx, node, `Block params on #${name}`, "Only {{#each}} takes `as |x|`.");
    const thenBody = lowerProgram(node.program, ctx);
    const elseBody = lowerProgram(node.inverse, ctx);
    return {
      kind: "if",
      pos,
      text,
      negate: name === "unless",
      cond: head,
      whenTrue: thenBody,
      whenFalse: elseBody,
    };
  }
  if (params.length > 2) unsupported(ctx, node, "More than two block params", "Use `as |item index|`.");
  ctx.locals.push(params);
  ctx.eachDepth++;
  const body = lowerProgram(node.program, ctx);
  ctx.eachDepth--;
  ctx.locals.pop();
  const elseBody = lowerProgram(node.inverse, ctx);
  return { kind: "each", pos, text, list: head, params, body, else: elseBody };
}
