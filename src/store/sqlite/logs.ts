import type { LogLine } from "../types.js";
import type { Statements } from "./statements.js";

/** Lines kept per step row; the rest is dropped with one marker line. */
export const MAX_LOG_LINES_PER_STEP = 2000;
const MAX_LOG_LINE_CHARS = 8192;

/** Appends log lines inside the caller's transaction, bounded per step row. */
export function insertLogLines(s: Statements, lines: LogLine[]): void {
  const counts = new Map<number, number>();
  for (const l of lines) {
    let n = counts.get(l.rowId);
    if (n === undefined) n = (s.countLogs.get(l.rowId) as { n: number }).n;
    if (n < MAX_LOG_LINES_PER_STEP) {
      const msg =
        l.message.length > MAX_LOG_LINE_CHARS ? `${l.message.slice(0, MAX_LOG_LINE_CHARS)}…` : l.message;
      s.insertLog.run(l.runId, l.rowId, l.attempt, l.ts, l.level, msg);
    } else if (n === MAX_LOG_LINES_PER_STEP) {
      s.insertLog.run(
        l.runId,
        l.rowId,
        l.attempt,
        l.ts,
        "warn",
        `[weft] log limit of ${MAX_LOG_LINES_PER_STEP} lines reached; further lines of this step are dropped`,
      );
    }
    counts.set(l.rowId, n + 1);
  }
}
