/**
 * Durations in workflow files are strings such as `250ms`, `30s`, `5m`, `1h30m`, `2d`:
 * whole numbers with units, largest unit first, each unit at most once. The schema checks the
 * shape; this module gives the value and the precise complaint (validation reports it with
 * the position).
 */

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const ORDER: readonly Unit[] = ["d", "h", "m", "s", "ms"];

/** Longest duration accepted (about 10 years); keeps every value a safe integer of ms. */
export const MAX_DURATION_MS = 10 * 365 * UNIT_MS.d;

export class DurationError extends Error {
  override readonly name = "DurationError";
  /** What is wrong, without the quoted input (for messages that already name the field). */
  readonly reason: string;
  constructor(text: string, reason: string) {
    super(`"${text}" is not a valid duration: ${reason}`);
    this.reason = reason;
  }
}

const PART = /([0-9]+)(ms|s|m|h|d)/y;

/** Parses a duration string into milliseconds; throws DurationError saying what is wrong. */
export function parseDuration(text: string): number {
  if (typeof text !== "string")
    throw new DurationError(String(text), `expected a string like "30s", got ${typeof text}`);
  const s = text.trim();
  if (s === "") throw new DurationError(text, 'it is empty; write e.g. "30s", "5m" or "1h30m"');
  let pos = 0;
  let total = 0;
  let lastRank = -1;
  PART.lastIndex = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) {
      const hint = /^[0-9]+$/.test(s) ? `; add a unit, e.g. "${s}s" or "${s}ms"` : "";
      throw new DurationError(
        text,
        `expected a whole number and a unit (ms, s, m, h, d) at "${s.slice(pos)}"${hint}`,
      );
    }
    const unit = m[2] as Unit;
    const rank = ORDER.indexOf(unit);
    if (rank <= lastRank) {
      throw new DurationError(text, 'write units from largest to smallest, each once (e.g. "1h30m")');
    }
    lastRank = rank;
    total += Number(m[1]) * UNIT_MS[unit];
    pos = PART.lastIndex;
  }
  if (!Number.isSafeInteger(total) || total > MAX_DURATION_MS) {
    throw new DurationError(text, "durations are limited to 10 years");
  }
  return total;
}

/** Formats milliseconds back into the shortest duration string (`90000` → `1m30s`). */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`cannot format ${ms} as a duration`);
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const unit of ORDER) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_MS[unit];
    }
  }
  return out;
}
