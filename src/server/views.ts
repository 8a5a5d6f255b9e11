/**
 * What the API shows of stored records: secrets redacted once more on the way out (stored
 * values are redacted when written; a secret added since is caught here), and internals such
 * as lease owners left out.
 */
import type { Redactor } from "../observe/redact.js";
import type { AttemptRecord, LogLine, RunRecord, StepRecord, Store } from "../store/types.js";

export function runView(run: RunRecord, redactor: Redactor): Record<string, unknown> {
  return redactor.redactValue({
    id: run.id,
    workflow: run.workflow,
    versionId: run.versionId,
    status: run.status,
    inputs: run.inputs,
    trigger: run.trigger,
    idempotencyKey: run.idempotencyKey,
    concurrencyKey: run.concurrencyKey,
    error: run.error,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  });
}

export interface StepView {
  id: string;
  item?: number;
  onFailure?: true;
  status: string;
  attempt: number;
  input: unknown;
  output: unknown;
  error: unknown;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
}

/** One step row as the API and `weft runs show` present it. */
export function stepView(r: StepRecord): StepView {
  return {
    id: r.stepId,
    ...(r.item >= 0 ? { item: r.item } : {}),
    ...(r.onFailure ? { onFailure: true } : {}),
    status: r.status,
    attempt: r.attempt,
    input: r.input,
    output: r.output,
    error: r.error,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs: r.startedAt !== null && r.finishedAt !== null ? r.finishedAt - r.startedAt : null,
  };
}

function attemptView(a: AttemptRecord, labels: Map<number, string>): Record<string, unknown> {
  return {
    rowId: a.rowId,
    stepId: labels.get(a.rowId) ?? "?",
    attempt: a.attempt,
    status: a.status,
    error: a.error,
    startedAt: a.startedAt,
    finishedAt: a.finishedAt,
  };
}

export function logView(l: LogLine, labels: Map<number, string>): Record<string, unknown> {
  return {
    rowId: l.rowId,
    stepId: labels.get(l.rowId) ?? "?",
    attempt: l.attempt,
    ts: l.ts,
    level: l.level,
    message: l.message,
  };
}

/** `step` or `step[item]` by row id, for attempts and log lines. */
export function rowLabels(rows: StepRecord[]): Map<number, string> {
  return new Map(rows.map((r) => [r.rowId, r.item >= 0 ? `${r.stepId}[${r.item}]` : r.stepId]));
}

export async function runDetailsView(
  store: Store,
  run: RunRecord,
  redactor: Redactor,
): Promise<Record<string, unknown>> {
  const rows = await store.listSteps(run.id);
  const labels = rowLabels(rows);
  const attempts = await store.listAttempts(run.id);
  return {
    run: runView(run, redactor),
    steps: redactor.redactValue(rows.map(stepView)),
    attempts: redactor.redactValue(attempts.map((a) => attemptView(a, labels))),
  };
}
