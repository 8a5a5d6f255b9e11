/**
 * The signal piscina watches for one task: aborting it drops the task from the queue or, once
 * the task is on a thread, terminates that thread. piscina accepts any object with this shape;
 * a full AbortController costs ~10 µs to create, a noticeable share of a no-op step, and
 * piscina only ever adds one listener.
 */
export class KillSwitch {
  aborted = false;
  private listener: (() => void) | undefined;

  addEventListener(_name: "abort", listener: () => void): void {
    this.listener = listener;
  }

  removeEventListener(_name: "abort", listener: () => void): void {
    if (this.listener === listener) this.listener = undefined;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listener = this.listener;
    this.listener = undefined;
    listener?.();
  }
}
