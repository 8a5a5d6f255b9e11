/**
 * The Store: durable state and the work queue in one. Every method that changes state is one
 * transaction. Ready steps are rows; an executor claims them with a lease (owner, expiry,
 * epoch) and every write that finishes a step is conditional on the epoch it claimed with.
 * The interface is async so that the PostgreSQL implementation fits the same engine.
 */
import type { CompiledWorkflow } from "../compile/types.js";
import type { WeftErrorData } from "../errors.js";

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const STEP_STATUSES = [...RUN_STATUSES, "pending", "skipped"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const TERMINAL_STEP: ReadonlySet<StepStatus> = new Set([
  "succeeded",
  "failed",
  "cancelled",
  "skipped",
]);

export interface TriggerInfo {
  kind: "manual" | "cli" | "api" | "schedule" | "webhook" | "replay" | "test";
  /** Webhook body, schedule slot, replayed dead letter… visible to templates as `trigger`. */
  payload?: unknown;
  [key: string]: unknown;
}

export interface VersionRecord {
  id: number;
  workflow: string;
  hash: string;
  plan: CompiledWorkflow;
  source: string;
  commit: string | null;
  createdAt: number;
}

export interface NewVersion {
  workflow: string;
  hash: string;
  plan: CompiledWorkflow;
  source: string;
  commit?: string;
}

export interface RunRecord {
  id: string;
  workflow: string;
  versionId: number;
  status: RunStatus;
  inputs: Record<string, unknown>;
  trigger: TriggerInfo;
  idempotencyKey: string | null;
  concurrencyKey: string | null;
  /** A step failed for good: no new main steps start; onFailure steps may. */
  failing: boolean;
  error: WeftErrorData | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface StepRecord {
  /** Row id: one per step and per forEach item. */
  rowId: number;
  runId: string;
  stepId: string;
  /** -1 for the step itself, 0… for forEach items. */
  item: number;
  parentRow: number | null;
  status: StepStatus;
  /** For a forEach parent: the number of items once fanned out, else null. */
  fanout: number | null;
  depsRemaining: number;
  /** Attempts started so far. */
  attempt: number;
  /** Attempts made before the last resume; the retry budget counts from here. */
  retryBase: number;
  notBefore: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  epoch: number;
  onFailure: boolean;
  input: unknown;
  output: unknown;
  error: WeftErrorData | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface NewStep {
  stepId: string;
  item?: number;
  parentRow?: number;
  status: "pending" | "queued";
  depsRemaining: number;
  onFailure?: boolean;
}

export interface NewRun {
  id: string;
  workflow: string;
  versionId: number;
  status: "queued" | "running" | "cancelled";
  inputs: Record<string, unknown>;
  trigger: TriggerInfo;
  idempotencyKey?: string;
  concurrencyKey?: string;
  error?: WeftErrorData;
  steps: readonly NewStep[];
  /**
   * Run-level concurrency, decided inside the creating transaction: when `limit` runs with the
   * same (workflow, concurrencyKey) are running, the new run is queued or cancelled (skip).
   */
  concurrency?: { limit: number; onLimit: "queue" | "skip" };
}

/** Decrement the dependency counters of these rows; rows reaching zero become queued. */
export interface Notify {
  /** Step ids (their item -1 rows) in the same run. */
  stepIds?: readonly string[];
  /** A forEach parent row, notified by each of its items. */
  parentRow?: number;
  /** Queue the next waiting item of this forEach parent (its concurrency slot is free). */
  nextItemOf?: number;
}

export type Op =
  | { type: "start"; rowId: number; epoch: number; input: unknown }
  | {
      type: "finish";
      rowId: number;
      epoch: number;
      status: "succeeded" | "failed" | "skipped" | "cancelled";
      output?: unknown;
      error?: WeftErrorData;
      notify?: Notify;
      /** The failure is final for the run: mark it failing and cancel its not-started main steps. */
      failRun?: boolean;
      /**
       * The attempt's start, when it was not committed yet (a fast step finishes before its
       * start record's commit): recorded with the finish, as one row update and one attempt row.
       */
      started?: { input: unknown; owner: string };
    }
  | { type: "retry"; rowId: number; epoch: number; error: WeftErrorData; notBefore: number }
  /** Hand a claimed step back without counting the attempt (graceful shutdown). */
  | { type: "release"; rowId: number; epoch: number }
  /** forEach: create `items` item rows (queued) and park the parent until they finish. */
  | { type: "fanout"; rowId: number; epoch: number; items: number; concurrency: number }
  /** Start queued runs of (workflow, concurrencyKey) while fewer than `limit` are running. */
  | { type: "promote"; workflow: string; concurrencyKey: string; limit: number }
  | { type: "insertSteps"; runId: string; steps: readonly NewStep[] }
  | {
      type: "runStatus";
      runId: string;
      status: RunStatus;
      error?: WeftErrorData | null;
      /** Only transition from these statuses (the op is skipped otherwise). */
      from: RunStatus[];
    }
  | { type: "event"; runId: string; kind: string; data?: unknown }
  | {
      type: "deadLetter";
      runId: string;
      rowId: number;
      workflow: string;
      stepId: string;
      item: number;
      error: WeftErrorData;
      input: unknown;
    };

export interface ClaimRequest {
  owner: string;
  leaseMs: number;
  limit: number;
  /** Only steps of these runs (a CLI run works on its own run only). */
  runIds?: string[];
}

export interface RunProgress {
  runId: string;
  /** Steps not yet terminal (pending, queued, running). */
  open: number;
  failing: boolean;
}

export interface CommitResult {
  /** Per op: false when fenced off (stale epoch, wrong status) or its condition did not hold. */
  applied: boolean[];
  claimed: ClaimedStep[];
  /** Progress of every run a finish/cancel op touched. */
  progress: RunProgress[];
}

/** A step row as a claim returns it: what running it needs (not its recorded data). */
export type ClaimedStep = Pick<
  StepRecord,
  | "rowId"
  | "runId"
  | "stepId"
  | "item"
  | "parentRow"
  | "status"
  | "fanout"
  | "attempt"
  | "retryBase"
  | "epoch"
  | "onFailure"
>;

/** One forEach item's outcome, as its parent collects it. */
export interface ItemResult {
  item: number;
  status: StepStatus;
  output: unknown;
  error: WeftErrorData | null;
}

/** The claim a checkpoint save belongs to (see saveCheckpoint). */
export interface CheckpointFence {
  rowId: number;
  epoch: number;
}

export interface AttemptRecord {
  rowId: number;
  attempt: number;
  status: "running" | "succeeded" | "failed" | "lost" | "released";
  owner: string | null;
  error: WeftErrorData | null;
  startedAt: number;
  finishedAt: number | null;
}

export interface LogLine {
  runId: string;
  rowId: number;
  attempt: number;
  ts: number;
  level: "debug" | "info" | "warn" | "error";
  message: string;
}

export interface EventRecord {
  id: number;
  runId: string;
  ts: number;
  kind: string;
  data: unknown;
}

export interface DeadLetterRecord {
  id: number;
  runId: string;
  rowId: number;
  workflow: string;
  stepId: string;
  item: number;
  error: WeftErrorData;
  input: unknown;
  attempts: AttemptRecord[];
  createdAt: number;
  replayedAt: number | null;
  replayRunId: string | null;
}

export interface RunQuery {
  workflow?: string;
  status?: RunStatus;
  limit?: number;
  /** Cursor: return runs created strictly before this run id's position. */
  before?: string;
}

export interface ResetRow {
  rowId: number;
  status: "pending" | "queued";
  depsRemaining: number;
  /** Forget a forEach fan-out so the items are computed again. */
  clearFanout?: boolean;
}

export interface DeploymentRecord {
  id: number;
  commit: string;
  author: string | null;
  message: string | null;
  committedAt: number | null;
  createdAt: number;
  result: "deployed" | "failed" | "unchanged";
  /** Every problem that stopped the deploy, with positions (Diagnostic-shaped objects). */
  errors: unknown[] | null;
  /** Workflow names active after this deployment (deployed), or those it would have had. */
  workflows: string[];
}

export interface NewDeployment {
  commit: string;
  author?: string;
  message?: string;
  committedAt?: number;
  result: DeploymentRecord["result"];
  errors?: unknown[];
  /** For a deployed commit: every workflow of the commit; the set of active workflows becomes exactly these. */
  versions?: NewVersion[];
}

export interface ActiveWorkflow {
  workflow: string;
  version: VersionRecord;
  deploymentId: number;
  activatedAt: number;
}

export interface CheckpointKey {
  runId: string;
  stepId: string;
  item: number;
}

export interface Store {
  readonly kind: "sqlite" | "postgres";
  close(): Promise<void>;

  saveVersion(v: NewVersion): Promise<VersionRecord>;
  getVersion(id: number): Promise<VersionRecord | undefined>;

  /** Returns the existing run (created: false) when (workflow, idempotencyKey) was used before. */
  createRun(req: NewRun): Promise<{ run: RunRecord; created: boolean }>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(q?: RunQuery): Promise<RunRecord[]>;
  /** Runs with work left (queued or running), oldest first. */
  activeRuns(): Promise<RunRecord[]>;
  countRuns(workflow: string, concurrencyKey: string, status: RunStatus): Promise<number>;
  listSteps(runId: string): Promise<StepRecord[]>;
  /**
   * The rows that decide how a run ends: those not finished yet, failed, cancelled, and its
   * onFailure steps. A run of 10,000 succeeded steps has none, and reads none.
   */
  decidingSteps(runId: string): Promise<StepRecord[]>;
  getStep(rowId: number): Promise<StepRecord | undefined>;
  /** Outputs and statuses of item -1 rows by step id (for rendering templates). */
  stepResults(
    runId: string,
    stepIds: string[],
  ): Promise<Map<string, { status: StepStatus; output: unknown }>>;
  /** The results of a forEach parent's items, by item index (what collecting them needs). */
  itemResults(parentRow: number): Promise<ItemResult[]>;

  /** Applies ops in one transaction, then claims up to `claim.limit` ready steps in the same one. */
  commit(ops: Op[], claim?: ClaimRequest): Promise<CommitResult>;
  renewLeases(owner: string, leaseMs: number): Promise<number>;
  /** Makes this run's running steps claimable again at once (their owner is known to be gone). */
  releaseRun(runId: string, owner?: string): Promise<number>;
  /**
   * For `weft resume`: puts the given rows back to pending/queued with fresh dependency
   * counters, deletes `deleteRows` (e.g. onFailure steps of the failed attempt), and sets the
   * run running again. One transaction.
   */
  resetRun(
    runId: string,
    reset: ResetRow[],
    deleteRows: number[],
    opts?: {
      /** Re-pin the run to this workflow version (resume on the active version), same transaction. */
      versionId?: number;
    },
  ): Promise<void>;
  /** Cheap counters for metrics: queued step rows, and dead letters ever recorded. */
  queueStats(): Promise<{ readySteps: number; deadLetters: number }>;

  /**
   * Records a deployment. A `deployed` one saves its versions and makes them the active set
   * (workflows absent from it stop being active) in the same transaction: all or nothing.
   */
  recordDeployment(d: NewDeployment): Promise<DeploymentRecord>;
  listDeployments(opts?: { limit?: number }): Promise<DeploymentRecord[]>;
  activeWorkflows(): Promise<ActiveWorkflow[]>;
  /**
   * Claims a trigger slot (a cron fire time, a webhook delivery id) once: true the first time
   * for (workflow, slot), false ever after — across restarts and nodes.
   */
  claimTriggerSlot(kind: "schedule" | "webhook", workflow: string, slot: string): Promise<boolean>;
  /** Links a claimed slot to the run it started. */
  setTriggerRun(kind: "schedule" | "webhook", workflow: string, slot: string, runId: string): Promise<void>;
  /** The run a claimed slot started, if any. */
  triggerRun(
    kind: "schedule" | "webhook",
    workflow: string,
    slot: string,
  ): Promise<string | null | undefined>;
  /** The latest claimed schedule slot of a workflow (ISO time), for catch-up after downtime. */
  lastScheduleSlot(workflow: string): Promise<string | undefined>;

  /**
   * With `fence`, the save lands only while that step row is running under that epoch, like
   * a finish; a stale owner's save rejects with WEFT_STEP_LEASE_LOST and changes nothing.
   */
  saveCheckpoint(key: CheckpointKey, state: unknown, fence?: CheckpointFence): Promise<void>;
  getCheckpoint(key: CheckpointKey): Promise<unknown | undefined>;

  appendLogs(lines: LogLine[]): Promise<void>;
  listLogs(runId: string, opts?: { rowId?: number; limit?: number }): Promise<LogLine[]>;
  listAttempts(runId: string): Promise<AttemptRecord[]>;
  listEvents(runId: string): Promise<EventRecord[]>;

  listDeadLetters(opts?: { includeReplayed?: boolean }): Promise<DeadLetterRecord[]>;
  getDeadLetter(id: number): Promise<DeadLetterRecord | undefined>;
  markReplayed(id: number, runId: string): Promise<void>;
}
