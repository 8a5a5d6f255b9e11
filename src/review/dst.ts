/**
 * Daylight-saving changes of a time zone, from the platform's own zone data (Intl), so the
 * DST lint agrees with what the scheduler will see on this Node version.
 */

import { offsetMinutes } from "../compile/zone.js";

export interface ZoneTransition {
  /** The instant the offset changes. */
  at: Date;
  /** UTC offsets in minutes before and after `at` (Berlin in winter: 60). */
  offsetBefore: number;
  offsetAfter: number;
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
