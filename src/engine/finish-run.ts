/**
 * What ends a run once none of its steps is open: its onFailure steps (once), or its final
 * status; then the next run queued behind its concurrency key may start.
 */
import type { CompiledWorkflow } from "../compile/types.js";
import type { WeftErrorData } from "../errors.js";
import type { Op, RunRecord, StepRecord } from "../store/types.js";
import { initialRows } from "./plan-rows.js";

/** `rows`: at least the run's failed, cancelled and onFailure rows (Store.decidingSteps). */
export function finishingOps(run: RunRecord, plan: CompiledWorkflow, rows: StepRecord[]): Op[] {
  const runId = run.id;
  const ops: Op[] = [];
  if (run.failing) {
    const hasHandlers = Object.keys(plan.onFailure).length > 0;
    if (hasHandlers && !rows.some((r) => r.onFailure)) {
      ops.push({ type: "insertSteps", runId, steps: initialRows(plan, true) });
      ops.push({ type: "event", runId, kind: "run.onFailure" });
    } else {
      const failed =
        rows.find((r) => r.status === "failed" && !r.onFailure && r.item === -1) ??
        rows.find((r) => r.status === "failed");
      const error: WeftErrorData = {
        code: "WEFT_RUN_FAILED",
        name: "WeftError",
        message: failed
          ? `step ${failed.stepId} failed: ${failed.error?.message ?? "unknown error"}`
          : "run failed",
      };
      if (failed?.error) error.cause = failed.error;
      ops.push({ type: "runStatus", runId, status: "failed", error, from: ["running"] });
    }
  } else {
    // A main step cancelled in a run that was not cancelled (it was stopped mid-flight)
    // means the run did not do all its work: that is a failure, not a success.
    const stopped = rows.find((r) => r.status === "cancelled" && !r.onFailure);
    if (stopped) {
      const error: WeftErrorData = {
        code: "WEFT_RUN_FAILED",
        name: "WeftError",
        message: `step ${stopped.stepId} was cancelled before it finished; resume the run to complete it`,
      };
      ops.push({ type: "runStatus", runId, status: "failed", error, from: ["running"] });
    } else {
      ops.push({ type: "runStatus", runId, status: "succeeded", error: null, from: ["running"] });
    }
  }
  if (run.concurrencyKey !== null && plan.concurrency) {
    ops.push({
      type: "promote",
      workflow: run.workflow,
      concurrencyKey: run.concurrencyKey,
      limit: plan.concurrency.limit,
    });
  }
  return ops;
}
