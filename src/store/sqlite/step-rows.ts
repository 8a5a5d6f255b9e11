import type Database from "better-sqlite3";
import type { NewStep } from "../types.js";

/** Rows per INSERT: a multi-row INSERT costs a third less per row than one INSERT per row. */
const CHUNK = 64;
const COLUMNS = "(run_id, step_id, item, parent_id, status, deps_remaining, on_failure)";

/**
 * Inserts step rows (a new run's steps, a fan-out's items, onFailure steps) in multi-row
 * INSERTs. Statements are prepared per row count on first use: the full chunk, and the
 * remainders that occur.
 */
export class StepRowWriter {
  private readonly plain = new Map<number, Database.Statement>();
  private readonly ignoring = new Map<number, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /**
   * Inserts `steps` of run `runId`; returns how many rows were added. `orIgnore`: rows that
   * exist already are skipped (two nodes finalising the same failed run may both insert its
   * onFailure steps).
   */
  insert(runId: string, steps: ReadonlyArray<NewStep>, orIgnore = false): number {
    let added = 0;
    const args: unknown[] = [];
    for (let from = 0; from < steps.length; from += CHUNK) {
      const to = Math.min(steps.length, from + CHUNK);
      args.length = 0;
      for (let i = from; i < to; i++) {
        const st = steps[i]!;
        args.push(runId, st.stepId, st.item ?? -1, st.parentRow ?? null, st.status, st.depsRemaining);
        args.push(st.onFailure ? 1 : 0);
      }
      added += this.statement(to - from, orIgnore).run(args).changes;
    }
    return added;
  }

  private statement(n: number, orIgnore: boolean): Database.Statement {
    const cache = orIgnore ? this.ignoring : this.plain;
    let stmt = cache.get(n);
    if (!stmt) {
      const values = Array(n).fill("(?, ?, ?, ?, ?, ?, ?)").join(", ");
      stmt = this.db.prepare(`INSERT ${orIgnore ? "OR IGNORE " : ""}INTO steps ${COLUMNS} VALUES ${values}`);
      cache.set(n, stmt);
    }
    return stmt;
  }
}
