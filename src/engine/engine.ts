/**
 * The engine: claims ready steps from the store, decides what each one does (skip, fan out,
 * collect, run on the pool), and records every outcome. State changes that arrive together
 * share one store commit (group commit), and each commit also claims the next ready steps,
 * so finishing a step, readying its dependents and claiming them is one transaction.
 */
import type { CompiledWorkflow } from "../compile/types.js";
import { toErrorData, type WeftErrorData } from "../errors.js";
import { createRedactor, type Redactor } from "../observe/redact.js";
import type { StepTypeLookup } from "../plugin/registry.js";
import type {
  ClaimedStep,
  NewRun,
  Op,
  RunRecord,
  StepRecord,
  Store,
  TriggerInfo,
  VersionRecord,
} from "../store/types.js";
import { runNotFound } from "./errors.js";
import { newRunId } from "./ids.js";
import { completeInputs } from "./inputs.js";
import { newOwnerId, ownerGone } from "./leases.js";
import type { EngineOptions } from "./options.js";
import { initialRows, type ResumePlan } from "./plan-rows.js";
import { type PlannedResume, planRunResume, type ResumeDeps, recoverRuns } from "./resume.js";
import type { ResumeOptions, ResumeVersion } from "./resume-version.js";
import { isFinal, RunEnds } from "./run-ends.js";
import { renderRunKeys } from "./run-keys.js";
import { ResultCache } from "./scope.js";
import { envSecrets, type SecretProvider } from "./secrets.js";
import { type StartOp, StartRecords } from "./start-records.js";
import { StepWork, type WorkResult } from "./step-work.js";
import { Stopper } from "./stopper.js";

export type { EngineOptions } from "./options.js";
export type { ResumeOptions, ResumeVersion } from "./resume-version.js";

import type { StepEvent, StepLogEvent } from "./types.js";

interface Pending {
  op: Op;
  after?: (applied: boolean) => void;
}

export class Engine {
  readonly store: Store;
  readonly owner: string;
  private readonly opts: EngineOptions;
  private readonly leaseMs: number;
  private readonly maxInFlight: number;
  private readonly pollMs: number;
  private readonly batchWindowMs: number;
  private readonly batchThreshold: number;
  private readonly maxBatch: number;
  readonly now: () => number;
  readonly secrets: SecretProvider;
  readonly redactor: Redactor;
  readonly results = new ResultCache();
  private readonly plans = new Map<number, VersionRecord>();
  private readonly runCache = new Map<string, RunRecord>();
  private readonly work: StepWork;
  private readonly resumeDeps: ResumeDeps;
  private readonly ends: RunEnds;

  private queue: Pending[] = [];
  private readonly starts = new StartRecords();
  private flushScheduled = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing = false;
  private inFlight = 0;
  private started = false;
  private stopping = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private readonly controllers = new Map<number, { runId: string; abort: Stopper; release: boolean }>();
  private drained: (() => void) | undefined;
  private fatal: Error | undefined;

  constructor(opts: EngineOptions) {
    this.opts = opts;
    this.store = opts.store;
    this.owner = opts.owner ?? newOwnerId();
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.maxInFlight = opts.maxInFlight ?? Math.max(8, opts.pool.size * 64);
    this.pollMs = opts.pollMs ?? 200;
    this.batchWindowMs = opts.batchWindowMs ?? 1;
    this.batchThreshold = opts.pool.size * 2;
    this.maxBatch = 256;
    this.now = opts.now ?? Date.now;
    this.secrets = opts.secrets ?? envSecrets();
    this.redactor = createRedactor(this.secrets.values());
    this.work = new StepWork(this, opts.pool, opts.random ?? Math.random);
    this.ends = new RunEnds({
      store: this.store,
      version: (id) => this.version(id),
      ended: (run) => {
        this.runCache.delete(run.id);
        this.results.forget(run.id);
        this.opts.onRun?.({ runId: run.id, workflow: run.workflow, status: run.status, error: run.error });
      },
      scheduleFlush: () => this.scheduleFlush(),
      storeRefused: (err) => {
        this.fatal = err;
        this.schedulePoll(Math.min(1000, this.pollMs * 5));
      },
    });
    this.resumeDeps = {
      store: this.store,
      version: (id) => this.version(id),
      remember: (v) => this.plans.set(v.id, v),
      ownerGone: (row) => this.ownerGone(row),
    };
  }

  /** Synchronous when the engine has one set of types (`weft run`): no await per step. */
  typesOf(version: VersionRecord): StepTypeLookup | Promise<StepTypeLookup> {
    return this.opts.typesFor ? this.opts.typesFor(version) : this.opts.types;
  }

  workspaceOf(version: VersionRecord): string {
    return this.opts.workspaceFor?.(version) ?? this.opts.workspace;
  }

  // ---- runs -------------------------------------------------------------------------------

  async deploy(plan: CompiledWorkflow, source: string, commit?: string): Promise<VersionRecord> {
    const v = await this.store.saveVersion({ workflow: plan.name, hash: plan.hash, plan, source, commit });
    this.plans.set(v.id, v);
    return v;
  }

  async version(id: number): Promise<VersionRecord> {
    let v = this.plans.get(id);
    if (!v) {
      v = await this.store.getVersion(id);
      if (!v) throw new Error(`workflow version ${id} is missing from the store`);
      this.plans.set(id, v);
    }
    return v;
  }

  /** The run and its version when both are cached: the common case, read without awaiting. */
  cached(runId: string): { run: RunRecord; version: VersionRecord } | undefined {
    const run = this.runCache.get(runId);
    const version = run && this.plans.get(run.versionId);
    return version && { run: run!, version };
  }

  async run(id: string): Promise<RunRecord> {
    let r = this.runCache.get(id);
    if (!r) {
      r = await this.store.getRun(id);
      if (!r) throw runNotFound({ id });
      this.runCache.set(id, r);
    }
    return r;
  }

  /**
   * Records a new run (or returns the existing one for a used idempotency key). Inputs are
   * checked against the declared ones and defaults applied (WEFT_RUN_INPUT_* errors).
   */
  async startRun(req: {
    version: VersionRecord;
    inputs: Record<string, unknown>;
    trigger: TriggerInfo;
    idempotencyKey?: string;
  }): Promise<{ run: RunRecord; created: boolean }> {
    const plan = req.version.plan;
    const inputs = completeInputs(plan.name, plan.inputs, req.inputs);
    const keys = renderRunKeys(plan, inputs, req.trigger, this.secrets);
    const idempotencyKey = req.idempotencyKey ?? keys.idempotencyKey;
    const newRun: NewRun = {
      id: newRunId(),
      workflow: plan.name,
      versionId: req.version.id,
      status: "running",
      inputs,
      trigger: this.redactor.redactValue(req.trigger),
      steps: initialRows(plan),
    };
    if (idempotencyKey !== undefined) newRun.idempotencyKey = idempotencyKey;
    if (plan.concurrency) {
      newRun.concurrencyKey = keys.concurrencyKey ?? "";
      newRun.concurrency = { limit: plan.concurrency.limit, onLimit: plan.concurrency.onLimit };
    }
    const res = await this.store.createRun(newRun);
    if (res.created) {
      this.opts.onRun?.({
        runId: res.run.id,
        workflow: plan.name,
        status: res.run.status,
        error: res.run.error,
      });
      this.scheduleFlush();
    }
    return res;
  }

  /** Resolves once the run is succeeded, failed or cancelled. */
  waitForRun(runId: string): Promise<RunRecord> {
    return this.ends.waitFor(runId);
  }

  async cancelRun(runId: string, reason = "cancelled by request"): Promise<boolean> {
    await this.run(runId);
    const error: WeftErrorData = { code: "WEFT_RUN_CANCELLED", name: "WeftError", message: reason };
    const applied = await this.commitNow([
      { type: "runStatus", runId, status: "cancelled", error, from: ["queued", "running"] },
    ]);
    if (applied) {
      this.abortRun(runId);
      await this.ends.finished(runId);
    }
    return applied;
  }

  /**
   * What `weft resume` would do, without doing it. `version: "active"` plans against the
   * workflow's active version instead of the one the run is pinned to.
   */
  planResume(runId: string, from?: string, opts: ResumeOptions = {}): Promise<PlannedResume> {
    return planRunResume(this.resumeDeps, runId, from, opts);
  }

  async resumeRun(
    runId: string,
    from?: string,
    opts: ResumeOptions = {},
  ): Promise<ResumePlan & { version: ResumeVersion }> {
    const p = await this.planResume(runId, from, opts);
    const repin = p.version.versionId !== p.run.versionId ? { versionId: p.version.versionId } : {};
    await this.store.resetRun(runId, p.reset, p.deleteRows, repin);
    this.runCache.delete(runId);
    this.results.forget(runId);
    this.opts.onRun?.({ runId, workflow: p.run.workflow, status: "running" });
    this.scheduleFlush();
    return p;
  }

  /**
   * At start-up: steps left running by a process of this host that has died are released at
   * once (see recoverRuns); the normal claim loop then resumes their runs.
   */
  async recover(): Promise<string[]> {
    const recovered = await recoverRuns(this.resumeDeps);
    if (recovered.length > 0) this.scheduleFlush();
    return recovered;
  }

  private ownerGone(row: StepRecord): boolean {
    return ownerGone(row, this.now(), this.owner);
  }

  // ---- the loop ---------------------------------------------------------------------------

  start(): void {
    if (this.started) return;
    this.started = true;
    this.leaseTimer = setInterval(() => void this.heartbeat(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.leaseTimer.unref();
    this.scheduleFlush();
  }

  /** Stop claiming; let running steps finish within `graceMs`, then release the rest. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    if (this.inFlight > 0) {
      const drained = new Promise<void>((resolve) => {
        this.drained = resolve;
      });
      const timer = setTimeout(() => {
        for (const c of this.controllers.values()) {
          c.release = true;
          c.abort.abort();
        }
      }, graceMs);
      await drained;
      clearTimeout(timer);
    }
    await this.flushAll();
  }

  /** A step's start record, committed with the next commit that needs it (see StartRecords). */
  deferStart(op: StartOp): void {
    this.starts.add(op);
    if (!this.pollTimer) this.schedulePoll(this.pollMs);
  }

  push(op: Op, after?: (applied: boolean) => void): void {
    this.queue.push(after ? { op, after } : { op });
    this.scheduleFlush();
  }

  scheduleFlush(): void {
    if (!this.started) return;
    if (this.flushScheduled) {
      // A commit waiting for more results goes at once when enough are in.
      if (this.flushTimer && !this.worthWaiting()) {
        clearTimeout(this.flushTimer);
        this.flushTimer = undefined;
        setImmediate(this.runFlush);
      }
      return;
    }
    this.flushScheduled = true;
    if (this.worthWaiting()) this.flushTimer = setTimeout(this.runFlush, this.batchWindowMs);
    else setImmediate(this.runFlush);
  }

  private readonly runFlush = (): void => {
    this.flushScheduled = false;
    this.flushTimer = undefined;
    void this.flush();
  };

  /**
   * Group commit: while many steps are still running, more results are about to arrive, so a
   * commit waits up to batchWindowMs (without blocking the loop, which keeps feeding the
   * pool) to take them together. It goes at once when little is in flight (a chain: latency
   * matters there), or when as many results are in as steps still run: committing those now
   * claims the next steps while the rest finish, so the threads never run dry.
   */
  private worthWaiting(): boolean {
    const waiting = this.queue.length;
    return this.inFlight >= this.batchThreshold && waiting < this.maxBatch && waiting < this.inFlight;
  }

  private async flushAll(): Promise<void> {
    while (this.flushing || this.queue.length > 0 || this.starts.size > 0) {
      if (this.flushing) await new Promise((r) => setTimeout(r, 1));
      else await this.flush();
    }
  }

  private async commitNow(ops: Op[]): Promise<boolean> {
    const res = await this.store.commit(ops);
    return res.applied.every(Boolean);
  }

  private async flush(): Promise<void> {
    if (this.flushing) {
      this.flushScheduled = false;
      setImmediate(() => this.scheduleFlush());
      return;
    }
    this.flushing = true;
    const batch = this.starts
      .takeDue(this.stopping)
      .map((op): Pending => ({ op }))
      .concat(this.queue);
    this.queue = [];
    const room = this.stopping ? 0 : this.maxInFlight - this.inFlight;
    const onlyRuns = this.opts.onlyRuns;
    const claim =
      room > 0 && !(onlyRuns && onlyRuns.size === 0)
        ? {
            owner: this.owner,
            leaseMs: this.leaseMs,
            limit: room,
            ...(onlyRuns ? { runIds: [...onlyRuns] } : {}),
          }
        : undefined;
    let claimedAll = false;
    try {
      const res = await this.store.commit(
        batch.map((p) => p.op),
        claim,
      );
      for (let i = 0; i < batch.length; i++) batch[i]!.after?.(res.applied[i] ?? false);
      this.inFlight += res.claimed.length;
      claimedAll = claim !== undefined && res.claimed.length === claim.limit;
      for (const step of res.claimed) void this.process(step);
      this.ends.afterCommit(res.progress);
    } catch (err) {
      // The store refused the batch (disk full, database locked past the busy timeout…).
      // Nothing of it was applied; put it back and try again shortly.
      this.queue = batch.concat(this.queue);
      this.fatal = err as Error;
      this.flushing = false;
      this.schedulePoll(Math.min(1000, this.pollMs * 5));
      return;
    }
    this.flushing = false;
    this.fatal = undefined;
    if (this.queue.length > 0 || claimedAll) this.scheduleFlush();
    else this.schedulePoll(this.pollMs);
    if (this.inFlight === 0 && this.queue.length === 0) this.drained?.();
  }

  /** The last store error, if the store is currently refusing writes. */
  get storeError(): Error | undefined {
    return this.fatal;
  }

  private schedulePoll(ms: number): void {
    if (this.stopping) return;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      this.scheduleFlush();
    }, ms);
  }

  private async process(step: ClaimedStep): Promise<void> {
    let result: WorkResult;
    const abort = new Stopper();
    this.controllers.set(step.rowId, { runId: step.runId, abort, release: false });
    try {
      result = await this.work.handle(step, abort);
    } catch (err) {
      result = { ops: [this.work.internalFailure(step, toErrorData(err))] };
    }
    const control = this.controllers.get(step.rowId);
    this.controllers.delete(step.rowId);
    if (control?.release && result.outcome && !result.outcome.ok) {
      result = { ops: [{ type: "release", rowId: step.rowId, epoch: step.epoch }] };
    }
    // The start record must land with (or before) the outcome: a retry or release moves the row
    // on, after which a late start would be fenced off and the attempt never recorded.
    const start = this.starts.settle(step.rowId, result.ops, this.owner);
    if (start) this.push(start);
    const last = result.ops.length - 1;
    for (let i = 0; i <= last; i++) this.push(result.ops[i]!, i === last ? result.after : undefined);
    this.inFlight--;
    if (this.inFlight === 0 && this.queue.length === 0) this.drained?.();
    this.scheduleFlush();
  }

  emitStep(e: StepEvent): void {
    this.opts.onStep?.(e);
  }

  emitLog(e: StepLogEvent): void {
    this.opts.onLog?.(e);
  }

  private abortRun(runId: string): void {
    for (const c of this.controllers.values()) if (c.runId === runId) c.abort.abort();
  }

  /** Renews leases and notices runs changed elsewhere (cancelled by another process). */
  private async heartbeat(): Promise<void> {
    if (this.stopping) return;
    try {
      if (this.controllers.size > 0) await this.store.renewLeases(this.owner, this.leaseMs);
      const runIds = new Set([...this.controllers.values()].map((c) => c.runId));
      for (const id of this.ends.waited()) runIds.add(id);
      for (const id of runIds) {
        const run = await this.store.getRun(id);
        if (!run) continue;
        if (run.status === "cancelled") this.abortRun(id);
        if (isFinal(run.status) && this.ends.isWaited(id)) await this.ends.finished(id);
      }
    } catch (err) {
      this.fatal = err as Error;
    }
  }
}
