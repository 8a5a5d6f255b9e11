/**
 * Step timeouts without a Node timer per attempt. Attempts with the same timeout are due in
 * the order they were armed, so each timeout length gets one list (oldest first) and one
 * timer, armed for the list's head. Removing an attempt that ended is an unlink: the timer
 * stays armed for the old head and, when it fires, looks at the head it finds (fires what is
 * due, re-arms for the rest). A timer per attempt cost a timer-list creation, a priority-queue
 * insert and a removal on every step of a chain (~20 µs a hop here).
 */

// setTimeout fires at once for delays past this (2^31 - 1 ms); longer waits re-arm.
const MAX_TIMER_MS = 2_147_483_647;

/** What a deadline calls when it passes. */
export interface DeadlineTarget {
  deadlinePassed(): void;
}

export interface Deadline {
  readonly at: number;
  prev: Deadline | undefined;
  next: Deadline | undefined;
  list: DeadlineList | undefined;
  readonly target: DeadlineTarget;
}

interface DeadlineList {
  readonly ms: number;
  head: Deadline | undefined;
  tail: Deadline | undefined;
  timer: NodeJS.Timeout | undefined;
}

export class Deadlines {
  private readonly lists = new Map<number, DeadlineList>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Calls `target.deadlinePassed()` once `ms` have passed, unless the deadline is removed first. */
  add(ms: number, target: DeadlineTarget): Deadline {
    const length = Math.max(1, Math.ceil(ms));
    let list = this.lists.get(length);
    if (!list) {
      list = { ms: length, head: undefined, tail: undefined, timer: undefined };
      this.lists.set(length, list);
    }
    const d: Deadline = { at: this.now() + length, prev: list.tail, next: undefined, list, target };
    if (list.tail) list.tail.next = d;
    else list.head = d;
    list.tail = d;
    if (!list.timer) this.arm(list, length);
    return d;
  }

  remove(d: Deadline): void {
    const list = d.list;
    if (!list) return;
    if (d.prev) d.prev.next = d.next;
    else list.head = d.next;
    if (d.next) d.next.prev = d.prev;
    else list.tail = d.prev;
    d.prev = undefined;
    d.next = undefined;
    d.list = undefined;
  }

  private arm(list: DeadlineList, ms: number): void {
    list.timer = setTimeout(() => this.due(list), Math.min(Math.max(1, Math.ceil(ms)), MAX_TIMER_MS));
    // Running steps keep the process alive (their threads are busy), not their deadlines.
    list.timer.unref();
  }

  private due(list: DeadlineList): void {
    list.timer = undefined;
    const now = this.now();
    for (let d = list.head; d && d.at <= now; d = list.head) {
      this.remove(d);
      d.target.deadlinePassed();
    }
    if (list.head) this.arm(list, list.head.at - now);
    else this.lists.delete(list.ms);
  }
}
