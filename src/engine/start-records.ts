import type { Op } from "../store/types.js";

export type StartOp = Extract<Op, { type: "start" }>;

/** How long a step's start record may wait for its finish to carry it. */
const START_RECORD_DELAY_MS = 50;

/**
 * Start records waiting to be committed, by row. A step's start (its rendered input,
 * started_at, its attempt row) is not worth a commit of its own when the step ends a moment
 * later: its finish carries it instead, which halves the row writes of a busy engine. A start
 * older than START_RECORD_DELAY_MS is committed on its own, so a slow step's start is recorded
 * within that plus one poll.
 */
export class StartRecords {
  private readonly waiting = new Map<number, { op: StartOp; at: number }>();

  get size(): number {
    return this.waiting.size;
  }

  add(op: StartOp): void {
    this.waiting.set(op.rowId, { op, at: performance.now() });
  }

  /** Those old enough for a write of their own (all of them when `all`). */
  takeDue(all: boolean): StartOp[] {
    const due: StartOp[] = [];
    if (this.waiting.size === 0) return due;
    const cutoff = all ? Number.POSITIVE_INFINITY : performance.now() - START_RECORD_DELAY_MS;
    for (const [rowId, { op, at }] of this.waiting) {
      if (at > cutoff) break; // insertion order is age order
      due.push(op);
      this.waiting.delete(rowId);
    }
    return due;
  }

  /**
   * The outcome of row `rowId` is about to be queued as `ops`: its waiting start must land
   * with it or before it (a retry or release moves the row on, after which a late start would
   * be fenced off and the attempt never recorded). A finish of the same claim carries it;
   * otherwise the start is returned, to be queued first.
   */
  settle(rowId: number, ops: Op[], owner: string): StartOp | undefined {
    const start = this.waiting.get(rowId)?.op;
    if (!start) return undefined;
    this.waiting.delete(rowId);
    const finish = ops.find((op) => op.type === "finish" && op.rowId === rowId && op.epoch === start.epoch);
    if (finish?.type === "finish") {
      finish.started = { input: start.input, owner };
      return undefined;
    }
    return start;
  }
}
