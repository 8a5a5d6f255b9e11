/**
 * Step log lines: reported at once (live views, `weft serve` logs) and written to the store in
 * batches, at most every 50 ms or 500 lines. Logs are best effort: a store that refuses them
 * does not fail the step.
 */
import type { ClaimedStep, LogLine, Store } from "../store/types.js";
import type { StepLogEvent } from "./types.js";

const FLUSH_AFTER_MS = 50;
const FLUSH_AT_LINES = 500;

export class StepLogs {
  private buffer: LogLine[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly emit: (e: StepLogEvent) => void,
  ) {}

  /** A line of a running step, already redacted. */
  add(row: ClaimedStep, level: LogLine["level"], message: string): void {
    this.emit({ runId: row.runId, stepId: row.stepId, item: row.item, attempt: row.attempt, level, message });
    this.buffer.push({
      runId: row.runId,
      rowId: row.rowId,
      attempt: row.attempt,
      ts: Date.now(),
      level,
      message,
    });
    if (this.buffer.length >= FLUSH_AT_LINES) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_AFTER_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const lines = this.buffer;
    this.buffer = [];
    this.store.appendLogs(lines).catch(() => {
      // Best effort, see above.
    });
  }
}
