/**
 * The live view of a run on a terminal: a header with counts, then the steps worth looking
 * at (running, retrying, failed, then the latest finished), cut to the terminal's height so
 * it stays readable for hundreds of steps. Redrawn at most ten times a second.
 */
import type { StepEvent } from "../../engine/types.js";
import type { OutStream, Paint } from "../output.js";

interface Row {
  label: string;
  status: StepEvent["status"];
  attempt: number;
  startedAt: number;
  durationMs?: number;
  note?: string;
  order: number;
}

const ICON: Record<string, string> = {
  running: "▶",
  retrying: "↻",
  succeeded: "✔",
  failed: "✖",
  skipped: "–",
  cancelled: "■",
  pending: "·",
  queued: "·",
};

export class LiveView {
  private readonly rows = new Map<string, Row>();
  private lines = 0;
  private timer: NodeJS.Timeout | undefined;
  private order = 0;

  constructor(
    private readonly out: OutStream & { rows?: number; columns?: number },
    private readonly paint: Paint,
    private readonly title: string,
  ) {}

  update(e: StepEvent): void {
    const label = e.item >= 0 ? `${e.stepId}[${e.item}]` : e.stepId;
    const prev = this.rows.get(label);
    const row: Row = {
      label,
      status: e.status,
      attempt: e.attempt,
      startedAt: e.status === "running" ? Date.now() : (prev?.startedAt ?? Date.now()),
      order: this.order++,
    };
    if (e.durationMs !== undefined) row.durationMs = e.durationMs;
    if (e.error) row.note = e.error.message.split("\n")[0];
    if (e.status === "retrying" && e.retryAt)
      row.note = `retry at ${new Date(e.retryAt).toLocaleTimeString()}: ${row.note ?? ""}`;
    this.rows.set(label, row);
    if (!this.timer) this.timer = setTimeout(() => this.draw(), 100);
  }

  draw(): void {
    this.timer = undefined;
    const p = this.paint;
    const height = Math.max(5, (this.out.rows ?? 24) - 2);
    const width = Math.max(40, this.out.columns ?? 100);
    const counts = new Map<string, number>();
    for (const r of this.rows.values()) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    const summary = ["running", "retrying", "succeeded", "failed", "skipped", "cancelled"]
      .filter((s) => counts.get(s))
      .map((s) => `${counts.get(s)} ${s}`)
      .join(", ");
    const rank = (r: Row) => ({ running: 0, retrying: 1, failed: 2 })[r.status as string] ?? 3;
    const shown = [...this.rows.values()]
      .sort((a, b) => rank(a) - rank(b) || b.order - a.order)
      .slice(0, height - 1);
    const out = [p.bold(`${this.title}  ${summary}`)];
    for (const r of shown) {
      const elapsed = r.durationMs ?? Date.now() - r.startedAt;
      const colour =
        r.status === "failed"
          ? p.red
          : r.status === "succeeded"
            ? p.green
            : r.status === "running"
              ? p.cyan
              : p.yellow;
      const attempt = r.attempt > 1 ? ` (attempt ${r.attempt})` : "";
      const text = `${ICON[r.status] ?? "?"} ${r.label}${attempt}  ${formatMs(elapsed)}${r.note ? `  ${r.note}` : ""}`;
      out.push(colour(text.length > width ? `${text.slice(0, width - 1)}…` : text));
    }
    if (this.rows.size > shown.length) out.push(p.dim(`… ${this.rows.size - shown.length} more steps`));
    const clear = this.lines > 0 ? `\u001b[${this.lines}F\u001b[0J` : "";
    this.out.write(`${clear}${out.join("\n")}\n`);
    this.lines = out.length;
  }

  finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.draw();
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
