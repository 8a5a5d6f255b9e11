/**
 * How templates look at data. Every property read goes through `ownValue`: own data
 * properties only, never a getter, never a function, never anything on a prototype. That is
 * what makes `constructor`, `__proto__` and `__lookupSetter__` plain unknown names.
 */

export type Lookup = { found: true; value: unknown } | { found: false };

const NOT_FOUND: Lookup = { found: false };

export function ownValue(parent: unknown, key: string): Lookup {
  if (parent === null || parent === undefined) return NOT_FOUND;
  if (typeof parent !== "object" && typeof parent !== "string") return NOT_FOUND;
  const desc = Object.getOwnPropertyDescriptor(parent, key);
  if (!desc || !("value" in desc) || typeof desc.value === "function") return NOT_FOUND;
  return { found: true, value: desc.value };
}

/** Own enumerable string keys whose values are data (used for listings and `keys`). */
export function ownKeys(value: unknown): string[] {
  if (value === null || typeof value !== "object") return [];
  return Object.keys(value).filter((k) => ownValue(value, k).found);
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Truthiness for `if`, `and`, `or`, `not`: false, null, undefined, "", 0, NaN and [] are false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ka = ownKeys(a);
  const kb = ownKeys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => {
    const va = ownValue(a, k);
    const vb = ownValue(b, k);
    return va.found && vb.found && deepEqual(va.value, vb.value);
  });
}

/**
 * Text form of a value inside mixed text: strings as-is, null as "", objects and arrays as
 * JSON. `undefined` has no text form; callers turn that into an error naming the expression.
 */
export function toText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (typeof value === "object") return JSON.stringify(value) ?? "";
  return undefined;
}

/** A short description for error messages: `string "abc"`, `number 3`, `array (2 items)`. */
export function describe(value: unknown): string {
  const t = typeName(value);
  if (value === null || value === undefined) return t;
  if (typeof value === "string")
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `${t} ${String(value)}`;
  if (Array.isArray(value)) return `array (${value.length} items)`;
  return `object (keys: ${ownKeys(value).slice(0, 5).join(", ") || "none"})`;
}
