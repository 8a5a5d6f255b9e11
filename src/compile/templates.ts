/**
 * The one place compilation talks to the template module: parse a template string and
 * return the names it reads. Parsing with Handlebars costs tens of microseconds per string,
 * which dominates compiling 10,000 steps, so strings made only of plain `{{ root.path }}`
 * references that are valid by the template rules are read by a strict pattern instead
 * (a property test checks it agrees with compileTemplate); anything else goes to the parser.
 */
import type { TemplateWhere } from "../template/errors.js";
import { compileTemplate } from "../template/index.js";

export interface TemplateRef {
  root: string;
  path: string[];
}

export type TemplateScan = { ok: true; refs: TemplateRef[] } | { ok: false; code: string; message: string };

export function isTemplate(value: string): boolean {
  return value.includes("{{");
}

const SIMPLE_MUSTACHE = /\{\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*\}\}/g;
const LEFTOVER = /[{}\\]/;
const FREE_ROOTS = new Set(["inputs", "item", "run", "trigger"]);

/** Refs of a template made only of plain references, or undefined when the parser must decide. */
export function simpleRefs(source: string): TemplateRef[] | undefined {
  const refs = new Map<string, TemplateRef>();
  SIMPLE_MUSTACHE.lastIndex = 0;
  const rest = source.replace(SIMPLE_MUSTACHE, (_whole, dotted: string) => {
    const [root = "", ...path] = dotted.split(".");
    if (!plainRefIsValid(root, path)) return "{";
    const key = dotted.split(".").join("\u0000");
    if (!refs.has(key)) refs.set(key, { root, path });
    return "";
  });
  return LEFTOVER.test(rest) ? undefined : [...refs.values()];
}

/** The rules lower.ts applies to a root reference; anything outside them goes to the parser. */
function plainRefIsValid(root: string, path: string[]): boolean {
  if (FREE_ROOTS.has(root)) return true;
  if (root === "index") return path.length === 0;
  if (root === "secrets") return path.length === 1;
  if (root === "steps")
    return (path[1] === "output" && path.length >= 2) || (path[1] === "status" && path.length === 2);
  return false;
}

export class TemplateScanner {
  /** `where` is only computed when the parser runs (it names the field in error messages). */
  scan(source: string, where: () => TemplateWhere): TemplateScan {
    const fast = simpleRefs(source);
    if (fast) return { ok: true, refs: fast };
    try {
      const compiled = compileTemplate(source, where());
      return { ok: true, refs: compiled.refs.map((r) => ({ root: r.root, path: [...r.path] })) };
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown };
      return {
        ok: false,
        code: typeof e.code === "string" ? e.code : "WEFT_COMPILE_TEMPLATE",
        message: typeof e.message === "string" ? e.message : String(err),
      };
    }
  }
}
