/**
 * Wall-clock time in an IANA zone from the platform's own zone data (Intl), so fire times,
 * the DST lint and the scheduler agree on this Node version. Formatters are cached per zone:
 * building one costs far more than using it.
 */

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
