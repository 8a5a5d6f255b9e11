/**
 * The plan as a pull-request comment: a verdict, a summary table, a section per workflow
 * with a Mermaid graph of its DAG, then the findings. GitHub and GitLab render both.
 */
import type { Finding, PlanReport, TriggerView, WorkflowChange } from "../types.js";
import { changeSummary, fileLabel, n, planSummary, shortCommit, triggerLabel } from "./describe.js";
import { silenceText } from "./findings.js";
import { mermaidGraph } from "./mermaid.js";

/** First line of the comment: CI jobs find and update their earlier comment by it. */
export const MARKDOWN_MARKER = "<!-- weft-plan -->";

const ICON = { added: "➕", removed: "➖", changed: "✏️", renamed: "🔀" } as const;

export function planMarkdown(r: PlanReport): string {
  const out: string[] = [MARKDOWN_MARKER, "## Weft plan", ""];
  const verdict = r.valid ? "✅ head is valid" : `❌ head is not valid (${n(r.summary.errors, "error")})`;
  out.push(
    `${code(`${r.dir}/`)} at ${code(shortCommit(r.base.commit))} (${code(r.base.ref)}) → ${code(shortCommit(r.head.commit))} (${code(r.head.ref)}) — ${verdict}`,
    "",
  );
  if (r.workflows.length === 0) out.push("No workflow changes.", "");
  else {
    out.push("| Workflow | Change | What changed | Findings |", "|---|---|---|---|");
    for (const w of r.workflows) {
      const summary = changeSummary(w) || (w.status === "renamed" ? "same content, new file" : "");
      out.push(
        `| ${code(w.name)} | ${ICON[w.status]} ${w.status} | ${cell(summary)} | ${cell(findingCount(r.findings, w.file.head))} |`,
      );
    }
    out.push("");
  }
  for (const w of r.workflows) workflowSection(w, out);
  findingsSection(r.findings, out);
  for (const note of r.notes) out.push(`> **Note:** ${note}`, "");
  out.push(`<sub>${planSummary(r)}</sub>`);
  return `${out.join("\n")}\n`;
}

function workflowSection(w: WorkflowChange, out: string[]): void {
  out.push(`### ${ICON[w.status]} ${code(w.name)} — ${w.status}`, "", `File: ${code(fileLabel(w))}`, "");
  if (!w.headValid)
    out.push("⚠️ The head version does not compile; the changes below are read from the raw YAML.", "");
  if (w.status === "renamed") {
    out.push("Same content under a new file name.", "");
    return;
  }
  const rows: string[] = [];
  for (const s of w.steps.added) rows.push(`| ➕ | ${code(stepName(s))} | ${s.uses} | added |`);
  for (const s of w.steps.removed) rows.push(`| ➖ | ${code(stepName(s))} | ${s.uses} | removed |`);
  for (const s of w.steps.changed) {
    const fields = s.fields.map((f) => `${code(f.field)}: ${value(f.before)} → ${value(f.after)}`);
    rows.push(`| ✏️ | ${code(stepName(s))} | ${s.uses} | ${fields.join("<br>")} |`);
  }
  if (rows.length > 0) out.push("| | Step | Type | Change |", "|---|---|---|---|", ...rows, "");
  const edges = [
    ...w.edges.added.map((e) => `➕ ${code(`${e.from} → ${e.to}`)}`),
    ...w.edges.removed.map((e) => `➖ ${code(`${e.from} → ${e.to}`)}`),
  ];
  if (edges.length > 0) out.push(`**Edges:** ${edges.join(", ")}`, "");
  if (w.triggers) {
    out.push("**Triggers**", "", "| | Trigger | Next fires |", "|---|---|---|");
    triggerRows("before", w.triggers.before, out);
    triggerRows("after", w.triggers.after, out);
    out.push("");
  }
  if (w.concurrency) {
    out.push(`**Concurrency:** ${value(w.concurrency.before)} → ${value(w.concurrency.after)}`, "");
  }
  if (w.newSecrets.length > 0)
    out.push(`**New secrets referenced:** ${w.newSecrets.map(code).join(", ")}`, "");
  if (w.status !== "removed" && w.graph.steps.length > 0) {
    out.push("```mermaid", mermaidGraph(w.graph), "```", "");
  }
}

function triggerRows(label: string, triggers: TriggerView[], out: string[]): void {
  if (triggers.length === 0) out.push(`| ${label} | none | |`);
  for (const t of triggers)
    out.push(`| ${label} | ${cell(triggerLabel(t))} | ${(t.nextFires ?? []).map(code).join("<br>")} |`);
}

function findingsSection(findings: Finding[], out: string[]): void {
  if (findings.length === 0) return;
  out.push(`### Findings on head`, "", "| | Where | Code | Finding |", "|---|---|---|---|");
  for (const f of findings) {
    const icon = f.silenced ? "🔇" : f.severity === "error" ? "❌" : "⚠️";
    const text = [f.message, f.hint ? `hint: ${f.hint}` : "", f.silenced ? `🔇 ${silenceText(f)}` : ""]
      .filter((s) => s !== "")
      .join("<br>");
    out.push(
      `| ${icon} ${f.silenced ? "silenced" : f.severity} | ${code(`${f.file}:${f.line}:${f.col}`)} | ${code(f.code)} | ${cell(text)} |`,
    );
  }
  out.push("");
}

function findingCount(findings: Finding[], file: string | undefined): string {
  if (file === undefined) return "";
  const mine = findings.filter((f) => f.file === file && !f.silenced);
  const errors = mine.filter((f) => f.severity === "error").length;
  const parts = [];
  if (errors > 0) parts.push(`❌ ${n(errors, "error")}`);
  if (mine.length - errors > 0) parts.push(`⚠️ ${n(mine.length - errors, "warning")}`);
  return parts.join(", ") || "✅";
}

function stepName(s: { id: string; group: string }): string {
  return s.group === "onFailure" ? `onFailure.${s.id}` : s.id;
}

function value(v: string | undefined): string {
  return v === undefined ? "_unset_" : code(v);
}

/** Inline code that survives a table cell: `|` escaped, newlines as spaces, backticks fenced. */
function code(text: string): string {
  const flat = text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  const fence = flat.includes("`") ? "``" : "`";
  return `${fence}${fence.length > 1 ? " " : ""}${flat}${fence.length > 1 ? " " : ""}${fence}`;
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, "<br>").replace(/\|/g, "\\|");
}
