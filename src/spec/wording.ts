/** How values, types and places are named in messages, for schema and semantic checks alike. */
import { formatPath } from "./diagnostics.js";

/** Enough of the explain context to name places: inside a step's `with`, or the workflow. */
export interface SubjectContext {
  base: ReadonlyArray<string | number>;
  input?: { stepId: string; type: string };
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "a boolean (true or false)",
  object: "a mapping",
  array: "a list",
  null: "empty (null)",
};

export function expectedTypes(types: string): string {
  const names = types.split(",").map((t) => TYPE_NAMES[t] ?? t);
  return names.length <= 1
    ? (names[0] ?? types)
    : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** Short, quoted description of a value for messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    const s = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `the string ${JSON.stringify(s)}`;
  }
  return `${typeof value === "boolean" ? "" : `${typeof value} `}\`${String(value)}\``.trimStart();
}

/** "`retry.attempts` in step `post`", "input `url` of step `fetch` (http)", "`on.webhook`". */
export function subjectOf(
  path: ReadonlyArray<string | number>,
  ctx: SubjectContext,
  joiner: "in" | "of" = "in",
): string {
  if (ctx.input) {
    const rest = path.slice(ctx.base.length);
    const step = `step \`${ctx.input.stepId}\` (${ctx.input.type})`;
    return rest.length === 0 ? `\`with\` of ${step}` : `input \`${formatPath(rest)}\` of ${step}`;
  }
  if (path.length === 0) return "the workflow";
  const [top, id, ...rest] = path;
  if ((top === "steps" || top === "onFailure") && typeof id === "string") {
    const step = top === "steps" ? `step \`${id}\`` : `onFailure step \`${id}\``;
    return rest.length === 0 ? step : `\`${formatPath(rest)}\` ${joiner} ${step}`;
  }
  return `\`${formatPath(path)}\``;
}

/** "in step `post`", "at the top level", "in `retry` of step `post`". */
export function whereOf(path: ReadonlyArray<string | number>, ctx: SubjectContext): string {
  if (path.length === 0 && !ctx.input) return "at the top level";
  return `in ${subjectOf(path, ctx, "of")}`;
}
