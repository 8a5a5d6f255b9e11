/** The plan for people in a terminal, shaped like `terraform plan`: + added, - removed, ~ changed. */
import type { PlanReport, TriggerView, WorkflowChange } from "../types.js";
import {
  changeSummary,
  fileLabel,
  type Painter,
  planSummary,
  shortCommit,
  triggerLabel,
} from "./describe.js";
import { findingsText } from "./findings.js";

const SIGN = { added: "+", removed: "-", changed: "~", renamed: ">" } as const;

export function planText(r: PlanReport, p: Painter, sources?: Map<string, string>): string {
  const lines: string[] = [];
  lines.push(
    p.bold(
      `weft plan: ${r.dir}/ at ${shortCommit(r.base.commit)} (${r.base.ref}) → ${shortCommit(r.head.commit)} (${r.head.ref})`,
    ),
  );
  lines.push("");
  if (r.workflows.length === 0) lines.push(p.dim("No workflow changes."));
  for (const w of r.workflows) workflowText(w, p, lines);
  for (const note of r.notes) lines.push(p.dim(`note: ${note}`));
  if (lines[lines.length - 1] !== "") lines.push("");
  if (r.findings.length > 0) {
    lines.push(p.bold("Findings on head:"));
    lines.push(findingsText(r.findings, { color: p.enabled, ...(sources ? { sources } : {}) }));
  }
  if (r.findings.length > 0) lines.push("");
  lines.push(r.valid ? p.green(planSummary(r)) : p.red(planSummary(r)));
  return `${lines.join("\n")}\n`;
}

function colour(p: Painter, sign: string): (s: string) => string {
  return sign === "+" ? p.green : sign === "-" ? p.red : p.yellow;
}

function workflowText(w: WorkflowChange, p: Painter, lines: string[]): void {
  const sign = SIGN[w.status];
  const head = `${sign} ${p.bold(w.name)}  ${p.dim(fileLabel(w))}  ${w.status}${w.status === "renamed" ? " (same content)" : ""}`;
  lines.push(colour(p, sign)(head));
  if (!w.headValid) lines.push(p.red("    head does not compile: changes read from the raw YAML"));
  const summary = changeSummary(w);
  if (summary !== "") lines.push(p.dim(`    ${summary}`));
  for (const s of w.steps.added) lines.push(p.green(`    + step ${stepName(s)} (${s.uses})`));
  for (const s of w.steps.removed) lines.push(p.red(`    - step ${stepName(s)} (${s.uses})`));
  for (const s of w.steps.changed) {
    lines.push(p.yellow(`    ~ step ${stepName(s)} (${s.uses})`));
    for (const f of s.fields)
      lines.push(`        ${f.field}: ${f.before ?? "(unset)"} → ${f.after ?? "(unset)"}`);
  }
  for (const e of w.edges.added) lines.push(p.green(`    + edge ${e.from} → ${e.to}`));
  for (const e of w.edges.removed) lines.push(p.red(`    - edge ${e.from} → ${e.to}`));
  if (w.triggers) {
    lines.push(p.yellow("    ~ triggers"));
    triggerBlock("before", w.triggers.before, lines);
    triggerBlock("after", w.triggers.after, lines);
  }
  if (w.concurrency) {
    lines.push(
      p.yellow(`    ~ concurrency: ${w.concurrency.before ?? "(none)"} → ${w.concurrency.after ?? "(none)"}`),
    );
  }
  if (w.newSecrets.length > 0) lines.push(p.cyan(`    ! new secrets: ${w.newSecrets.join(", ")}`));
  lines.push("");
}

function triggerBlock(label: string, triggers: TriggerView[], lines: string[]): void {
  if (triggers.length === 0) {
    lines.push(`        ${label}: none`);
    return;
  }
  lines.push(`        ${label}:`);
  for (const t of triggers) {
    lines.push(`          ${triggerLabel(t)}`);
    if (t.nextFires && t.nextFires.length > 0) lines.push(`            next: ${t.nextFires.join(", ")}`);
  }
}

function stepName(s: { id: string; group: string }): string {
  return s.group === "onFailure" ? `onFailure.${s.id}` : s.id;
}
