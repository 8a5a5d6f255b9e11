import { NonRetryableError } from "../plugin/errors.js";
import { findNonPlain } from "./plain.js";
import type { LogLevel, TaskMessage } from "./types.js";
import type { WorkerLink } from "./worker-link.js";

// A log line is one message to the main thread; cap it so one giant line cannot flood it.
const MAX_LOG_CHARS = 64 * 1024;

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * One task's view of its thread's link: log lines and checkpoint saves go out tagged with the
 * task id, aborts and checkpoint acks for that id come in. Counts what it sent so the main
 * thread can wait for the tail; once finished it sends nothing more.
 */
export class TaskChannel {
  sent = 0;
  // Made on first use: most steps never look at ctx.signal, and an AbortController is not free.
  private controller: AbortController | undefined;
  private open = true;
  private nextSave = 0;
  private acks: Map<number, Waiter> | undefined;

  constructor(
    private readonly link: WorkerLink,
    private readonly id: number,
  ) {
    link.listen(id, (msg) => this.receive(msg));
  }

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  log(level: LogLevel, message: unknown): void {
    // A line logged by work the step left running after it returned has nowhere to go.
    if (!this.open) return;
    let text = typeof message === "string" ? message : String(message);
    if (text.length > MAX_LOG_CHARS) text = `${text.slice(0, MAX_LOG_CHARS)}… [log line truncated]`;
    this.link.post({ t: "log", id: this.id, level, message: text });
    this.sent++;
  }

  save(state: unknown): Promise<void> {
    if (!this.open) return Promise.reject(new Error("checkpoint.save: the step already finished"));
    const bad = findNonPlain(state, "state");
    if (bad) {
      return Promise.reject(
        new NonRetryableError(`checkpoint.save: ${bad.path} is ${bad.what}; save plain JSON-like data only`, {
          code: "WEFT_STEP_CHECKPOINT_INVALID",
        }),
      );
    }
    const seq = ++this.nextSave;
    this.acks ??= new Map();
    const acks = this.acks;
    return new Promise<void>((resolve, reject) => {
      acks.set(seq, { resolve, reject });
      this.link.post({ t: "save", id: this.id, seq, state });
      this.sent++;
    });
  }

  /** Stops listening and fails saves still waiting for their ack. */
  finish(): void {
    this.open = false;
    this.link.unlisten(this.id);
    if (!this.acks) return;
    for (const { reject } of this.acks.values())
      reject(new Error("checkpoint.save: the step finished first"));
    this.acks.clear();
  }

  private receive(msg: TaskMessage): void {
    if (msg.t === "abort") {
      const reason =
        msg.reason === "timeout"
          ? new DOMException("the step timed out", "TimeoutError")
          : new DOMException("the step was cancelled", "AbortError");
      this.controller ??= new AbortController();
      this.controller.abort(reason);
      return;
    }
    const waiter = this.acks?.get(msg.seq);
    if (!waiter) return;
    this.acks?.delete(msg.seq);
    if (msg.error) {
      const err = new Error(`checkpoint.save failed: ${msg.error.message}`);
      Object.assign(err, { code: msg.error.code, retryable: msg.error.retryable ?? true });
      waiter.reject(err);
    } else {
      waiter.resolve();
    }
  }
}
