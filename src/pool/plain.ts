/**
 * Step outputs are stored and fed to templates, so they must be plain JSON-like data.
 * structuredClone alone is too lenient: it turns class instances into bare objects and Maps
 * into Maps, silently changing what the step meant. This walk names the first offending path.
 */

export interface NotPlain {
  path: string;
  what: string;
}

/** Returns undefined when `value` is plain data, else where and what the first problem is. */
export function findNonPlain(value: unknown, path = "output"): NotPlain | undefined {
  // Most outputs are null or a primitive: skip the walk's bookkeeping for them.
  if (value === null || typeof value !== "object") return walk(value, path, EMPTY);
  return walk(value, path, new Set());
}

// Never written to: a primitive has no children to track.
const EMPTY: Set<object> = new Set();

function walk(value: unknown, path: string, ancestors: Set<object>): NotPlain | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "undefined":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : { path, what: `the number ${value}` };
    case "bigint":
      return { path, what: "a bigint (convert it to a string or number)" };
    case "symbol":
      return { path, what: "a symbol" };
    case "function":
      return { path, what: "a function" };
  }
  if (value === null) return undefined;
  const obj = value as object;
  if (ancestors.has(obj)) return { path, what: "a circular reference" };
  const isArray = Array.isArray(obj);
  if (!isArray) {
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? "unknown";
      return { path, what: `an instance of ${name}` };
    }
  }
  ancestors.add(obj);
  try {
    if (isArray) {
      const arr = obj as unknown[];
      for (let i = 0; i < arr.length; i++) {
        const bad = walk(arr[i], `${path}[${i}]`, ancestors);
        if (bad) return bad;
      }
      return undefined;
    }
    for (const key of Object.keys(obj)) {
      const bad = walk((obj as Record<string, unknown>)[key], `${path}.${key}`, ancestors);
      if (bad) return bad;
    }
    return undefined;
  } finally {
    ancestors.delete(obj);
  }
}
