/**
 * Recording a new run (inside the store's transaction): an idempotency key already used
 * returns the existing run; a run past its concurrency limit is queued or, with onLimit: skip,
 * recorded as cancelled.
 */
import type { NewRun, RunRecord } from "../types.js";
import { type RunRow, runRecord, toJson } from "./rows.js";
import type { Statements } from "./statements.js";
import type { StepRowWriter } from "./step-rows.js";

export function insertRun(
  s: Statements,
  rows: StepRowWriter,
  req: NewRun,
  now: number,
): { run: RunRecord; created: boolean } {
  if (req.idempotencyKey !== undefined) {
    const existing = s.runByKey.get(req.workflow, req.idempotencyKey) as RunRow | undefined;
    if (existing) return { run: runRecord(existing), created: false };
  }
  let status = req.status;
  let error = req.error;
  if (req.concurrency && status === "running") {
    const running = (s.countRuns.get(req.workflow, req.concurrencyKey ?? "", "running") as { n: number }).n;
    if (running >= req.concurrency.limit) {
      status = req.concurrency.onLimit === "queue" ? "queued" : "cancelled";
      if (status === "cancelled") {
        error = {
          code: "WEFT_RUN_CONCURRENCY_SKIPPED",
          name: "WeftError",
          message: `skipped: ${running} run(s) of ${req.workflow} with concurrency key "${req.concurrencyKey ?? ""}" already running (limit ${req.concurrency.limit}, onLimit: skip)`,
        };
      }
    }
  }
  s.insertRun.run({
    id: req.id,
    workflow: req.workflow,
    version_id: req.versionId,
    status,
    inputs: JSON.stringify(req.inputs),
    trigger: JSON.stringify(req.trigger),
    idempotency_key: req.idempotencyKey ?? null,
    concurrency_key: req.concurrencyKey ?? (req.concurrency ? "" : null),
    open_steps: status === "cancelled" ? 0 : req.steps.length,
    error: toJson(error),
    created_at: now,
    started_at: status === "running" ? now : null,
    finished_at: status === "cancelled" ? now : null,
  });
  if (status !== "cancelled") rows.insert(req.id, req.steps);
  s.insertEvent.run(req.id, now, "run.created", toJson({ status, trigger: req.trigger.kind }));
  return { run: runRecord(s.runById.get(req.id) as RunRow), created: true };
}
