/**
 * How runs end: a run with no open step left gets its final status (or its onFailure steps)
 * recorded, and whoever waits for it is told. A store that refuses the write (locked, full)
 * leaves the run on the list; the next commit tries again.
 */
import {
  type RunProgress,
  type RunRecord,
  type Store,
  TERMINAL_STEP,
  type VersionRecord,
} from "../store/types.js";
import { runNotFound } from "./errors.js";
import { finishingOps } from "./finish-run.js";

export interface RunEndsDeps {
  store: Store;
  version(id: number): Promise<VersionRecord>;
  /** A run reached its final status (forget its caches, report it). */
  ended(run: RunRecord): void;
  /** The commit that ended a run may have readied onFailure steps. */
  scheduleFlush(): void;
  /** The store refused a write: remember the error and try again shortly. */
  storeRefused(err: Error): void;
}

export function isFinal(status: string): boolean {
  return status === "succeeded" || status === "failed" || status === "cancelled";
}

export class RunEnds {
  private readonly waiters = new Map<string, Array<(run: RunRecord) => void>>();
  private readonly finalizing = new Set<string>();
  /** Runs with no open step left whose final status is not recorded yet. */
  private readonly pending = new Set<string>();

  constructor(private readonly deps: RunEndsDeps) {}

  /** Resolves once the run is succeeded, failed or cancelled. */
  waitFor(runId: string): Promise<RunRecord> {
    return new Promise((resolve, reject) => {
      this.deps.store.getRun(runId).then((run) => {
        if (!run) return reject(runNotFound({ id: runId }));
        if (isFinal(run.status)) return resolve(run);
        const list = this.waiters.get(runId) ?? [];
        list.push(resolve);
        this.waiters.set(runId, list);
      }, reject);
    });
  }

  /** Runs someone waits for (the heartbeat looks whether another process ended them). */
  waited(): Iterable<string> {
    return this.waiters.keys();
  }

  isWaited(runId: string): boolean {
    return this.waiters.has(runId);
  }

  /** After a commit: runs left with no open step are finalised (and earlier failures retried). */
  afterCommit(progress: RunProgress[]): void {
    for (const p of progress) if (p.open === 0) this.pending.add(p.runId);
    for (const runId of this.pending) this.tryFinalize(runId);
  }

  /** The run has its final status: tell whoever waits for it. */
  async finished(runId: string): Promise<void> {
    const run = await this.deps.store.getRun(runId);
    if (!run) return;
    this.deps.ended(run);
    const list = this.waiters.get(runId);
    this.waiters.delete(runId);
    for (const resolve of list ?? []) resolve(run);
  }

  private tryFinalize(runId: string): void {
    if (this.finalizing.has(runId)) return;
    this.finalize(runId).then(
      () => this.pending.delete(runId),
      (err: unknown) => {
        this.pending.add(runId);
        this.deps.storeRefused(err as Error);
      },
    );
  }

  private async finalize(runId: string): Promise<void> {
    if (this.finalizing.has(runId)) return;
    this.finalizing.add(runId);
    try {
      const run = await this.deps.store.getRun(runId);
      if (run?.status !== "running") return;
      const version = await this.deps.version(run.versionId);
      const rows = await this.deps.store.decidingSteps(runId);
      if (rows.some((r) => !TERMINAL_STEP.has(r.status))) return;
      const ops = finishingOps(run, version.plan, rows);
      const res = await this.deps.store.commit(ops);
      if (ops[0]?.type === "runStatus" && res.applied[0]) await this.finished(runId);
      this.deps.scheduleFlush();
    } finally {
      this.finalizing.delete(runId);
    }
  }
}
