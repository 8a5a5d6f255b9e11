/**
 * One op of a commit, applied inside the caller's transaction. Every op that finishes or
 * moves a claimed step is conditional on its epoch (fencing): false means it was not applied.
 */
import type { NewStep, Op } from "../types.js";
import { toJson } from "./rows.js";
import type { Statements } from "./statements.js";
import type { StepRowWriter } from "./step-rows.js";

/** What a commit's ops did, beyond each op's own writes. */
export interface CommitEffects {
  /**
   * The runs touched, each with the change to its count of open steps: applied once per run
   * per commit instead of one UPDATE of the run row per finished step.
   */
  touched: Map<string, number>;
  /**
   * Rows these ops made ready: the claim takes them by id, and queues the rest before the
   * commit ends (see Claimer): a notified row is left 'pending' until then.
   */
  readied: number[];
  /** Rows became ready that are not in `readied` (a fan-out, a resume…): the claim must look. */
  backlog: boolean;
  /** The earliest retry these ops scheduled for later (ms), if any. */
  dueAt: number;
}

export function newEffects(): CommitEffects {
  return { touched: new Map(), readied: [], backlog: false, dueAt: Number.POSITIVE_INFINITY };
}

function touch(fx: CommitEffects, runId: string, openDelta = 0): void {
  fx.touched.set(runId, (fx.touched.get(runId) ?? 0) + openDelta);
}

/** A notified row is ready once no dependency is left; readyNextItem's rows are (queued). */
function readied(fx: CommitEffects, row: { id: number; deps_remaining?: number } | undefined): void {
  if (row && (row.deps_remaining === undefined || row.deps_remaining <= 0)) fx.readied.push(row.id);
}

export function applyOp(s: Statements, rows: StepRowWriter, op: Op, now: number, fx: CommitEffects): boolean {
  switch (op.type) {
    case "start": {
      return s.startStep.get(toJson(op.input), now, now, op.rowId, op.epoch) !== undefined;
    }
    case "finish": {
      const output = toJson(op.output);
      const error = toJson(op.error);
      const started = op.started;
      // The attempt that finishes the step stays on its row (see archiveAttempt).
      const row = (
        started
          ? s.finishStarted.get(
              op.status,
              output,
              error,
              now,
              toJson(started.input),
              now,
              now,
              started.owner,
              op.rowId,
              op.epoch,
            )
          : s.finishStep.get(op.status, output, error, now, op.rowId, op.epoch)
      ) as { run_id: string } | undefined;
      if (!row) return false;
      let closed = 1;
      for (const id of op.notify?.stepIds ?? []) readied(fx, notified(s.notifyStep.get(row.run_id, id)));
      if (op.notify?.parentRow !== undefined) readied(fx, notified(s.notifyRow.get(op.notify.parentRow)));
      if (op.notify?.nextItemOf !== undefined)
        readied(fx, s.readyNextItem.get(op.notify.nextItemOf) as { id: number } | undefined);
      if (op.failRun) {
        s.markFailing.run(row.run_id);
        closed += s.cancelNotStarted.run(now, row.run_id).changes;
      }
      touch(fx, row.run_id, -closed);
      return true;
    }
    case "retry": {
      const error = toJson(op.error);
      archive(s, op.rowId, now, { status: "failed", error, epoch: op.epoch });
      const row = s.retryStep.get(op.notBefore, error, op.rowId, op.epoch) as { run_id: string } | undefined;
      if (!row) return false;
      touch(fx, row.run_id);
      // Due at once: claimable now. Due later: the claim looks again at that time.
      if (op.notBefore <= now) fx.readied.push(op.rowId);
      else fx.dueAt = Math.min(fx.dueAt, op.notBefore);
      return true;
    }
    case "release": {
      archive(s, op.rowId, now, { status: "released", epoch: op.epoch });
      const row = s.releaseStep.get(op.rowId, op.epoch) as { run_id: string } | undefined;
      if (!row) return false;
      touch(fx, row.run_id);
      fx.backlog = true;
      return true;
    }
    case "fanout": {
      const row = s.fanoutStep.get(
        op.items,
        op.items,
        op.items === 0 ? "queued" : "pending",
        op.rowId,
        op.epoch,
      ) as { run_id: string; step_id: string; on_failure: number } | undefined;
      if (!row) return false;
      const slots = Math.max(1, op.concurrency);
      const items: NewStep[] = [];
      for (let i = 0; i < op.items; i++) {
        const status = i < slots ? "queued" : "pending";
        items.push({ stepId: row.step_id, item: i, parentRow: op.rowId, status, depsRemaining: 0 });
        if (row.on_failure === 1) items[i]!.onFailure = true;
      }
      rows.insert(row.run_id, items);
      touch(fx, row.run_id, op.items);
      fx.backlog = true;
      return true;
    }
    case "insertSteps": {
      // OR IGNORE: two nodes finalising the same failed run may both insert its onFailure steps.
      const added = rows.insert(op.runId, op.steps, true);
      touch(fx, op.runId, added);
      fx.backlog = true;
      return added > 0;
    }
    case "runStatus": {
      const ok =
        s.setRunStatus.run({
          status: op.status,
          error: op.error === undefined ? null : toJson(op.error),
          keepError: op.error === undefined ? 1 : 0,
          now,
          id: op.runId,
          from: JSON.stringify(op.from),
        }).changes === 1;
      if (ok) {
        s.insertEvent.run(op.runId, now, `run.${op.status}`, toJson(op.error ?? undefined));
        if (op.status === "cancelled") {
          touch(fx, op.runId, -s.cancelAllNotStarted.run(now, op.runId).changes);
        }
        if (op.status === "running") fx.backlog = true;
      }
      return ok;
    }
    case "promote": {
      const running = (s.countRuns.get(op.workflow, op.concurrencyKey, "running") as { n: number }).n;
      const free = op.limit - running;
      if (free <= 0) return false;
      const ids = s.queuedRuns.all(op.workflow, op.concurrencyKey, free) as Array<{ id: string }>;
      for (const { id } of ids) {
        s.setRunStatus.run({ status: "running", error: null, keepError: 1, now, id, from: '["queued"]' });
        s.insertEvent.run(id, now, "run.running", null);
      }
      // The promoted runs' queued steps become claimable.
      if (ids.length > 0) fx.backlog = true;
      return ids.length > 0;
    }
    case "event": {
      s.insertEvent.run(op.runId, now, op.kind, toJson(op.data));
      return true;
    }
    case "deadLetter": {
      s.insertDeadLetter.run(
        op.runId,
        op.rowId,
        op.workflow,
        op.stepId,
        op.item,
        JSON.stringify(op.error),
        toJson(op.input),
        now,
      );
      return true;
    }
  }
}

/**
 * Moves a row's current attempt to the attempts table (see the archiveAttempt statement).
 * Without `status`, the row's own status decides it (running: lost).
 */
export function archive(
  s: Statements,
  rowId: number,
  now: number,
  how: { status?: "failed" | "released"; error?: string | null; epoch?: number } = {},
): void {
  s.archiveAttempt.run({
    id: rowId,
    now,
    status: how.status ?? null,
    error: how.error ?? null,
    epoch: how.epoch ?? null,
  });
}

function notified(row: unknown): { id: number; deps_remaining: number } | undefined {
  return row as { id: number; deps_remaining: number } | undefined;
}
