import type { WeftErrorData } from "../../errors.js";
import type {
  AttemptRecord,
  ClaimedStep,
  DeadLetterRecord,
  DeploymentRecord,
  EventRecord,
  LogLine,
  RunRecord,
  RunStatus,
  StepRecord,
  StepStatus,
  TriggerInfo,
  VersionRecord,
} from "../types.js";

/** JSON columns: undefined is stored as NULL and read back as null. */
export function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function fromJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export interface RunRow {
  id: string;
  workflow: string;
  version_id: number;
  status: string;
  inputs: string;
  trigger: string;
  idempotency_key: string | null;
  concurrency_key: string | null;
  failing: number;
  open_steps: number;
  error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export function runRecord(r: RunRow): RunRecord {
  return {
    id: r.id,
    workflow: r.workflow,
    versionId: r.version_id,
    status: r.status as RunStatus,
    inputs: JSON.parse(r.inputs) as Record<string, unknown>,
    trigger: JSON.parse(r.trigger) as TriggerInfo,
    idempotencyKey: r.idempotency_key,
    concurrencyKey: r.concurrency_key,
    failing: r.failing === 1,
    error: fromJson<WeftErrorData>(r.error),
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export interface StepRow {
  id: number;
  run_id: string;
  step_id: string;
  item: number;
  parent_id: number | null;
  status: string;
  fanout: number | null;
  deps_remaining: number;
  attempt: number;
  retry_base: number;
  not_before: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  epoch: number;
  on_failure: number;
  input: string | null;
  output: string | null;
  error: string | null;
  started_at: number | null;
  finished_at: number | null;
}

/** The columns a claim returns (see ClaimedStep): no JSON to parse, no large strings to copy. */
export const CLAIMED_COLUMNS =
  "id, run_id, step_id, item, parent_id, status, fanout, attempt, retry_base, epoch, on_failure";

export type ClaimedRow = Pick<
  StepRow,
  | "id"
  | "run_id"
  | "step_id"
  | "item"
  | "parent_id"
  | "status"
  | "fanout"
  | "attempt"
  | "retry_base"
  | "epoch"
  | "on_failure"
>;

export function claimedStep(r: ClaimedRow): ClaimedStep {
  return {
    rowId: r.id,
    runId: r.run_id,
    stepId: r.step_id,
    item: r.item,
    parentRow: r.parent_id,
    status: r.status as StepStatus,
    fanout: r.fanout,
    attempt: r.attempt,
    retryBase: r.retry_base,
    epoch: r.epoch,
    onFailure: r.on_failure === 1,
  };
}

export function stepRecord(r: StepRow): StepRecord {
  return {
    ...claimedStep(r),
    depsRemaining: r.deps_remaining,
    notBefore: r.not_before,
    leaseOwner: r.lease_owner,
    leaseExpiresAt: r.lease_expires_at,
    input: fromJson(r.input),
    output: fromJson(r.output),
    error: fromJson<WeftErrorData>(r.error),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export interface VersionRow {
  id: number;
  workflow: string;
  hash: string;
  plan: string;
  source: string;
  commit_sha: string | null;
  created_at: number;
}

export function versionRecord(r: VersionRow): VersionRecord {
  return {
    id: r.id,
    workflow: r.workflow,
    hash: r.hash,
    plan: JSON.parse(r.plan) as VersionRecord["plan"],
    source: r.source,
    commit: r.commit_sha,
    createdAt: r.created_at,
  };
}

export interface AttemptRow {
  step_row: number;
  attempt: number;
  status: string;
  owner: string | null;
  error: string | null;
  started_at: number;
  finished_at: number | null;
}

export function attemptRecord(r: AttemptRow): AttemptRecord {
  return {
    rowId: r.step_row,
    attempt: r.attempt,
    status: r.status as AttemptRecord["status"],
    owner: r.owner,
    error: fromJson<WeftErrorData>(r.error),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export interface LogRow {
  run_id: string;
  step_row: number;
  attempt: number;
  ts: number;
  level: string;
  message: string;
}

export function logLine(r: LogRow): LogLine {
  return {
    runId: r.run_id,
    rowId: r.step_row,
    attempt: r.attempt,
    ts: r.ts,
    level: r.level as LogLine["level"],
    message: r.message,
  };
}

export interface EventRow {
  id: number;
  run_id: string;
  ts: number;
  kind: string;
  data: string | null;
}

export function eventRecord(r: EventRow): EventRecord {
  return { id: r.id, runId: r.run_id, ts: r.ts, kind: r.kind, data: fromJson(r.data) };
}

export interface DeadLetterRow {
  id: number;
  run_id: string;
  step_row: number;
  workflow: string;
  step_id: string;
  item: number;
  error: string;
  input: string | null;
  created_at: number;
  replayed_at: number | null;
  replay_run_id: string | null;
}

export function deadLetterRecord(r: DeadLetterRow, attempts: AttemptRecord[]): DeadLetterRecord {
  return {
    id: r.id,
    runId: r.run_id,
    rowId: r.step_row,
    workflow: r.workflow,
    stepId: r.step_id,
    item: r.item,
    error: JSON.parse(r.error) as WeftErrorData,
    input: fromJson(r.input),
    attempts,
    createdAt: r.created_at,
    replayedAt: r.replayed_at,
    replayRunId: r.replay_run_id,
  };
}

export interface DeploymentRow {
  id: number;
  commit_sha: string;
  author: string | null;
  message: string | null;
  committed_at: number | null;
  created_at: number;
  result: string;
  errors: string | null;
  workflows: string | null;
}

export function deploymentRecord(r: DeploymentRow): DeploymentRecord {
  return {
    id: r.id,
    commit: r.commit_sha,
    author: r.author,
    message: r.message,
    committedAt: r.committed_at,
    createdAt: r.created_at,
    result: r.result as DeploymentRecord["result"],
    errors: fromJson<unknown[]>(r.errors),
    workflows: fromJson<string[]>(r.workflows) ?? [],
  };
}
