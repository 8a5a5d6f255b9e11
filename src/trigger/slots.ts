/**
 * Which schedule slots are due, as pure arithmetic over croner's answers. A slot is a fire
 * time of one cron expression; the scheduler keeps a cursor (the instant up to which slots
 * were already handled) and asks this module what lies between the cursor and now.
 *
 * Slots in the last `graceMs` before now are "on time" and always fire: a timer that wakes a
 * little late, or a restart in the middle of a slot, must not lose it. Older slots were
 * missed (downtime, a suspended machine, the clock stepped forward) and the catch-up policy
 * decides: `none` drops them, `latest` fires the most recent one, `all` fires the most recent
 * `maxCatchup` of them, oldest first.
 */
import { Cron } from "croner";

export type CatchupPolicy = "none" | "latest" | "all";

export interface DueSlots {
  /** Slots to fire, oldest first. */
  fire: Date[];
  /** True when `all` had more missed slots than `maxCatchup`; the oldest were dropped. */
  truncated: boolean;
}

/** Croner is used only to compute times: paused, never allowed to run a callback. */
export function scheduleOf(cron: string, timezone: string | undefined): Cron {
  return new Cron(cron, { timezone: timezone ?? "UTC", paused: true });
}

export function dueSlots(
  cron: Cron,
  cursorMs: number,
  nowMs: number,
  opts: { graceMs: number; catchup: CatchupPolicy; maxCatchup: number },
): DueSlots {
  if (nowMs <= cursorMs) return { fire: [], truncated: false };
  const boundary = nowMs - opts.graceMs;
  const missed: Date[] = [];
  let truncated = false;
  if (boundary > cursorMs && opts.catchup !== "none") {
    const want = opts.catchup === "latest" ? 1 : Math.max(1, opts.maxCatchup);
    // previousRuns looks strictly before its reference; +1 ms includes a slot at the boundary.
    const before = cron.previousRuns(want, new Date(boundary + 1)).filter((d) => d.getTime() > cursorMs);
    if (opts.catchup === "all" && before.length === want) {
      const oldest = before[before.length - 1];
      const older = oldest ? cron.previousRuns(1, oldest) : [];
      truncated = older.length > 0 && (older[0]?.getTime() ?? 0) > cursorMs;
    }
    missed.push(...before.reverse());
  }
  const onTime: Date[] = [];
  let next = cron.nextRun(new Date(Math.max(cursorMs, boundary)));
  while (next && next.getTime() <= nowMs) {
    onTime.push(next);
    next = cron.nextRun(next);
  }
  return { fire: [...missed, ...onTime], truncated };
}

/** The first slot strictly after `fromMs`, or undefined when the expression never fires again. */
export function nextSlotAfter(cron: Cron, fromMs: number): number | undefined {
  return cron.nextRun(new Date(fromMs))?.getTime();
}
