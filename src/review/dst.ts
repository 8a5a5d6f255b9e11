/**
 * Daylight-saving changes of a time zone, from the platform's own zone data (Intl), so the
 * DST lint agrees with what the scheduler will see on this Node version.
 */

export interface ZoneTransition {
  /** The instant the offset changes. */
  at: Date;
  /** UTC offsets in minutes before and after `at` (Berlin in winter: 60). */
  offsetBefore: number;
  offsetAfter: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Milliseconds of the wall-clock time in `zone` at `ms`, read as if it were UTC. */
export function wallMs(ms: number, zone: string): number {
  const parts = formatter(zone).formatToParts(new Date(ms));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
}

export function offsetMinutes(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return Math.round((wallMs(whole, zone) - whole) / 60_000);
}

const SCAN_STEP_MS = 6 * 3_600_000;

/** Offset changes in [from, to); zones change at most a few times a year, never within 6h. */
export function zoneTransitions(zone: string, from: Date, to: Date): ZoneTransition[] {
  const out: ZoneTransition[] = [];
  let t = from.getTime();
  let offset = offsetMinutes(t, zone);
  while (t < to.getTime()) {
    const next = Math.min(t + SCAN_STEP_MS, to.getTime());
    const nextOffset = offsetMinutes(next, zone);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000;
        if (mid <= lo || mid >= hi) break;
        if (offsetMinutes(mid, zone) === offset) lo = mid;
        else hi = mid;
      }
      out.push({ at: new Date(hi), offsetBefore: offset, offsetAfter: nextOffset });
    }
    t = next;
    offset = nextOffset;
  }
  return out;
}

/** `HH:MM` of a wall-clock time held as UTC milliseconds. */
export function wallClock(wall: number): string {
  return new Date(wall).toISOString().slice(11, 16);
}

/** `YYYY-MM-DD` of a wall-clock time held as UTC milliseconds. */
export function wallDate(wall: number): string {
  return new Date(wall).toISOString().slice(0, 10);
}
