/**
 * The body of a store commit (inside its transaction): apply the ops, update each touched
 * run's open-step count (closing rows that became ready after their run failed or was
 * cancelled), then claim, so finishing a step, readying its dependents and claiming them is
 * one transaction.
 */
import type { ClaimRequest, CommitResult, Op, RunProgress } from "../types.js";
import { applyOp, newEffects } from "./apply-op.js";
import type { Claimer } from "./claim.js";
import type { Statements } from "./statements.js";
import type { StepRowWriter } from "./step-rows.js";

type Progress = { open_steps: number; failing: number; status: string };

export function commitOps(
  s: Statements,
  rows: StepRowWriter,
  claimer: Claimer,
  now: number,
  ops: Op[],
  claim?: ClaimRequest,
): CommitResult {
  const applied: boolean[] = [];
  const fx = newEffects();
  for (const op of ops) applied.push(applyOp(s, rows, op, now, fx));
  const progress: RunProgress[] = [];
  for (const [runId, openDelta] of fx.touched) {
    let r = (openDelta !== 0 ? s.incOpen.get(openDelta, runId) : s.runProgress.get(runId)) as
      | Progress
      | undefined;
    if (!r) continue;
    // Rows that became ready after their run failed or was cancelled (a retry scheduled by a
    // step still running at the time, a late fan-out) would never be claimed: close them.
    const sweep =
      r.status === "cancelled" ? s.cancelAllNotStarted : r.failing === 1 ? s.cancelNotStarted : undefined;
    const swept = sweep ? sweep.run(now, runId).changes : 0;
    if (swept > 0) {
      s.decOpen.run(swept, runId);
      r = s.runProgress.get(runId) as Progress;
    }
    progress.push({ runId, open: r.open_steps, failing: r.failing === 1 });
  }
  if (fx.backlog) claimer.backlog = true;
  claimer.dueAt = Math.min(claimer.dueAt, fx.dueAt);
  // Without a claim, the rows these ops made ready are queued before the commit ends.
  const claimed = claim ? claimer.claim(claim, now, fx.readied) : [];
  if (!claim) claimer.enqueue(fx.readied);
  return { applied, claimed, progress };
}
