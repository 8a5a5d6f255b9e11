/**
 * Durations as workflow authors write them: `250ms`, `30s`, `5m`, `1h30m`, `2d`. Units run
 * from largest to smallest, each at most once, so `1h30m` is unambiguous and `30m1h` is refused.
 */

const UNITS_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;

/** JSON Schema `pattern` matching what parseDuration accepts (editors flag typos early). */
export const DURATION_PATTERN = "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?(\\d+ms)?$";

const DURATION_RE = new RegExp(DURATION_PATTERN);

/** Milliseconds in a duration string; throws an Error naming the accepted forms otherwise. */
export function parseDuration(text: string): number {
  const trimmed = typeof text === "string" ? text.trim() : "";
  const match = trimmed === "" ? null : DURATION_RE.exec(trimmed);
  if (!match) {
    throw new Error(
      `invalid duration "${String(text)}": use a number with a unit, e.g. 250ms, 30s, 5m, 1h30m, 2d`,
    );
  }
  // Capture groups 1..5 hold "<n><unit>" for d, h, m, s, ms in that order (whole numbers,
  // as in workflow-level durations, src/spec/duration.ts).
  const units = Object.keys(UNITS_MS) as Array<keyof typeof UNITS_MS>;
  let total = 0;
  units.forEach((unit, i) => {
    const part = match[1 + i];
    if (part) total += Number.parseInt(part, 10) * UNITS_MS[unit];
  });
  return total;
}
