import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { distPath } from "../paths.js";
import { Attempt, type AttemptConfig } from "./attempt.js";
import { stoppedError } from "./outcome.js";
import { ThreadLinks } from "./threads.js";
import type {
  StepHooks,
  StepOutcome,
  StepPoolOptions,
  StepTask,
  StopSignal,
  WireResult,
  WireTask,
} from "./types.js";

const DEFAULT_GRACE_MS = 2000;
const DEFAULT_OLD_GENERATION_MB = 256;

/**
 * A fixed set of worker threads, one step attempt per thread at a time. `run` never rejects:
 * every failure (step error, timeout, cancel, crash, OOM, bad module) is a StepOutcome.
 */
export class StepPool {
  private readonly piscina: Piscina<WireTask, WireResult>;
  private readonly graceMs: number;
  private readonly oldGenerationMb: number;
  private readonly links: ThreadLinks;
  private readonly config: AttemptConfig;
  /** Attempts by id, from dispatch until their last message is in: messages are routed here. */
  private readonly attempts = new Map<number, { attempt: Attempt; outcome: Promise<StepOutcome> }>();
  private lastId = 0;
  private closing = false;

  constructor(opts: StepPoolOptions = {}) {
    const size = Math.max(1, Math.floor(opts.size ?? availableParallelism()));
    this.graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
    const limits = { maxOldGenerationSizeMb: DEFAULT_OLD_GENERATION_MB, ...opts.resourceLimits };
    this.oldGenerationMb = limits.maxOldGenerationSizeMb;
    this.piscina = new Piscina<WireTask, WireResult>({
      filename: pathToFileURL(distPath("src", "pool", "worker.js")).href,
      minThreads: size,
      maxThreads: size,
      idleTimeout: Number.POSITIVE_INFINITY,
      resourceLimits: limits,
    });
    // Without a listener a stray worker error (no task attached) would crash the process.
    this.piscina.on("error", (err: Error) => opts.onWorkerError?.(err));
    this.links = new ThreadLinks(this.piscina, (msg, port) =>
      this.attempts.get(msg.id)?.attempt.receive(msg, port),
    );
    this.config = {
      graceMs: this.graceMs,
      oldGenerationMb: this.oldGenerationMb,
      links: this.links,
      closing: () => this.closing,
    };
  }

  get size(): number {
    return this.piscina.maxThreads;
  }

  async run(task: StepTask, hooks: StepHooks, signal?: StopSignal): Promise<StepOutcome> {
    if (this.closing || signal?.aborted) {
      const stop = {
        step: task.step.id,
        reason: this.closing ? ("shutdown" as const) : ("cancel" as const),
        timeoutMs: task.timeoutMs,
        graceMs: this.graceMs,
        terminated: false,
      };
      return { ok: false, error: stoppedError(stop), durationMs: 0 };
    }
    // Ids tag messages on the shared thread links; Int32 so the start clock can hold them.
    this.lastId = this.lastId >= 0x7fffffff ? 1 : this.lastId + 1;
    const id = this.lastId;
    const attempt = new Attempt(id, task, hooks, this.config);
    const onAbort = signal ? () => attempt.stop("cancel") : undefined;
    if (onAbort) signal?.addEventListener("abort", onAbort, { once: true });
    const outcome = attempt.run(this.piscina);
    this.attempts.set(id, { attempt, outcome });
    try {
      return await outcome;
    } finally {
      this.attempts.delete(id);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Graceful: refuses new tasks, lets queued and running ones finish (piscina's close
   * timeout, 30 s, bounds the wait), then ends the threads.
   */
  async close(): Promise<void> {
    this.closing = true;
    await this.piscina.close();
    this.links.close();
  }

  /**
   * Prompt: aborts every running step's signal (outcome WEFT_POOL_CLOSED, retryable), gives
   * them graceMs to clean up (a shell step kills its process group), then terminates the threads.
   */
  async destroy(): Promise<void> {
    this.closing = true;
    const settled = [...this.attempts.values()].map(({ attempt, outcome }) => {
      attempt.stop("shutdown");
      return outcome;
    });
    await Promise.allSettled(settled);
    await this.piscina.destroy();
    this.links.close();
  }
}
