/** How a compiled plan maps onto step rows: initial rows, dependents to notify, resume resets. */
import type { CompiledStep, CompiledWorkflow } from "../compile/types.js";
import { type NewStep, type ResetRow, type StepRecord, TERMINAL_STEP } from "../store/types.js";

export function stepOf(plan: CompiledWorkflow, stepId: string, onFailure: boolean): CompiledStep | undefined {
  const map = onFailure ? plan.onFailure : plan.steps;
  return Object.hasOwn(map, stepId) ? map[stepId] : undefined;
}

/** Needs that are rows of the same phase (onFailure steps only wait for onFailure steps). */
function phaseNeeds(plan: CompiledWorkflow, step: CompiledStep): string[] {
  const map = step.onFailure ? plan.onFailure : plan.steps;
  return step.needs.filter((id) => Object.hasOwn(map, id));
}

// Plans never change once compiled: what is derived from them is worked out once per plan
// (a 10,000-step run would otherwise rebuild its rows per run and a list per finished step).
const rowsOf = new WeakMap<CompiledWorkflow, { main: NewStep[]; onFailure: NewStep[] }>();
const dependents = new WeakMap<CompiledStep, string[]>();

/** The rows a run of `plan` starts with (shared: callers must not change them). */
export function initialRows(plan: CompiledWorkflow, onFailure = false): readonly NewStep[] {
  let rows = rowsOf.get(plan);
  if (!rows) {
    rows = { main: rowsFor(plan, false), onFailure: rowsFor(plan, true) };
    rowsOf.set(plan, rows);
  }
  return onFailure ? rows.onFailure : rows.main;
}

function rowsFor(plan: CompiledWorkflow, onFailure: boolean): NewStep[] {
  const map = onFailure ? plan.onFailure : plan.steps;
  return Object.values(map).map((step) => {
    const deps = phaseNeeds(plan, step).length;
    return { stepId: step.id, status: deps === 0 ? "queued" : "pending", depsRemaining: deps, onFailure };
  });
}

/** Step ids to notify when `step` reaches a terminal state (shared: do not change). */
export function dependentsOf(plan: CompiledWorkflow, step: CompiledStep): readonly string[] {
  let ids = dependents.get(step);
  if (!ids) {
    const map = step.onFailure ? plan.onFailure : plan.steps;
    ids = (plan.dependents[step.id] ?? []).filter((id) => Object.hasOwn(map, id));
    dependents.set(step, ids);
  }
  return ids;
}

export interface ResumePlan {
  /** Step ids that will run again. */
  rerun: string[];
  /** Step ids whose recorded results are kept. */
  keep: string[];
  reset: ResetRow[];
  deleteRows: number[];
}

/**
 * Which rows `weft resume` puts back. Without `from`: failed, cancelled and interrupted
 * steps (and forEach items), keeping every finished result. With `from`: that step and
 * everything downstream of it, whatever their state.
 */
export function planResume(
  plan: CompiledWorkflow,
  rows: StepRecord[],
  opts: { from?: string; interrupted: (row: StepRecord) => boolean },
): ResumePlan {
  const main = rows.filter((r) => !r.onFailure && r.item === -1);
  const byStep = new Map(main.map((r) => [r.stepId, r]));
  const rerun = new Set<string>();
  if (opts.from !== undefined) {
    const queue = [opts.from];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (rerun.has(id) || !Object.hasOwn(plan.steps, id)) continue;
      rerun.add(id);
      queue.push(...(plan.dependents[id] ?? []));
    }
  } else {
    for (const r of main) {
      if (
        r.status === "failed" ||
        r.status === "cancelled" ||
        (r.status === "running" && opts.interrupted(r))
      ) {
        rerun.add(r.stepId);
      }
    }
  }
  const willBeOpen = (id: string) => {
    const r = byStep.get(id);
    return rerun.has(id) || (r !== undefined && !TERMINAL_STEP.has(r.status) && r.status !== "running");
  };
  const reset: ResetRow[] = [];
  const itemsOf = (rowId: number) => rows.filter((r) => r.parentRow === rowId);
  const unfinished = (r: StepRecord) =>
    r.status !== "succeeded" && r.status !== "skipped" && (r.status !== "running" || opts.interrupted(r));
  for (const id of rerun) {
    const row = byStep.get(id);
    const step = plan.steps[id];
    if (!row || !step) continue;
    if (opts.from === undefined && row.fanout !== null) {
      // A fanned-out forEach keeps its finished items; only the others run again.
      const again = itemsOf(row.rowId).filter(unfinished);
      for (const item of again) reset.push({ rowId: item.rowId, status: "queued", depsRemaining: 0 });
      reset.push({
        rowId: row.rowId,
        status: again.length === 0 ? "queued" : "pending",
        depsRemaining: again.length,
      });
      continue;
    }
    const deps = step.needs.filter((n) => Object.hasOwn(plan.steps, n) && willBeOpen(n)).length;
    reset.push({
      rowId: row.rowId,
      status: deps === 0 ? "queued" : "pending",
      depsRemaining: deps,
      clearFanout: row.fanout !== null,
    });
  }
  // Interrupted items of a forEach that is still running: make them claimable again.
  for (const r of rows) {
    if (r.item < 0 || r.status !== "running" || !opts.interrupted(r) || r.parentRow === null) continue;
    const parent = rows.find((p) => p.rowId === r.parentRow);
    if (parent && !rerun.has(parent.stepId))
      reset.push({ rowId: r.rowId, status: "queued", depsRemaining: 0 });
  }
  const deleteRows = rows.filter((r) => r.onFailure && r.item === -1).map((r) => r.rowId);
  const keep = main.filter((r) => !rerun.has(r.stepId) && TERMINAL_STEP.has(r.status)).map((r) => r.stepId);
  // Steps that never started run too; list them with the ones put back.
  const willRun = main
    .filter((r) => rerun.has(r.stepId) || !TERMINAL_STEP.has(r.status))
    .map((r) => r.stepId);
  return { rerun: willRun.sort(), keep: keep.sort(), reset, deleteRows };
}
