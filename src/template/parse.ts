/**
 * Template text → Handlebars syntax tree, within limits. Handlebars is used as a parser
 * only: nothing here or elsewhere compiles template text to JavaScript.
 */
import { createRequire } from "node:module";
// Type-only: brings the `hbs.AST` types into scope.
import type {} from "handlebars";
import {
  at,
  errorOptions,
  type TemplateWhere,
  templateSyntaxError,
  templateTooLargeError,
  templateUnsupportedError,
} from "./errors.js";

// Only Handlebars' parser is loaded: its runtime and code generator are never needed (and
// loading the full package costs ~100 ms of CLI start-up). The parser has no global state.
const base = createRequire(import.meta.url)("handlebars/dist/cjs/handlebars/compiler/base.js") as {
  parse(source: string): hbs.AST.Program;
};

export const MAX_SOURCE_LENGTH = 100_000;
export const MAX_NESTING = 64;

export function parseTemplate(source: string, where: TemplateWhere | undefined): hbs.AST.Program {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw templateTooLargeError(
      { what: "text", at: at(where), detail: `${source.length} characters (limit ${MAX_SOURCE_LENGTH})` },
      errorOptions(where),
    );
  }
  const depth = nestingDepth(source);
  if (depth > MAX_NESTING) {
    throw templateUnsupportedError(
      {
        what: `Nesting deeper than ${MAX_NESTING} levels`,
        at: at(where),
        fix: "Split the template into steps.",
      },
      errorOptions(where),
    );
  }
  try {
    return base.parse(source);
  } catch (err) {
    throw syntaxError(err, where);
  }
}

/**
 * Handlebars' parser slows down quadratically with nesting, so depth is measured first with
 * one linear scan: open blocks plus parentheses inside the current mustache. Overcounting
 * (a "(" inside a string literal) only makes the limit slightly stricter.
 */
function nestingDepth(source: string): number {
  let blocks = 0;
  let max = 0;
  let i = source.indexOf("{{");
  while (i >= 0) {
    const end = source.indexOf("}}", i + 2);
    if (end < 0) break;
    const inner = source.slice(i + 2, end).replace(/^[{~\s]+/, "");
    if (inner.startsWith("#")) blocks++;
    else if (inner.startsWith("/")) blocks--;
    let parens = 0;
    for (const ch of inner) {
      if (ch === "(") max = Math.max(max, blocks + ++parens);
      else if (ch === ")") parens--;
    }
    max = Math.max(max, blocks);
    i = source.indexOf("{{", end + 2);
  }
  return max;
}

function syntaxError(err: unknown, where: TemplateWhere | undefined) {
  const message = err instanceof Error ? err.message : String(err);
  const hint = /got 'NUMBER'/.test(message) ? "\nWrite array indexes in brackets: items.[0]." : "";
  return templateSyntaxError(
    { at: at(where), detail: message + hint },
    { ...errorOptions(where), cause: err },
  );
}
