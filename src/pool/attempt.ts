import type { MessagePort } from "node:worker_threads";
import type { Piscina } from "piscina";
import { toErrorData } from "../errors.js";
import { now } from "./clock.js";
import { KillSwitch } from "./kill-switch.js";
import { crashError, type StopReason, stoppedError } from "./outcome.js";
import type { ThreadLinks } from "./threads.js";
import type { StepHooks, StepOutcome, StepTask, WireResult, WireTask, WorkerMessage } from "./types.js";

// Safety net only: a task's messages are posted before its result, so the tail is normally in.
const DRAIN_LIMIT_MS = 1000;
// setTimeout fires at once for delays past this (2^31 - 1 ms); longer waits re-arm.
const MAX_TIMER_MS = 2_147_483_647;

function onDeadline(attempt: Attempt): void {
  attempt.deadlinePassed();
}

export interface AttemptConfig {
  graceMs: number;
  oldGenerationMb: number;
  links: ThreadLinks;
  /** True once the pool is shutting down: a thread ended then was ended by us, not a crash. */
  closing: () => boolean;
}

/**
 * Drives one task from the main thread: relays log lines and checkpoint saves, enforces the
 * timeout from when the step started (not from dispatch: the task may wait in the queue or
 * for a replacement thread to boot), and escalates abort → terminate after graceMs.
 *
 * The timer is armed at dispatch for the full timeout. When it fires it reads the thread's
 * start clock: a step that started later gets the timer re-armed for the time it has left,
 * one still queued gets another full timeout (it cannot be due before then).
 */
export class Attempt {
  private readonly kill = new KillSwitch();
  private readonly t0 = now();
  private startedAt: number | undefined;
  private stopReason: StopReason | undefined;
  private terminated = false;
  /** True once piscina returned: the step is over, whatever the tail of its messages does. */
  private settled = false;
  private deadline: NodeJS.Timeout | undefined;
  private grace: NodeJS.Timeout | undefined;
  private received = 0;
  private expected = Number.POSITIVE_INFINITY;
  private drained: (() => void) | undefined;

  constructor(
    readonly id: number,
    private readonly task: StepTask,
    private readonly hooks: StepHooks,
    private readonly config: AttemptConfig,
  ) {}

  async run(piscina: Piscina<WireTask, WireResult>): Promise<StepOutcome> {
    const { timeoutMs } = this.task;
    if (timeoutMs > 0 && Number.isFinite(timeoutMs)) this.arm(timeoutMs);
    let result: WireResult;
    try {
      result = await piscina.run({ id: this.id, task: this.task }, { signal: this.kill });
    } catch (err) {
      this.settle(this.startedAt ?? this.config.links.startedAt(this.id));
      const durationMs = this.elapsed();
      if (!this.stopReason && this.config.closing()) this.stopReason = "shutdown";
      if (this.stopReason) return { ok: false, error: stoppedError(this.stopInfo()), durationMs };
      return {
        ok: false,
        error: crashError(this.task.step.id, err, this.config.oldGenerationMb),
        durationMs,
      };
    }
    this.settle(result.startedAt);
    if (this.received < result.sent) await this.drain(result.sent);
    const durationMs = this.elapsed();
    if (result.ok) return { ok: true, output: result.output, durationMs };
    if (this.stopReason) return { ok: false, error: stoppedError(this.stopInfo()), durationMs };
    return { ok: false, error: result.error, durationMs };
  }

  /** Aborts the step's signal; terminates its thread if it has not settled after graceMs. */
  stop(reason: StopReason): void {
    if (this.settled || this.stopReason) return;
    this.stopReason = reason;
    const port = this.config.links.portOf(this.id);
    if (!port) {
      // Not started: piscina drops it from the queue (or ends a thread just handed it).
      this.kill.abort();
      return;
    }
    port.postMessage({ t: "abort", id: this.id, reason: reason === "timeout" ? "timeout" : "cancel" });
    this.grace = setTimeout(() => {
      this.terminated = true;
      this.kill.abort();
    }, this.config.graceMs);
  }

  /** A message the worker posted for this task; `port` is its thread's link. */
  receive(msg: WorkerMessage, port: MessagePort): void {
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

  private arm(ms: number): void {
    // A shared callback with `this` as its argument: no closure per attempt.
    this.deadline = setTimeout(onDeadline, Math.min(Math.max(1, Math.ceil(ms)), MAX_TIMER_MS), this);
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
    clearTimeout(this.deadline);
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
