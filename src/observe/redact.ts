/**
 * Redaction by value: every known secret, and the encodings it commonly leaks in (JSON
 * escaping, URL encoding, base64 in both alphabets and at any byte alignment), is masked in
 * logs, stored outputs, errors and API responses.
 *
 * Secrets shorter than MIN_SECRET_LENGTH are not redacted: masking "ab" everywhere would
 * shred every log line and, worse, reveal the secret by where the masks fall. The secrets
 * store should refuse such values; here they are skipped.
 */
import type { WeftErrorData } from "../errors.js";

export const MIN_SECRET_LENGTH = 4;
export const MASK = "***";

export interface Redactor {
  /** The text with every secret form replaced by `***` (or `[REDACTED:NAME]`). */
  redactText(s: string): string;
  /** A deep copy with every string value redacted; keys and non-string values are kept. */
  redactValue<T>(v: T): T;
  /** Error data (message, nested causes) redacted, ready to store or return. */
  redactErrorData(data: WeftErrorData): WeftErrorData;
}

/**
 * @param secrets secret values (masked as `***`) or a name → value map (masked as
 *   `[REDACTED:NAME]`, so readers know which secret appeared without seeing it).
 */
export function createRedactor(secrets: ReadonlyArray<string> | Readonly<Record<string, string>>): Redactor {
  const labelOf = new Map<string, string>();
  const entries: Array<[string | undefined, string]> = Array.isArray(secrets)
    ? secrets.map((v): [undefined, string] => [undefined, v])
    : Object.entries(secrets);
  for (const [name, value] of entries) {
    if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH) continue;
    const label = name === undefined ? MASK : `[REDACTED:${name}]`;
    for (const form of secretForms(value)) {
      // The first secret to claim a form keeps it; identical forms need one label only.
      if (form.length > 0 && !labelOf.has(form)) labelOf.set(form, label);
    }
  }
  if (labelOf.size === 0) {
    return {
      redactText: (s) => s,
      redactValue: (v) => copyValue(v, (s) => s),
      redactErrorData: (d) => ({ ...d }),
    };
  }
  const forms = [...labelOf.keys()].sort((a, b) => b.length - a.length);
  // A lookahead finds every position where some form starts (longest first), so overlapping
  // secrets are all masked; the alternation is of literals only, so matching stays linear.
  const finder = new RegExp(`(?=(${forms.map(escapeRegExp).join("|")}))`, "g");

  const redactText = (s: string): string => {
    if (typeof s !== "string" || s.length === 0) return s;
    const spans: Array<{ start: number; end: number; label: string }> = [];
    for (const match of s.matchAll(finder)) {
      const found = match[1] ?? "";
      const start = match.index;
      const end = start + found.length;
      const last = spans[spans.length - 1];
      if (last && start <= last.end) last.end = Math.max(last.end, end);
      else spans.push({ start, end, label: labelOf.get(found) ?? MASK });
    }
    if (spans.length === 0) return s;
    let out = "";
    let cursor = 0;
    for (const span of spans) {
      out += s.slice(cursor, span.start) + span.label;
      cursor = span.end;
    }
    return out + s.slice(cursor);
  };

  const redactErrorData = (data: WeftErrorData): WeftErrorData => copyValue(data, redactText);
  return { redactText, redactValue: (v) => copyValue(v, redactText), redactErrorData };
}

/** The raw value and the ways it is commonly re-encoded on its way into a log line. */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([value]);
  const json = JSON.stringify(value).slice(1, -1);
  forms.add(json);
  // Serialisers that escape all non-ASCII (Python's json.dumps default) write \u00f6 for ö.
  forms.add(json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  forms.add(encodeURIComponent(value));
  forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  const bytes = Buffer.from(value, "utf8");
  const standard = bytes.toString("base64");
  const urlSafe = standard.replace(/\+/g, "-").replace(/\//g, "_");
  for (const whole of [standard, urlSafe]) {
    forms.add(whole);
    forms.add(whole.replace(/=+$/, ""));
  }
  for (const encoding of ["base64", "base64url"] as const) {
    for (const form of base64Cores(bytes, encoding)) forms.add(form);
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * A secret inside a larger base64 payload (e.g. `Basic base64(user:password)`) is encoded at
 * one of three byte alignments. For each, keep only the characters whose bits come from the
 * secret alone; those appear verbatim whatever surrounds it.
 */
function base64Cores(bytes: Buffer, encoding: "base64" | "base64url"): string[] {
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const total = shift + bytes.length;
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString(encoding);
    const core = encoded.slice(Math.ceil((8 * shift) / 6), Math.floor((8 * total) / 6));
    cores.push(core);
  }
  return cores;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** Deep copy of plain data with strings mapped; errors become plain data; cycles are cut. */
function copyValue<T>(value: T, mapString: (s: string) => string): T {
  if (typeof value === "string") return mapString(value) as T;
  if (value === null || typeof value !== "object") return value;
  // A Map, not a WeakMap: it dies with the call, and ephemeron tables cost every GC.
  const seen = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return mapString(v);
    if (v === null || typeof v !== "object") return v;
    const prior = seen.get(v);
    if (prior !== undefined) return prior;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const item of v) out.push(walk(item));
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    const isError = v instanceof Error;
    if (!isError && proto !== Object.prototype && proto !== null) return v;
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    if (isError) {
      // name, message and stack are not enumerable on Error; they are where secrets leak.
      out.name = mapString(v.name);
      out.message = mapString(v.message);
      if (v.stack) out.stack = mapString(v.stack);
      if (v.cause !== undefined) out.cause = walk(v.cause);
    }
    for (const [key, item] of Object.entries(v)) {
      Object.defineProperty(out, key, {
        value: walk(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return walk(value) as T;
}
