/**
 * The cron scheduler. Croner only computes times; this class keeps one timer armed to the
 * earliest next fire (never longer than `maxSleepMs`, so a clock stepped by an hour is seen
 * within a minute) and, on each wake, fires what became due since its cursor.
 *
 * Every fire first claims (workflow, slot ISO time) in the store. Only the caller that gets
 * the claim calls `fire()`, so a restart, a second scheduler in the same process, or another
 * node sharing the store never fires one slot twice. A clock stepped back never re-fires: the
 * cursor does not move backwards, and the claim would refuse it anyway.
 */
import type { Cron } from "croner";
import type { CompiledTrigger } from "../compile/types.js";
import type { ActiveWorkflow, Store } from "../store/types.js";
import { type CatchupPolicy, dueSlots, nextSlotAfter, scheduleOf } from "./slots.js";

export interface CronSchedulerOptions {
  store: Store;
  fire: (w: ActiveWorkflow, trigger: CompiledTrigger, slot: Date) => Promise<void>;
  now?: () => number;
  /** Most missed slots fired by the `all` catch-up policy (the most recent ones). Default 100. */
  maxCatchup?: number;
  /** Slots at most this late count as on time and fire whatever the policy. Default 60 s. */
  graceMs?: number;
  /** Longest single sleep; bounds how long a clock step goes unnoticed. Default 60 s. */
  maxSleepMs?: number;
  /** False: never arm a timer (tests drive `tick()` with a fake clock). Default true. */
  timers?: boolean;
  /** A failed claim or fire; the scheduler keeps going. */
  onError?: (err: Error, workflow: string) => void;
  /** `all` had more missed slots than maxCatchup; the oldest were dropped. */
  onTruncated?: (workflow: string, kept: number) => void;
}

interface Entry {
  w: ActiveWorkflow;
  trigger: CompiledTrigger;
  cron: Cron;
  /** cron + timezone: an entry whose schedule did not change keeps its cursor. */
  signature: string;
  /** Slots at or before this instant are handled. */
  cursorMs: number;
}

export class CronScheduler {
  private readonly opts: CronSchedulerOptions;
  private readonly now: () => number;
  private entries = new Map<string, Entry>();
  /** Ticks and updates run one at a time, in order. */
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(opts: CronSchedulerOptions) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Replans from the active set: removed workflows stop firing, new ones start from their last
   * fired slot (or their activation), changed schedules keep the cursor they had.
   */
  update(active: ActiveWorkflow[]): Promise<void> {
    return this.serial(async () => {
      const next = new Map<string, Entry>();
      for (const w of active) {
        const schedules = w.version.plan.triggers.filter((t) => t.kind === "schedule" && t.cron);
        if (schedules.length === 0) continue;
        const previous = this.anyEntryOf(w.workflow);
        const fallback = previous?.cursorMs ?? (await this.initialCursor(w));
        for (const [i, trigger] of schedules.entries()) {
          const key = `${w.workflow}\0${i}`;
          const signature = `${trigger.cron}\0${trigger.timezone ?? "UTC"}`;
          const old = this.entries.get(key);
          try {
            const cron =
              old?.signature === signature ? old.cron : scheduleOf(trigger.cron ?? "", trigger.timezone);
            next.set(key, { w, trigger, cron, signature, cursorMs: old?.cursorMs ?? fallback });
          } catch (err) {
            this.report(err, w.workflow);
          }
        }
      }
      this.entries = next;
      if (this.running) this.arm();
    });
  }

  /** Fires what was missed (per catch-up policy) and what is due, then keeps a timer armed. */
  start(): Promise<void> {
    this.running = true;
    return this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Fires everything due at now(). Resolves when those fires are done. */
  tick(): Promise<void> {
    return this.serial(async () => {
      const now = this.now();
      const due: Array<{ entry: Entry; slot: Date }> = [];
      for (const entry of this.entries.values()) {
        const catchup: CatchupPolicy = entry.trigger.catchup ?? "none";
        const maxCatchup = this.opts.maxCatchup ?? 100;
        const slots = dueSlots(entry.cron, entry.cursorMs, now, {
          graceMs: this.opts.graceMs ?? 60_000,
          catchup,
          maxCatchup,
        });
        if (slots.truncated) this.opts.onTruncated?.(entry.w.workflow, maxCatchup);
        for (const slot of slots.fire) due.push({ entry, slot });
        entry.cursorMs = Math.max(entry.cursorMs, now);
      }
      due.sort((a, b) => a.slot.getTime() - b.slot.getTime());
      for (const { entry, slot } of due) await this.fireOnce(entry, slot);
      if (this.running) this.arm();
    });
  }

  /** The earliest planned fire (ms), for status pages and tests that step a fake clock. */
  nextFireAt(): number | undefined {
    let earliest: number | undefined;
    const now = this.now();
    for (const e of this.entries.values()) {
      const at = nextSlotAfter(e.cron, Math.max(e.cursorMs, now));
      if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
    }
    return earliest;
  }

  private async fireOnce(entry: Entry, slot: Date): Promise<void> {
    const workflow = entry.w.workflow;
    try {
      // Several schedules of one workflow due at the same instant share the claim: one run.
      if (!(await this.opts.store.claimTriggerSlot("schedule", workflow, slot.toISOString()))) return;
      await this.opts.fire(entry.w, entry.trigger, slot);
    } catch (err) {
      this.report(err, workflow);
    }
  }

  private async initialCursor(w: ActiveWorkflow): Promise<number> {
    const last = await this.opts.store.lastScheduleSlot(w.workflow);
    const lastMs = last === undefined ? Number.NaN : Date.parse(last);
    return Number.isNaN(lastMs) ? w.activatedAt : lastMs;
  }

  private anyEntryOf(workflow: string): Entry | undefined {
    for (const e of this.entries.values()) if (e.w.workflow === workflow) return e;
    return undefined;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.opts.timers === false) return;
    const maxSleep = this.opts.maxSleepMs ?? 60_000;
    const at = this.nextFireAt();
    const delay = at === undefined ? maxSleep : Math.min(Math.max(at - this.now(), 0), maxSleep);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick().catch((err: unknown) => this.report(err, ""));
    }, delay);
    // The server's listener keeps the process alive; a schedule alone must not.
    this.timer.unref();
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private report(err: unknown, workflow: string): void {
    this.opts.onError?.(err instanceof Error ? err : new Error(String(err)), workflow);
  }
}
