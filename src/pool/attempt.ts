import { MessageChannel } from "node:worker_threads";
import type { Piscina } from "piscina";
import { toErrorData } from "../errors.js";
import { crashError, type StopReason, stoppedError } from "./outcome.js";
import type { StepHooks, StepOutcome, StepTask, WireResult, WireTask, WorkerMessage } from "./types.js";

// Safety net only: messages on one port arrive in order, so the tail is normally there already.
const DRAIN_LIMIT_MS = 1000;

export interface AttemptConfig {
  graceMs: number;
  oldGenerationMb: number;
  /** True once the pool is shutting down: a thread ended then was ended by us, not a crash. */
  closing: () => boolean;
}

/**
 * Drives one task from the main thread: relays log lines and checkpoint saves, arms the
 * timeout when the worker reports it started (not at dispatch: the task may wait in the
 * queue or for a replacement thread to boot), and escalates abort → terminate after graceMs.
 */
export class Attempt {
  private readonly port = new MessageChannel();
  private readonly kill = new AbortController();
  private readonly t0 = performance.now();
  private startedAt: number | undefined;
  private stopReason: StopReason | undefined;
  private terminated = false;
  private timers: NodeJS.Timeout[] = [];
  private received = 0;
  private expected = Number.POSITIVE_INFINITY;
  private drained: (() => void) | undefined;

  constructor(
    private readonly task: StepTask,
    private readonly hooks: StepHooks,
    private readonly config: AttemptConfig,
  ) {}

  async run(piscina: Piscina<WireTask, WireResult>): Promise<StepOutcome> {
    const { port1, port2 } = this.port;
    port1.on("message", (msg: WorkerMessage) => this.receive(msg));
    try {
      const result = await piscina.run(
        { task: this.task, port: port2 },
        {
          transferList: [port2],
          signal: this.kill.signal,
        },
      );
      await this.drain(result.sent);
      const durationMs = this.elapsed();
      if (result.outcome.ok) return { ok: true, output: result.outcome.output, durationMs };
      if (this.stopReason) return { ok: false, error: stoppedError(this.stopInfo()), durationMs };
      return { ok: false, error: result.outcome.error, durationMs };
    } catch (err) {
      const durationMs = this.elapsed();
      if (!this.stopReason && this.config.closing()) this.stopReason = "shutdown";
      if (this.stopReason) return { ok: false, error: stoppedError(this.stopInfo()), durationMs };
      return {
        ok: false,
        error: crashError(this.task.step.id, err, this.config.oldGenerationMb),
        durationMs,
      };
    } finally {
      for (const timer of this.timers) clearTimeout(timer);
      port1.close();
    }
  }

  /** Aborts the step's signal; terminates its thread if it has not settled after graceMs. */
  stop(reason: StopReason): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    if (this.startedAt === undefined) {
      // Not started: piscina drops it from the queue (or ends a thread still booting for it).
      this.kill.abort();
      return;
    }
    this.port.port1.postMessage({ t: "abort", reason: reason === "timeout" ? "timeout" : "cancel" });
    this.timers.push(
      setTimeout(() => {
        this.terminated = true;
        this.kill.abort();
      }, this.config.graceMs),
    );
  }

  private receive(msg: WorkerMessage): void {
    this.received++;
    switch (msg.t) {
      case "start":
        this.started();
        break;
      case "log":
        try {
          this.hooks.onLog(msg.level, msg.message);
        } catch {
          // A failing log sink must not fail the step.
        }
        break;
      case "save":
        this.checkpoint(msg.id, msg.state);
        break;
    }
    if (this.received >= this.expected) this.drained?.();
  }

  private started(): void {
    this.startedAt = performance.now();
    if (this.task.timeoutMs > 0 && Number.isFinite(this.task.timeoutMs)) {
      this.timers.push(setTimeout(() => this.stop("timeout"), this.task.timeoutMs));
    }
  }

  private checkpoint(id: number, state: unknown): void {
    const { port1 } = this.port;
    Promise.resolve()
      .then(() => this.hooks.onCheckpoint(state))
      .then(
        () => port1.postMessage({ t: "ack", id }),
        (err: unknown) => port1.postMessage({ t: "ack", id, error: toErrorData(err) }),
      );
  }

  private drain(sent: number): Promise<void> {
    if (this.received >= sent) return Promise.resolve();
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
    return Math.round(performance.now() - (this.startedAt ?? this.t0));
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
