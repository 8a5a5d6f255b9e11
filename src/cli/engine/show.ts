/** What `weft runs show` and `weft run --json` print about a run. */

import { type StepView, stepView } from "../../server/views.js";
import type { LogLine, RunRecord, Store } from "../../store/types.js";
import type { Paint } from "../output.js";
import { formatMs } from "./live-view.js";

export interface RunDetails {
  run: RunRecord;
  steps: StepView[];
  attempts: Awaited<ReturnType<Store["listAttempts"]>>;
  logs?: LogLine[];
}

export async function runDetails(
  store: Store,
  runId: string,
  withLogs = false,
): Promise<RunDetails | undefined> {
  const run = await store.getRun(runId);
  if (!run) return undefined;
  const rows = await store.listSteps(runId);
  const details: RunDetails = {
    run,
    steps: rows.map(stepView),
    attempts: await store.listAttempts(runId),
  };
  if (withLogs) details.logs = await store.listLogs(runId);
  return details;
}

export function formatRunDetails(d: RunDetails, p: Paint, rowLabels: Map<number, string>): string {
  const r = d.run;
  const out = [
    p.bold(`run ${r.id}`),
    `  workflow   ${r.workflow} (version ${r.versionId})`,
    `  status     ${r.status}${r.error ? ` — ${r.error.message}` : ""}`,
    `  trigger    ${r.trigger.kind}`,
    `  inputs     ${JSON.stringify(r.inputs)}`,
    `  created    ${new Date(r.createdAt).toISOString()}`,
  ];
  if (r.idempotencyKey) out.push(`  key        ${r.idempotencyKey}`);
  out.push("", p.bold("steps"));
  for (const s of d.steps) {
    const label = s.item !== undefined ? `${s.id}[${s.item}]` : s.id;
    const dur = s.durationMs !== null ? formatMs(s.durationMs) : "";
    const err =
      s.error && typeof s.error === "object" ? ` — ${(s.error as { message?: string }).message ?? ""}` : "";
    out.push(`  ${label.padEnd(24)} ${s.status.padEnd(10)} attempt ${s.attempt}  ${dur}${err}`);
  }
  if (d.logs) {
    out.push("", p.bold("logs"));
    for (const l of d.logs) {
      out.push(
        `  ${new Date(l.ts).toISOString()} ${(rowLabels.get(l.rowId) ?? "?").padEnd(16)} ${l.level.padEnd(5)} ${l.message}`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}
