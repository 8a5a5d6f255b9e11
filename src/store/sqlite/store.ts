import type Database from "better-sqlite3";
import type { WeftErrorData } from "../../errors.js";
import type {
  ActiveWorkflow,
  AttemptRecord,
  CheckpointFence,
  CheckpointKey,
  ClaimRequest,
  CommitResult,
  DeadLetterRecord,
  DeploymentRecord,
  EventRecord,
  ItemResult,
  LogLine,
  NewDeployment,
  NewRun,
  NewVersion,
  Op,
  ResetRow,
  RunQuery,
  RunRecord,
  RunStatus,
  StepRecord,
  StepStatus,
  Store,
  VersionRecord,
} from "../types.js";
import { archive } from "./apply-op.js";
import { Claimer } from "./claim.js";
import { commitOps } from "./commit.js";
import { insertDeployment, readActiveWorkflows } from "./deployments.js";
import {
  CHECKPOINT_BUSY_RETRY_MS,
  checkpointTooLarge,
  isBusy,
  isDiskFull,
  leaseLost,
  MAX_CHECKPOINT_BYTES,
  storeBusy,
  storeFull,
} from "./errors.js";
import { insertLogLines } from "./logs.js";
import { insertRun } from "./new-run.js";
import { openSqlite, type SqliteOptions } from "./open.js";
import {
  type AttemptRow,
  attemptRecord,
  type DeadLetterRow,
  type DeploymentRow,
  deadLetterRecord,
  deploymentRecord,
  type EventRow,
  eventRecord,
  fromJson,
  type LogRow,
  logLine,
  type RunRow,
  runRecord,
  type StepRow,
  stepRecord,
  toJson,
  type VersionRow,
  versionRecord,
} from "./rows.js";
import { prepareStatements, type Statements } from "./statements.js";
import { StepRowWriter } from "./step-rows.js";

const VERSION_CACHE_SIZE = 256;

export interface SqliteStoreOptions extends SqliteOptions {
  /** Injectable clock (ms since epoch), for tests. */
  now?: () => number;
}

export class SqliteStore implements Store {
  readonly kind = "sqlite" as const;
  readonly path: string;
  private readonly db: Database.Database;
  private readonly s: Statements;
  private readonly now: () => number;
  private readonly versions = new Map<number, VersionRecord>();
  private readonly claimer: Claimer;
  private readonly rows: StepRowWriter;
  private readonly immediate: (fn: () => unknown) => unknown;

  constructor(path: string, opts: SqliteStoreOptions = {}) {
    this.path = path;
    this.db = openSqlite(path, opts);
    this.s = prepareStatements(this.db);
    this.claimer = new Claimer(this.db, this.s);
    this.rows = new StepRowWriter(this.db);
    // One transaction wrapper, made once, that runs the function it is given: making one per
    // call (db.transaction(fn)) builds four closures and twenty properties each time.
    this.immediate = this.db.transaction((fn: () => unknown) => fn()).immediate;
    this.now = opts.now ?? Date.now;
  }

  /** The raw connection, for tests and benchmarks that measure the floor. */
  get connection(): Database.Database {
    return this.db;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private tx<T>(fn: () => T): T {
    // BEGIN IMMEDIATE: a deferred transaction that later upgrades to a write gets SQLITE_BUSY
    // at once, ignoring the busy timeout.
    try {
      return this.immediate(fn) as T;
    } catch (err) {
      if (isDiskFull(err)) throw storeFull({ path: this.path }, { cause: err });
      throw err;
    }
  }

  /**
   * Versions never change once written, and their plans are large JSON: parsed records are
   * kept (the most recent few hundred) so the API, webhooks and health checks that look up the
   * active set do not parse every plan on every request.
   */
  private versionById(id: number): VersionRecord | undefined {
    const hit = this.versions.get(id);
    if (hit) {
      this.versions.delete(id);
      this.versions.set(id, hit);
      return hit;
    }
    const row = this.s.versionById.get(id) as VersionRow | undefined;
    if (!row) return undefined;
    return this.cacheVersion(versionRecord(row));
  }

  private cacheVersion(record: VersionRecord): VersionRecord {
    this.versions.set(record.id, record);
    if (this.versions.size > VERSION_CACHE_SIZE)
      this.versions.delete(this.versions.keys().next().value as number);
    return record;
  }

  async saveVersion(v: NewVersion): Promise<VersionRecord> {
    return this.tx(() => {
      const existing = this.s.versionIdByHash.get(v.workflow, v.hash) as { id: number } | undefined;
      if (existing) return this.versionById(existing.id)!;
      const createdAt = this.now();
      const info = this.s.insertVersion.run(
        v.workflow,
        v.hash,
        JSON.stringify(v.plan),
        v.source,
        v.commit ?? null,
        createdAt,
      );
      // The caller's plan, not a copy parsed back: a 10,000-step plan is megabytes, and plans
      // are never changed once compiled.
      return this.cacheVersion({
        id: Number(info.lastInsertRowid),
        workflow: v.workflow,
        hash: v.hash,
        plan: v.plan,
        source: v.source,
        commit: v.commit ?? null,
        createdAt,
      });
    });
  }

  async getVersion(id: number): Promise<VersionRecord | undefined> {
    return this.versionById(id);
  }

  async createRun(req: NewRun): Promise<{ run: RunRecord; created: boolean }> {
    this.claimer.backlog = true;
    return this.tx(() => insertRun(this.s, this.rows, req, this.now()));
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = this.s.runById.get(id) as RunRow | undefined;
    return row && runRecord(row);
  }

  async listRuns(q: RunQuery = {}): Promise<RunRecord[]> {
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 1000);
    let beforeSeq = Number.MAX_SAFE_INTEGER;
    if (q.before) {
      const row = this.s.runSeq.get(q.before) as { seq: number } | undefined;
      if (row) beforeSeq = row.seq;
    }
    const rows = this.s.listRuns.all({
      workflow: q.workflow ?? null,
      status: q.status ?? null,
      before: beforeSeq,
      limit,
    }) as RunRow[];
    return rows.map(runRecord);
  }

  async activeRuns(): Promise<RunRecord[]> {
    return (this.s.activeRuns.all() as RunRow[]).map(runRecord);
  }

  async countRuns(workflow: string, concurrencyKey: string, status: RunStatus): Promise<number> {
    return (this.s.countRuns.get(workflow, concurrencyKey, status) as { n: number }).n;
  }

  async decidingSteps(runId: string): Promise<StepRecord[]> {
    return (this.s.decidingSteps.all(runId) as StepRow[]).map(stepRecord);
  }

  async listSteps(runId: string): Promise<StepRecord[]> {
    return (this.s.stepsOfRun.all(runId) as StepRow[]).map(stepRecord);
  }

  async getStep(rowId: number): Promise<StepRecord | undefined> {
    const row = this.s.stepById.get(rowId) as StepRow | undefined;
    return row && stepRecord(row);
  }

  async stepResults(
    runId: string,
    stepIds: string[],
  ): Promise<Map<string, { status: StepStatus; output: unknown }>> {
    const out = new Map<string, { status: StepStatus; output: unknown }>();
    if (stepIds.length === 0) return out;
    const rows = this.s.stepResults.all(runId, JSON.stringify(stepIds)) as Array<{
      step_id: string;
      status: string;
      output: string | null;
    }>;
    for (const r of rows) {
      out.set(r.step_id, {
        status: r.status as StepStatus,
        output: r.output === null ? null : JSON.parse(r.output),
      });
    }
    return out;
  }

  async itemResults(parentRow: number): Promise<ItemResult[]> {
    const rows = this.s.itemsOf.all(parentRow) as Array<{
      item: number;
      status: string;
      output: string | null;
      error: string | null;
    }>;
    return rows.map((r) => ({
      item: r.item,
      status: r.status as StepStatus,
      output: fromJson(r.output),
      error: fromJson<WeftErrorData>(r.error),
    }));
  }

  async commit(ops: Op[], claim?: ClaimRequest): Promise<CommitResult> {
    return this.tx(() => commitOps(this.s, this.rows, this.claimer, this.now(), ops, claim));
  }

  async renewLeases(owner: string, leaseMs: number): Promise<number> {
    return this.tx(() => this.s.renewLeases.run(this.now() + leaseMs, owner).changes);
  }

  async releaseRun(runId: string, owner?: string): Promise<number> {
    this.claimer.backlog = true;
    return this.tx(() => {
      const now = this.now();
      const rows = this.s.runningOfRun.all({ id: runId, owner: owner ?? null }) as Array<{ id: number }>;
      for (const { id } of rows) {
        archive(this.s, id, now);
        this.s.expireLease.run(id);
      }
      return rows.length;
    });
  }

  async resetRun(
    runId: string,
    reset: ResetRow[],
    deleteRows: number[],
    opts: { versionId?: number } = {},
  ): Promise<void> {
    this.claimer.backlog = true;
    this.tx(() => {
      if (opts.versionId !== undefined) this.s.repinRun.run(opts.versionId, runId);
      for (const id of deleteRows) {
        this.s.deleteAttemptsOf.run(id);
        this.s.deleteItemsOf.run(id);
        this.s.deleteStep.run(id);
      }
      for (const r of reset) {
        if (r.clearFanout) {
          this.s.deleteAttemptsOfItems.run(r.rowId);
          this.s.deleteItemsOf.run(r.rowId);
        }
        // Its current attempt (finished, or interrupted: lost) goes to the history.
        archive(this.s, r.rowId, this.now());
        this.s.resetStep.run(r.status, r.depsRemaining, r.clearFanout ? 1 : 0, r.rowId, runId);
      }
      this.s.reopenRun.run({ now: this.now(), id: runId });
      const data = {
        steps: reset.length,
        ...(opts.versionId !== undefined ? { versionId: opts.versionId } : {}),
      };
      this.s.insertEvent.run(runId, this.now(), "run.resumed", toJson(data));
    });
  }

  async queueStats(): Promise<{ readySteps: number; deadLetters: number }> {
    return {
      readySteps: (this.s.countQueued.get() as { n: number }).n,
      deadLetters: (this.s.countDeadLetters.get() as { n: number }).n,
    };
  }

  async recordDeployment(d: NewDeployment): Promise<DeploymentRecord> {
    return this.tx(() => insertDeployment(this.s, d, this.now()));
  }

  async listDeployments(opts: { limit?: number } = {}): Promise<DeploymentRecord[]> {
    return (this.s.listDeployments.all(opts.limit ?? 50) as DeploymentRow[]).map(deploymentRecord);
  }

  async activeWorkflows(): Promise<ActiveWorkflow[]> {
    return readActiveWorkflows(this.s, (id) => this.versionById(id)!);
  }

  async claimTriggerSlot(kind: "schedule" | "webhook", workflow: string, slot: string): Promise<boolean> {
    const stmt = kind === "schedule" ? this.s.claimSlot : this.s.claimDelivery;
    return this.tx(() => stmt.run(workflow, slot, this.now()).changes === 1);
  }

  async setTriggerRun(
    kind: "schedule" | "webhook",
    workflow: string,
    slot: string,
    runId: string,
  ): Promise<void> {
    const stmt = kind === "schedule" ? this.s.setSlotRun : this.s.setDeliveryRun;
    this.tx(() => stmt.run(runId, workflow, slot));
  }

  async triggerRun(
    kind: "schedule" | "webhook",
    workflow: string,
    slot: string,
  ): Promise<string | null | undefined> {
    const stmt = kind === "schedule" ? this.s.slotRun : this.s.deliveryRun;
    const row = stmt.get(workflow, slot) as { run_id: string | null } | undefined;
    return row === undefined ? undefined : row.run_id;
  }

  async lastScheduleSlot(workflow: string): Promise<string | undefined> {
    const row = this.s.lastSlot.get(workflow) as { slot: string | null };
    return row.slot ?? undefined;
  }

  async saveCheckpoint(key: CheckpointKey, state: unknown, fence?: CheckpointFence): Promise<void> {
    const text = JSON.stringify(state ?? null);
    if (text.length > MAX_CHECKPOINT_BYTES) {
      throw checkpointTooLarge({ stepId: key.stepId, size: text.length, limit: MAX_CHECKPOINT_BYTES });
    }
    // A step awaits its save, so a lock held past the busy timeout (a backup, another writer)
    // is waited out between attempts rather than failing the step's attempt at once.
    const t0 = Date.now();
    for (let delay = 25; ; delay = Math.min(delay * 2, 1000)) {
      try {
        const saved = this.tx(() => {
          const args = [key.runId, key.stepId, key.item, text, this.now()] as const;
          if (!fence) return this.s.saveCheckpoint.run(...args).changes;
          return this.s.saveCheckpointFenced.run(...args, fence.rowId, fence.epoch).changes;
        });
        if (saved === 0) throw leaseLost({ stepId: key.stepId, epoch: fence?.epoch ?? 0 });
        return;
      } catch (err) {
        const waited = Date.now() - t0;
        if (!isBusy(err)) throw err;
        if (waited >= CHECKPOINT_BUSY_RETRY_MS)
          throw storeBusy({ path: this.path, waitedMs: waited }, { cause: err });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async getCheckpoint(key: CheckpointKey): Promise<unknown | undefined> {
    const row = this.s.getCheckpoint.get(key.runId, key.stepId, key.item) as { state: string } | undefined;
    return row ? JSON.parse(row.state) : undefined;
  }

  async appendLogs(lines: LogLine[]): Promise<void> {
    if (lines.length === 0) return;
    this.tx(() => insertLogLines(this.s, lines));
  }

  async listLogs(runId: string, opts: { rowId?: number; limit?: number } = {}): Promise<LogLine[]> {
    const limit = opts.limit ?? 10_000;
    const rows = (
      opts.rowId === undefined ? this.s.logsOfRun.all(runId, limit) : this.s.logsOfRow.all(opts.rowId, limit)
    ) as LogRow[];
    return rows.map(logLine);
  }

  async listAttempts(runId: string): Promise<AttemptRecord[]> {
    return (this.s.attemptsOfRun.all({ id: runId }) as AttemptRow[]).map(attemptRecord);
  }

  async listEvents(runId: string): Promise<EventRecord[]> {
    return (this.s.eventsOfRun.all(runId) as EventRow[]).map(eventRecord);
  }

  async listDeadLetters(opts: { includeReplayed?: boolean } = {}): Promise<DeadLetterRecord[]> {
    const rows = this.s.deadLetters.all({ all: opts.includeReplayed ? 1 : 0 }) as DeadLetterRow[];
    return rows.map((r) => deadLetterRecord(r, this.attemptsOfRow(r.step_row)));
  }

  async getDeadLetter(id: number): Promise<DeadLetterRecord | undefined> {
    const row = this.s.deadLetterById.get(id) as DeadLetterRow | undefined;
    return row && deadLetterRecord(row, this.attemptsOfRow(row.step_row));
  }

  private attemptsOfRow(rowId: number): AttemptRecord[] {
    return (this.s.attemptsOfRow.all({ id: rowId }) as AttemptRow[]).map(attemptRecord);
  }

  async markReplayed(id: number, runId: string): Promise<void> {
    this.tx(() => this.s.markReplayed.run(this.now(), runId, id));
  }
}
