import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { distPath } from "../paths.js";
import { Attempt, type AttemptConfig } from "./attempt.js";
import { Batch } from "./batch.js";
import { now } from "./clock.js";
import { Deadlines } from "./deadlines.js";
import { stoppedError } from "./outcome.js";
import { ThreadLinks } from "./threads.js";
import type { StepHooks, StepOutcome, StepPoolOptions, StepTask, StopSignal, WireBatch } from "./types.js";

const DEFAULT_GRACE_MS = 2000;
const DEFAULT_OLD_GENERATION_MB = 256;
/** Most attempts handed to a thread at once. */
const MAX_BATCH = 32;
/** Most attempts appended to one lingering batch before it is let go (bounds what it holds). */
const MAX_APPENDED = 256;
/**
 * Spin-then-park, for steps that come one after another (a chain): a thread that ran out of
 * work while it is the only busy one waits this long, spinning, for the next step; and the main
 * thread polls this long for the result of the only step in flight. Both save a wake-up that
 * costs 80-100 µs on a VM, at the price of at most this much CPU when nothing comes.
 */
const DEFAULT_LINGER_MS = 1;
const DEFAULT_SPIN_MS = 0.3;
/**
 * A thread with nothing to do takes back the waiting items of a batch whose current step has
 * run this long: a slow step never holds up the quick ones queued behind it for longer.
 */
const STEAL_AFTER_MS = 2;

/**
 * A fixed set of worker threads, one step attempt per thread at a time. `run` never rejects:
 * every failure (step error, timeout, cancel, crash, OOM, bad module) is a StepOutcome.
 *
 * Attempts wait in the pool's own queue; a free thread gets a batch of them (its share of the
 * queue, at most MAX_BATCH) and runs them one after another, reporting each result as it ends.
 * A crash or a terminated thread fails only the attempt that was running; the batch's items
 * that had not started go back to the queue.
 */
export class StepPool {
  private readonly piscina: Piscina<WireBatch, number>;
  private readonly graceMs: number;
  private readonly threads: number;
  private readonly links: ThreadLinks;
  private readonly config: AttemptConfig;
  /** Attempts by id, from `run` until their outcome: worker messages are routed here. */
  private readonly attempts = new Map<number, Attempt>();
  private queue: Attempt[] = [];
  private readonly batches = new Set<Batch>();
  private stealTimer: NodeJS.Timeout | undefined;
  private pumpScheduled = false;
  /** Batches that may linger for appended steps (see appendToLingering). */
  private lingering = 0;
  private lastId = 0;
  private lastBatch = 0;
  private readonly lingerMs: number;
  private readonly spinMs: number;
  private closing = false;
  private destroying = false;

  constructor(opts: StepPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(opts.size ?? availableParallelism()));
    this.graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
    this.lingerMs = opts.lingerMs ?? DEFAULT_LINGER_MS;
    this.spinMs = opts.spinMs ?? DEFAULT_SPIN_MS;
    const limits = { maxOldGenerationSizeMb: DEFAULT_OLD_GENERATION_MB, ...opts.resourceLimits };
    this.piscina = new Piscina<WireBatch, number>({
      filename: pathToFileURL(distPath("src", "pool", "worker.js")).href,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      resourceLimits: limits,
    });
    // Without a listener a stray worker error (no task attached) would crash the process.
    this.piscina.on("error", (err: Error) => opts.onWorkerError?.(err));
    this.links = new ThreadLinks(this.piscina, (msg, port) => this.attempts.get(msg.id)?.receive(msg, port));
    this.config = {
      graceMs: this.graceMs,
      oldGenerationMb: limits.maxOldGenerationSizeMb,
      links: this.links,
      closing: () => this.closing,
      stop: (attempt) => this.stopAttempt(attempt),
      deadlines: new Deadlines(),
    };
  }

  get size(): number {
    return this.threads;
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
    this.lastId = this.lastId >= 0x7fffffff - 1 ? 1 : this.lastId + 1;
    const attempt = new Attempt(this.lastId, task, hooks, this.config);
    const onAbort = signal ? () => attempt.stop("cancel") : undefined;
    if (onAbort) signal?.addEventListener("abort", onAbort, { once: true });
    this.attempts.set(attempt.id, attempt);
    this.queue.push(attempt);
    if (this.attempts.size === 1) {
      // A lone step (a chain): hand it over now and wait for it briefly.
      this.pump();
      if (this.spinMs > 0) this.spinFor(attempt);
    } else this.schedulePump();
    try {
      return await attempt.outcome;
    } finally {
      this.attempts.delete(attempt.id);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Graceful: refuses new tasks, lets queued and running ones finish (piscina's close
   * timeout, 30 s, bounds the wait for the threads), then ends the threads.
   */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.attempts.values()].map((a) => a.outcome));
    await this.piscina.close();
    this.links.close();
  }

  /**
   * Prompt: stops every attempt (outcome WEFT_POOL_CLOSED, retryable): waiting ones at once,
   * running ones by aborting their signal, with graceMs to clean up (a shell step kills its
   * process group) before their threads are terminated.
   */
  async destroy(): Promise<void> {
    this.closing = true;
    this.destroying = true;
    clearTimeout(this.stealTimer);
    const all = [...this.attempts.values()];
    for (const a of all) a.stop("shutdown");
    await Promise.allSettled(all.map((a) => a.outcome));
    await this.piscina.destroy();
    this.links.close();
  }

  /**
   * Pumps once the caller's synchronous code is done: the engine hands in a commit's worth of
   * claimed steps in one go, and a thread woken for each would get one step per wake-up (a
   * wake-up costs tens to hundreds of microseconds on a VM).
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(this.pumpLater);
  }

  private readonly pumpLater = (): void => {
    this.pumpScheduled = false;
    this.pump();
  };

  /** Hands free threads their share of the queue. */
  private pump(): void {
    if (this.destroying) return;
    // A thread lingering after its last step takes the next one at once: no wake-ups.
    if (this.lingering > 0)
      while (this.queue.length > 0 && this.appendToLingering(this.queue[0] as Attempt)) this.queue.shift();
    while (this.queue.length > 0 && this.batches.size < this.threads) {
      const free = this.threads - this.batches.size;
      const n = Math.min(MAX_BATCH, Math.ceil(this.queue.length / free));
      const items = this.queue.splice(0, n);
      // Only a lone step that is all the pool's work lingers: that is how a chain looks. A
      // spinning thread in a busy pool would take CPU from the main thread.
      const alone = this.batches.size === 0 && this.queue.length === 0 && items.length === 1;
      this.dispatch(new Batch(++this.lastBatch, items, alone ? this.lingerMs : 0));
    }
    if (this.queue.length === 0) this.steal();
  }

  /** Appends to a batch whose thread has run all its items and may still be lingering. */
  private appendToLingering(attempt: Attempt): boolean {
    for (const b of this.batches) {
      if (!b.open || b.waiting > 0 || b.items.length >= MAX_APPENDED || !b.current?.settled) continue;
      const port = b.thread ? this.links.portOfThread(b.thread) : undefined;
      if (port && b.append(attempt, port)) return true;
    }
    return false;
  }

  /** Polls briefly for the only step in flight (see DEFAULT_SPIN_MS). */
  private spinFor(attempt: Attempt): void {
    const end = performance.now() + this.spinMs;
    while (!attempt.settled && performance.now() < end) if (this.links.posted()) this.links.drain();
  }

  private dispatch(batch: Batch): void {
    this.batches.add(batch);
    if (batch.lingerMs > 0) this.lingering++;
    this.piscina.run(batch.wire, { signal: batch.kill }).then(
      () => this.ended(batch, undefined),
      (err: unknown) => this.ended(batch, err ?? new Error("worker failed")),
    );
  }

  /** piscina is done with a batch: it ran to its end, or its thread died (or was ended). */
  private ended(batch: Batch, err: unknown): void {
    this.batches.delete(batch);
    if (batch.lingerMs > 0) this.lingering--;
    const back = batch.revoke();
    // Every result the thread posted is on its link already; take them before judging.
    this.links.drain();
    // Items past `started` were never run by this batch (taken back now or earlier).
    for (const a of batch.items.slice(0, batch.started)) {
      if (a.settled) continue;
      // Started and no result: it was running when the thread died. (After a clean end
      // every started item has its result, so this is a crash or a terminated thread.)
      a.crashed(err ?? new Error("the worker ended the batch without this step's result"));
    }
    this.requeue(back);
    this.pump();
  }

  /** Items taken back from a batch: to the front of the queue, or stopped if asked to. */
  private requeue(items: Attempt[]): void {
    const again = items.filter((a) => {
      if (!a.stopReason) return true;
      a.finishUnstarted();
      return false;
    });
    if (again.length > 0) this.queue = again.concat(this.queue);
  }

  private stopAttempt(attempt: Attempt): void {
    const queued = this.queue.indexOf(attempt);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      attempt.finishUnstarted();
      return;
    }
    const batch = attempt.batch;
    if (!batch) return;
    const index = batch.items.indexOf(attempt);
    const started = batch.started;
    // Finished already: its result is on its way.
    if (index < started - 1) return;
    if (index >= started) {
      // Not started yet: take the batch's waiting items back, this one included, unless the
      // thread started it in the meantime.
      const back = batch.revoke();
      this.requeue(back);
      this.pump();
      if (back.includes(attempt)) return;
    }
    attempt.signalStop();
  }

  /**
   * A free thread and an empty queue: take the waiting items of a batch stuck behind a slow
   * step (see STEAL_AFTER_MS); if none is stuck yet, look again when the first could be.
   */
  private steal(): void {
    if (this.batches.size >= this.threads || this.destroying) return;
    const t = now();
    let victim: Batch | undefined;
    let soonest = Number.POSITIVE_INFINITY;
    for (const b of this.batches) {
      if (b.waiting === 0) continue;
      // Only a batch whose thread is on a step: one not started yet is waiting for a thread
      // (booting, or being replaced), which a steal would not make come sooner.
      const current = b.current;
      const since = current && !current.settled ? this.links.startedAt(current.id) : undefined;
      const busy = since === undefined ? 0 : t - since;
      if (busy >= STEAL_AFTER_MS) {
        if (!victim || b.waiting > victim.waiting) victim = b;
      } else {
        soonest = Math.min(soonest, STEAL_AFTER_MS - busy);
      }
    }
    if (victim) {
      this.requeue(victim.revoke());
      this.pump();
      return;
    }
    if (soonest !== Number.POSITIVE_INFINITY && !this.stealTimer) {
      this.stealTimer = setTimeout(
        () => {
          this.stealTimer = undefined;
          if (this.queue.length === 0) this.steal();
        },
        Math.max(1, Math.ceil(soonest)),
      );
      this.stealTimer.unref();
    }
  }
}
