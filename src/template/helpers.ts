/**
 * The only helpers a template can call. They are pure and deterministic (nothing reads the
 * clock or the environment) so a retried step renders the same inputs, and they check the
 * types they get instead of coercing, so `gt "10" 9` is an error rather than a guess.
 */
import { deepEqual, describe, isPlainRecord, ownKeys, ownValue, toText, truthy, typeName } from "./values.js";

/** Thrown by a helper for bad arguments; the evaluator adds where it happened. */
export class HelperError extends Error {}

export interface HelperDoc {
  name: string;
  signature: string;
  description: string;
  example: string;
}

export interface HelperDef extends HelperDoc {
  /** What `example` evaluates to against HELPER_EXAMPLE_SCOPE (checked by the tests). */
  returns: unknown;
  minArgs: number;
  maxArgs: number;
  /** Block helpers (`{{#if}}`) are interpreted by the evaluator and have no function. */
  block: boolean;
  fn?: (args: unknown[]) => unknown;
}

/** The scope the documented examples run against. */
export const HELPER_EXAMPLE_SCOPE = {
  inputs: { name: "Weft", env: "prod", tags: ["a", "b", "c"], count: "42", retries: 3 },
  steps: {
    fetch: {
      status: "succeeded",
      output: {
        items: [{ id: 1 }, { id: 2 }],
        body: "  Hello, World  ",
        headers: { "content-type": "text/plain" },
      },
    },
  },
};

function str(name: string, value: unknown, position: number): string {
  if (typeof value !== "string") {
    throw new HelperError(`\`${name}\` needs a string as argument ${position}, got ${describe(value)}`);
  }
  return value;
}

function list(name: string, value: unknown, position: number): unknown[] {
  if (!Array.isArray(value)) {
    throw new HelperError(`\`${name}\` needs an array as argument ${position}, got ${describe(value)}`);
  }
  return value;
}

function compare(name: string, test: (order: number) => boolean) {
  return ([a, b]: unknown[]): boolean => {
    if (typeof a === "number" && typeof b === "number") return test(a - b);
    if (typeof a === "string" && typeof b === "string") return test(a < b ? -1 : a > b ? 1 : 0);
    throw new HelperError(
      `\`${name}\` compares two numbers or two strings, got ${describe(a)} and ${describe(b)}; convert with toNumber or toString first`,
    );
  };
}

function getPath(target: unknown, path: unknown): unknown {
  const segments =
    typeof path === "number"
      ? [String(path)]
      : typeof path === "string"
        ? path.split(".")
        : Array.isArray(path) && path.every((p) => typeof p === "string" || typeof p === "number")
          ? path.map(String)
          : undefined;
  if (!segments) throw new HelperError(`\`get\` needs a path string, number or array, got ${describe(path)}`);
  let current = target;
  for (const segment of segments) {
    const next = ownValue(current, segment);
    if (!next.found) return undefined;
    current = next.value;
  }
  return current;
}

function primitiveText(name: string, value: unknown, position: number): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return String(value);
  throw new HelperError(`\`${name}\` cannot join ${describe(value)} (argument ${position}) into text`);
}

type Spec = Omit<HelperDef, "block" | "maxArgs"> & { maxArgs?: number };

const defs: Spec[] = [
  {
    name: "eq",
    signature: "eq a b",
    description: "True when a and b are equal: same type and value; arrays and objects compare by content.",
    example: '{{ eq inputs.env "prod" }}',
    returns: true,
    minArgs: 2,
    fn: ([a, b]) => deepEqual(a, b),
  },
  {
    name: "ne",
    signature: "ne a b",
    description: "The opposite of eq.",
    example: '{{ ne steps.fetch.status "failed" }}',
    returns: true,
    minArgs: 2,
    fn: ([a, b]) => !deepEqual(a, b),
  },
  {
    name: "gt",
    signature: "gt a b",
    description: "a > b, for two numbers or two strings.",
    example: "{{ gt (length steps.fetch.output.items) 0 }}",
    returns: true,
    minArgs: 2,
    fn: compare("gt", (o) => o > 0),
  },
  {
    name: "gte",
    signature: "gte a b",
    description: "a >= b, for two numbers or two strings.",
    example: "{{ gte inputs.retries 3 }}",
    returns: true,
    minArgs: 2,
    fn: compare("gte", (o) => o >= 0),
  },
  {
    name: "lt",
    signature: "lt a b",
    description: "a < b, for two numbers or two strings.",
    example: "{{ lt inputs.retries 10 }}",
    returns: true,
    minArgs: 2,
    fn: compare("lt", (o) => o < 0),
  },
  {
    name: "lte",
    signature: "lte a b",
    description: "a <= b, for two numbers or two strings.",
    example: '{{ lte "a" "b" }}',
    returns: true,
    minArgs: 2,
    fn: compare("lte", (o) => o <= 0),
  },
  {
    name: "and",
    signature: "and a b [c …]",
    description: "True when every argument is truthy.",
    example: '{{ and (eq inputs.env "prod") (gt inputs.retries 0) }}',
    returns: true,
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    fn: (args) => args.every(truthy),
  },
  {
    name: "or",
    signature: "or a b [c …]",
    description: "True when at least one argument is truthy.",
    example: '{{ or (eq inputs.env "dev") (eq inputs.env "prod") }}',
    returns: true,
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    fn: (args) => args.some(truthy),
  },
  {
    name: "not",
    signature: "not a",
    description: "True when a is falsy (false, null, empty string, 0, empty array).",
    example: '{{ not (eq inputs.env "dev") }}',
    returns: true,
    minArgs: 1,
    fn: ([a]) => !truthy(a),
  },
  {
    name: "default",
    signature: "default value fallback",
    description: "value, or fallback when value is null, undefined or an empty string.",
    example: '{{ default (get inputs "region") "eu-west-1" }}',
    returns: "eu-west-1",
    minArgs: 2,
    fn: ([v, fallback]) => (v === null || v === undefined || v === "" ? fallback : v),
  },
  {
    name: "json",
    signature: "json value [indent]",
    description: "value as JSON text; indent (0-10) pretty-prints.",
    example: "{{ json steps.fetch.output.headers }}",
    returns: '{"content-type":"text/plain"}',
    minArgs: 1,
    maxArgs: 2,
    fn: ([v, indent]) => {
      if (v === undefined) throw new HelperError("`json` got undefined, which has no JSON form");
      if (indent !== undefined && (typeof indent !== "number" || indent < 0 || indent > 10)) {
        throw new HelperError(`\`json\` indent must be a number from 0 to 10, got ${describe(indent)}`);
      }
      return JSON.stringify(v, null, indent);
    },
  },
  {
    name: "length",
    signature: "length value",
    description: "Characters in a string, items in an array, or keys in an object.",
    example: "{{ length inputs.tags }}",
    returns: 3,
    minArgs: 1,
    fn: ([v]) => {
      if (typeof v === "string" || Array.isArray(v)) return v.length;
      if (isPlainRecord(v)) return ownKeys(v).length;
      throw new HelperError(`\`length\` needs a string, array or object, got ${describe(v)}`);
    },
  },
  {
    name: "join",
    signature: "join array [separator]",
    description: 'The items joined into one string (separator defaults to ","); objects are written as JSON.',
    example: '{{ join inputs.tags ", " }}',
    returns: "a, b, c",
    minArgs: 1,
    maxArgs: 2,
    fn: ([a, sep]) =>
      list("join", a, 1)
        .map((item) => toText(item) ?? "")
        .join(sep === undefined ? "," : str("join", sep, 2)),
  },
  {
    name: "lower",
    signature: "lower string",
    description: "The string in lower case.",
    example: "{{ lower inputs.name }}",
    returns: "weft",
    minArgs: 1,
    fn: ([s]) => str("lower", s, 1).toLowerCase(),
  },
  {
    name: "upper",
    signature: "upper string",
    description: "The string in upper case.",
    example: "{{ upper inputs.name }}",
    returns: "WEFT",
    minArgs: 1,
    fn: ([s]) => str("upper", s, 1).toUpperCase(),
  },
  {
    name: "concat",
    signature: "concat a b [c …]",
    description:
      "Joins strings, numbers and booleans into one string; when every argument is an array, one array.",
    example: '{{ concat "Hello, " inputs.name "!" }}',
    returns: "Hello, Weft!",
    minArgs: 2,
    maxArgs: Number.POSITIVE_INFINITY,
    fn: (args) => {
      if (args.every(Array.isArray)) return ([] as unknown[]).concat(...args);
      return args.map((a, i) => primitiveText("concat", a, i + 1)).join("");
    },
  },
  {
    name: "contains",
    signature: "contains haystack needle",
    description: "Substring of a string, item of an array (compared like eq), or own key of an object.",
    example: '{{ contains inputs.tags "b" }}',
    returns: true,
    minArgs: 2,
    fn: ([h, n]) => {
      if (typeof h === "string") return h.includes(str("contains", n, 2));
      if (Array.isArray(h)) return h.some((item) => deepEqual(item, n));
      if (isPlainRecord(h)) return ownValue(h, str("contains", n, 2)).found;
      throw new HelperError(`\`contains\` needs a string, array or object first, got ${describe(h)}`);
    },
  },
  {
    name: "startsWith",
    signature: "startsWith string prefix",
    description: "True when the string begins with prefix.",
    example: '{{ startsWith inputs.env "pr" }}',
    returns: true,
    minArgs: 2,
    fn: ([s, p]) => str("startsWith", s, 1).startsWith(str("startsWith", p, 2)),
  },
  {
    name: "endsWith",
    signature: "endsWith string suffix",
    description: "True when the string ends with suffix.",
    example: '{{ endsWith inputs.name "ft" }}',
    returns: true,
    minArgs: 2,
    fn: ([s, p]) => str("endsWith", s, 1).endsWith(str("endsWith", p, 2)),
  },
  {
    name: "replace",
    signature: "replace string search replacement",
    description: "Every occurrence of search (plain text, not a pattern) replaced by replacement.",
    example: '{{ replace inputs.name "W" "L" }}',
    returns: "Left",
    minArgs: 3,
    fn: ([s, search, replacement]) => {
      const needle = str("replace", search, 2);
      if (needle === "") throw new HelperError("`replace` needs a non-empty search string");
      return str("replace", s, 1)
        .split(needle)
        .join(str("replace", replacement, 3));
    },
  },
  {
    name: "trim",
    signature: "trim string",
    description: "The string without leading and trailing whitespace.",
    example: "{{ trim steps.fetch.output.body }}",
    returns: "Hello, World",
    minArgs: 1,
    fn: ([s]) => str("trim", s, 1).trim(),
  },
  {
    name: "split",
    signature: "split string separator",
    description: "The string cut at each separator (plain text), as an array of strings.",
    example: '{{ split "a,b,c" "," }}',
    returns: ["a", "b", "c"],
    minArgs: 2,
    fn: ([s, sep]) => str("split", s, 1).split(str("split", sep, 2)),
  },
  {
    name: "get",
    signature: "get object path",
    description:
      'Reads own properties along path ("a.b.0", a number, or an array of keys); undefined when absent. The one lookup that tolerates a missing key.',
    example: '{{ get steps.fetch.output.headers "content-type" }}',
    returns: "text/plain",
    minArgs: 2,
    fn: ([o, path]) => getPath(o, path),
  },
  {
    name: "keys",
    signature: "keys object",
    description: "The object's own keys, in insertion order.",
    example: "{{ keys steps.fetch.output.headers }}",
    returns: ["content-type"],
    minArgs: 1,
    fn: ([o]) => {
      if (!isPlainRecord(o)) throw new HelperError(`\`keys\` needs an object, got ${describe(o)}`);
      return ownKeys(o);
    },
  },
  {
    name: "first",
    signature: "first array",
    description: "The first item (undefined for an empty array).",
    example: "{{ first inputs.tags }}",
    returns: "a",
    minArgs: 1,
    fn: ([a]) => list("first", a, 1)[0],
  },
  {
    name: "last",
    signature: "last array",
    description: "The last item (undefined for an empty array).",
    example: "{{ last inputs.tags }}",
    returns: "c",
    minArgs: 1,
    fn: ([a]) => {
      const items = list("last", a, 1);
      return items[items.length - 1];
    },
  },
  {
    name: "toNumber",
    signature: "toNumber value",
    description: "A number from a number or a numeric string; anything else is an error.",
    example: "{{ toNumber inputs.count }}",
    returns: 42,
    minArgs: 1,
    fn: ([v]) => {
      if (typeof v === "number") return v;
      const n = typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
      if (Number.isNaN(n)) throw new HelperError(`\`toNumber\` cannot read a number from ${describe(v)}`);
      return n;
    },
  },
  {
    name: "toString",
    signature: "toString value",
    description: "Text form: strings as-is, null as empty, numbers and booleans printed, objects as JSON.",
    example: "{{ toString inputs.retries }}",
    returns: "3",
    minArgs: 1,
    fn: ([v]) => {
      const text = toText(v);
      if (text === undefined)
        throw new HelperError(`\`toString\` got ${typeName(v)}, which has no text form`);
      return text;
    },
  },
];

const blocks: HelperDef[] = [
  {
    name: "if",
    signature: "{{#if condition}} … [{{else if other}} …] [{{else}} …] {{/if}}",
    description: "Renders the first block whose condition is truthy.",
    example: '{{#if (eq inputs.env "prod")}}live{{else}}test{{/if}}',
    returns: "live",
    minArgs: 1,
    maxArgs: 1,
    block: true,
  },
  {
    name: "unless",
    signature: "{{#unless condition}} … [{{else}} …] {{/unless}}",
    description: "Renders the block when the condition is falsy.",
    example: '{{#unless (eq inputs.env "prod")}}test{{else}}live{{/unless}}',
    returns: "live",
    minArgs: 1,
    maxArgs: 1,
    block: true,
  },
  {
    name: "each",
    signature: "{{#each list as |item index|}} … [{{else}} …] {{/each}}",
    description:
      "Renders the block once per array item (or object entry: the second block param is the key); {{else}} renders for an empty or null list. Without block params use `this` and @index, @key, @first, @last.",
    example: "{{#each inputs.tags as |tag i|}}{{i}}={{tag}} {{/each}}",
    returns: "0=a 1=b 2=c ",
    minArgs: 1,
    maxArgs: 1,
    block: true,
  },
];

export const HELPER_TABLE: ReadonlyArray<HelperDef> = [
  ...defs.map((d) => ({ ...d, maxArgs: d.maxArgs ?? d.minArgs, block: false })),
  ...blocks,
];

/** Name → definition. A Map, so `toString` or `constructor` never resolve to Object.prototype. */
export const HELPER_MAP: ReadonlyMap<string, HelperDef> = new Map(HELPER_TABLE.map((h) => [h.name, h]));

/** The public, documented list (name, signature, description, example). */
export const HELPERS: ReadonlyArray<HelperDoc> = Object.freeze(
  HELPER_TABLE.map((h) =>
    Object.freeze({ name: h.name, signature: h.signature, description: h.description, example: h.example }),
  ),
);
