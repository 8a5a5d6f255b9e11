/**
 * The checked form of a template. Handlebars parses the text; lower.ts turns its AST into
 * these nodes, resolving every name once, so the evaluator never meets an unknown kind of
 * node or a name that was not checked.
 */
import type { TemplatePos } from "./errors.js";

export const ROOTS = ["inputs", "steps", "item", "index", "run", "trigger", "secrets"] as const;
export type RootName = (typeof ROOTS)[number];

export const EACH_DATA = ["index", "key", "first", "last"] as const;
export type EachData = (typeof EACH_DATA)[number];

/** "steps.fetch.output.body" → { root: "steps", path: ["fetch", "output", "body"] } */
export interface TemplateRef {
  root: string;
  path: readonly string[];
}

interface Base {
  pos: TemplatePos;
  /** The expression as source text, for placeholders and messages. */
  text: string;
}

export type Expr =
  | (Base & { kind: "literal"; value: string | number | boolean | null | undefined })
  | (Base & { kind: "root"; root: RootName; path: string[] })
  | (Base & { kind: "local"; name: string; path: string[] })
  | (Base & { kind: "this"; path: string[] })
  | (Base & { kind: "data"; name: EachData })
  | (Base & { kind: "call"; helper: string; args: Expr[] });

export type Stmt =
  | { kind: "text"; value: string }
  | { kind: "output"; expr: Expr }
  | {
      kind: "if";
      pos: TemplatePos;
      text: string;
      negate: boolean;
      cond: Expr;
      whenTrue: Stmt[];
      whenFalse: Stmt[];
    }
  | {
      kind: "each";
      pos: TemplatePos;
      text: string;
      list: Expr;
      params: string[];
      body: Stmt[];
      else: Stmt[];
    };

export interface Lowered {
  body: Stmt[];
  /** Set when the template is exactly one `{{ expression }}` (whitespace around allowed). */
  typedExpr: Expr | undefined;
  refs: TemplateRef[];
  helpers: string[];
}

/** Source text of a path: `steps.fetch.output.body`, `steps.[odd key].output`. */
export function pathText(head: string, parts: readonly string[]): string {
  return [head, ...parts.map((p) => (/^[\w-]+$/.test(p) ? p : `[${p}]`))].join(".");
}
