import type { MessagePort } from "node:worker_threads";
import { NonRetryableError } from "../plugin/errors.js";
import { findNonPlain } from "./plain.js";
import type { LogLevel, MainMessage, WorkerMessage } from "./types.js";

// A log line is one message to the main thread; cap it so one giant line cannot flood it.
const MAX_LOG_CHARS = 64 * 1024;

/**
 * The worker's end of one task's MessagePort: log lines and checkpoint saves go out, aborts
 * and checkpoint acks come in. Counts what it sent so the main thread can wait for the tail.
 */
export class WorkerChannel {
  readonly controller = new AbortController();
  sent = 0;
  private nextSave = 0;
  private readonly acks = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private readonly onMessage = (msg: MainMessage) => this.receive(msg);

  constructor(private readonly port: MessagePort) {
    port.on("message", this.onMessage);
    this.post({ t: "start" });
  }

  log(level: LogLevel, message: unknown): void {
    let text = typeof message === "string" ? message : String(message);
    if (text.length > MAX_LOG_CHARS) text = `${text.slice(0, MAX_LOG_CHARS)}… [log line truncated]`;
    this.post({ t: "log", level, message: text });
  }

  save(state: unknown): Promise<void> {
    const bad = findNonPlain(state, "state");
    if (bad) {
      return Promise.reject(
        new NonRetryableError(`checkpoint.save: ${bad.path} is ${bad.what}; save plain JSON-like data only`, {
          code: "WEFT_STEP_CHECKPOINT_INVALID",
        }),
      );
    }
    const id = ++this.nextSave;
    return new Promise<void>((resolve, reject) => {
      this.acks.set(id, { resolve, reject });
      this.post({ t: "save", id, state });
    });
  }

  /** Stops listening; the main thread closes the port once it has every message. */
  finish(): void {
    this.port.off("message", this.onMessage);
    this.port.unref();
    for (const { reject } of this.acks.values())
      reject(new Error("checkpoint.save: the step finished first"));
    this.acks.clear();
  }

  private post(msg: WorkerMessage): void {
    this.port.postMessage(msg);
    this.sent++;
  }

  private receive(msg: MainMessage): void {
    if (msg.t === "abort") {
      const reason =
        msg.reason === "timeout"
          ? new DOMException("the step timed out", "TimeoutError")
          : new DOMException("the step was cancelled", "AbortError");
      this.controller.abort(reason);
      return;
    }
    const waiter = this.acks.get(msg.id);
    if (!waiter) return;
    this.acks.delete(msg.id);
    if (msg.error) {
      const err = new Error(`checkpoint.save failed: ${msg.error.message}`);
      Object.assign(err, { code: msg.error.code, retryable: msg.error.retryable ?? true });
      waiter.reject(err);
    } else {
      waiter.resolve();
    }
  }
}
