import type { MessagePort } from "node:worker_threads";
import { toErrorData } from "../errors.js";
import type { Batch } from "./batch.js";
import { now } from "./clock.js";
import type { Deadline, Deadlines } from "./deadlines.js";
import { crashError, type StopReason, stoppedError } from "./outcome.js";
import type { ThreadLinks } from "./threads.js";
import type { StepHooks, StepOutcome, StepTask, WireResult, WireTask, WorkerMessage } from "./types.js";

// Safety net only: a task's messages are posted before its result, so the tail is normally in.
const DRAIN_LIMIT_MS = 1000;

export interface AttemptConfig {
  graceMs: number;
  oldGenerationMb: number;
  links: ThreadLinks;
  /** True once the pool is shutting down: a thread ended then was ended by us, not a crash. */
  closing: () => boolean;
  /** The pool takes an attempt that was asked to stop out of its queue or batch, if it can. */
  stop: (attempt: Attempt) => void;
  /** The pool's timeout lists (one timer per timeout length, not one per attempt). */
  deadlines: Deadlines;
}

/**
 * One attempt of one step, seen from the main thread: relays its log lines and checkpoint
 * saves, enforces its timeout from when the step started (not from when it was handed in: it
 * may wait in the pool's queue, in a batch behind other steps, or for a replacement thread to
 * boot), escalates abort → terminate after graceMs, and resolves `outcome` exactly once.
 *
 * The timer is armed at once for the full timeout. When it fires it reads the thread's start
 * clock: a step that started later gets the timer re-armed for the time it has left, one
 * still waiting gets another full timeout (it cannot be due before then).
 */
export class Attempt {
  readonly wire: WireTask;
  readonly outcome: Promise<StepOutcome>;
  /** The batch it is in, while it is in one (set and cleared by Batch). */
  batch: Batch | undefined;
  stopReason: StopReason | undefined;
  /** True once the outcome is decided, whatever the tail of its messages does. */
  settled = false;
  private resolve!: (outcome: StepOutcome) => void;
  private readonly t0 = now();
  private startedAt: number | undefined;
  private terminated = false;
  private deadline: Deadline | undefined;
  private grace: NodeJS.Timeout | undefined;
  private received = 0;
  private expected = Number.POSITIVE_INFINITY;
  private drained: (() => void) | undefined;

  constructor(
    readonly id: number,
    private readonly task: StepTask,
    private readonly hooks: StepHooks,
    private readonly config: AttemptConfig,
  ) {
    this.wire = { id, task };
    this.outcome = new Promise((resolve) => {
      this.resolve = resolve;
    });
    const { timeoutMs } = task;
    if (timeoutMs > 0 && Number.isFinite(timeoutMs)) this.arm(timeoutMs);
  }

  /** Asks the step to stop; the pool drops it if it has not started. */
  stop(reason: StopReason): void {
    if (this.settled || this.stopReason) return;
    this.stopReason = reason;
    this.config.stop(this);
  }

  /** It had started when asked to stop: abort its signal, and end its thread after graceMs. */
  signalStop(): void {
    if (this.settled) return;
    const port = this.config.links.portOf(this.id);
    port?.postMessage({
      t: "abort",
      id: this.id,
      reason: this.stopReason === "timeout" ? "timeout" : "cancel",
    });
    this.grace = setTimeout(() => {
      if (this.settled) return;
      this.terminated = true;
      this.batch?.kill.abort();
    }, this.config.graceMs);
  }

  /** It was stopped before it started (taken out of the queue or its batch). */
  finishUnstarted(): void {
    if (this.settled) return;
    this.settle(undefined);
    this.resolve({ ok: false, error: stoppedError(this.stopInfo()), durationMs: 0 });
  }

  /** Its thread died while it ran (piscina rejected the batch). */
  crashed(err: unknown): void {
    if (this.settled) return;
    this.settle(this.startedAt ?? this.config.links.startedAt(this.id));
    const durationMs = this.elapsed();
    if (!this.stopReason && this.config.closing()) this.stopReason = "shutdown";
    if (this.stopReason) {
      this.resolve({ ok: false, error: stoppedError(this.stopInfo()), durationMs });
      return;
    }
    this.resolve({
      ok: false,
      error: crashError(this.task.step.id, err, this.config.oldGenerationMb),
      durationMs,
    });
  }

  /** A message the worker posted for this attempt; `port` is its thread's link. */
  receive(msg: WorkerMessage, port: MessagePort): void {
    if (msg.t === "done") {
      this.complete(msg.result);
      return;
    }
    this.received++;
    if (msg.t === "log") {
      try {
        this.hooks.onLog(msg.level, msg.message);
      } catch {
        // A failing log sink must not fail the step.
      }
    } else {
      this.checkpoint(msg.seq, msg.state, port);
    }
    if (this.received >= this.expected) this.drained?.();
  }

  private complete(result: WireResult): void {
    if (this.settled) return;
    this.settle(result.startedAt);
    // Log lines and checkpoints it posted before its result are normally in by now.
    if (this.received < result.sent) void this.drain(result.sent).then(() => this.conclude(result));
    else this.conclude(result);
  }

  private conclude(result: WireResult): void {
    const durationMs = this.elapsed();
    if (result.ok) this.resolve({ ok: true, output: result.output, durationMs });
    else if (this.stopReason) this.resolve({ ok: false, error: stoppedError(this.stopInfo()), durationMs });
    else this.resolve({ ok: false, error: result.error, durationMs });
  }

  private arm(ms: number): void {
    this.deadline = this.config.deadlines.add(ms, this);
  }

  /** The timeout timer fired: stop the step if it is due, else wait for the time it has left. */
  deadlinePassed(): void {
    this.deadline = undefined;
    this.startedAt ??= this.config.links.startedAt(this.id);
    if (this.startedAt === undefined) {
      this.arm(this.task.timeoutMs);
      return;
    }
    const left = this.startedAt + this.task.timeoutMs - now();
    if (left >= 1) this.arm(left);
    else this.stop("timeout");
  }

  private settle(startedAt: number | undefined): void {
    this.settled = true;
    this.startedAt = startedAt;
    if (this.deadline) this.config.deadlines.remove(this.deadline);
    this.deadline = undefined;
    clearTimeout(this.grace);
  }

  private checkpoint(seq: number, state: unknown, port: MessagePort): void {
    const id = this.id;
    Promise.resolve()
      .then(() => this.hooks.onCheckpoint(state))
      .then(
        () => port.postMessage({ t: "ack", id, seq }),
        (err: unknown) => port.postMessage({ t: "ack", id, seq, error: toErrorData(err) }),
      );
  }

  private drain(sent: number): Promise<void> {
    this.expected = sent;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, DRAIN_LIMIT_MS);
      this.drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private elapsed(): number {
    return Math.round(now() - (this.startedAt ?? this.t0));
  }

  private stopInfo() {
    return {
      step: this.task.step.id,
      reason: this.stopReason ?? "cancel",
      timeoutMs: this.task.timeoutMs,
      graceMs: this.config.graceMs,
      terminated: this.terminated,
    };
  }
}
