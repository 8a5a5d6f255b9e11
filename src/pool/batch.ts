import type { MessagePort } from "node:worker_threads";
import type { Attempt } from "./attempt.js";
import { appendItem, CLOSED, itemCount, newControl, REVOKED, revokeRest, threadOf } from "./batch-control.js";
import { KillSwitch } from "./kill-switch.js";
import type { WireBatch } from "./types.js";

/**
 * Attempts handed to one thread as one piscina task. Handing over several at once is what
 * makes the pool cheap per step: each piscina task costs a wake-up of the thread and of the
 * main thread (tens of microseconds on a VM), a batch pays that once. The items run one
 * after another, so a step still has its thread to itself; items not started yet can be taken
 * back at any time (a free thread steals them, a stop cancels them).
 */
export class Batch {
  readonly kill = new KillSwitch();
  readonly wire: WireBatch;
  private readonly control: Int32Array;
  /** Set once the rest was taken back: the first item the thread will never start. */
  private revokedFrom: number | undefined;

  constructor(
    readonly id: number,
    readonly items: Attempt[],
    readonly lingerMs: number,
  ) {
    const buffer = newControl(items.length);
    this.control = new Int32Array(buffer);
    this.wire = { batch: id, control: buffer, items: items.map((a) => a.wire), lingerMs };
    for (const a of items) a.batch = this;
  }

  /** The id of the thread running it, once it started (0 before). */
  get thread(): number {
    return threadOf(this.control);
  }

  /**
   * Appends an attempt to a batch whose thread may still be lingering after its last item;
   * `port` is that thread's link. False once the thread closed the batch (or it was taken
   * back): the caller dispatches the attempt another way.
   */
  append(attempt: Attempt, port: MessagePort): boolean {
    if (this.lingerMs <= 0 || this.revokedFrom !== undefined) return false;
    const index = this.items.length;
    if (itemCount(this.control) !== index) return false;
    // Posted before the count says it exists: the thread reads it once it sees the count.
    port.postMessage({ t: "item", batch: this.id, index, item: attempt.wire });
    if (!appendItem(this.control, index)) return false;
    this.items.push(attempt);
    attempt.batch = this;
    return true;
  }

  /** False once the thread closed it: nothing can be appended any more. */
  get open(): boolean {
    return this.lingerMs > 0 && this.revokedFrom === undefined && itemCount(this.control) !== CLOSED;
  }

  /** Items the thread has started (or finished). */
  get started(): number {
    if (this.revokedFrom !== undefined) return this.revokedFrom;
    const next = Atomics.load(this.control, 0);
    return next === REVOKED ? this.items.length : next;
  }

  /** Items not started yet (and not taken back). */
  get waiting(): number {
    return this.revokedFrom === undefined ? this.items.length - this.started : 0;
  }

  /** The item the thread is on now, if any. */
  get current(): Attempt | undefined {
    const started = this.started;
    return started > 0 ? this.items[started - 1] : undefined;
  }

  /** Takes back every item not started yet; they will never start on this thread. */
  revoke(): Attempt[] {
    if (this.revokedFrom !== undefined) return [];
    const from = Math.min(revokeRest(this.control), this.items.length);
    this.revokedFrom = from;
    const back = this.items.slice(from);
    for (const a of back) a.batch = undefined;
    return back;
  }
}
