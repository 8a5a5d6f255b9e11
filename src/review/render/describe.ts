/** Wording shared by the text, Markdown and annotation renderers. */
import type { PlanReport, TriggerView, WorkflowChange } from "../types.js";

export function shortCommit(commit: string): string {
  return commit.slice(0, 7);
}

export function triggerLabel(t: TriggerView): string {
  if (t.kind === "schedule") {
    const catchup = t.catchup && t.catchup !== "none" ? `, catch-up ${t.catchup}` : "";
    return `schedule "${t.cron}" in ${t.timezone ?? "UTC"}${catchup}`;
  }
  if (t.kind === "webhook") return `webhook signed with secret ${t.secret}`;
  return "manual";
}

export function n(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** "2 steps added, 1 changed; 1 edge added; triggers changed" — empty for a pure rename. */
export function changeSummary(w: WorkflowChange): string {
  const parts: string[] = [];
  const counted = (noun: string, counts: Array<[number, string]>) => {
    const present = counts.filter(([c]) => c > 0);
    if (present.length === 0) return;
    const [[first, verb], ...rest] = present as [[number, string], ...Array<[number, string]>];
    parts.push([`${n(first, noun)} ${verb}`, ...rest.map(([c, v]) => `${c} ${v}`)].join(", "));
  };
  counted("step", [
    [w.steps.added.length, "added"],
    [w.steps.removed.length, "removed"],
    [w.steps.changed.length, "changed"],
  ]);
  counted("edge", [
    [w.edges.added.length, "added"],
    [w.edges.removed.length, "removed"],
  ]);
  if (w.triggers) parts.push("triggers changed");
  if (w.concurrency) parts.push("concurrency changed");
  if (w.newSecrets.length > 0) parts.push(`new secrets: ${w.newSecrets.join(", ")}`);
  return parts.join("; ");
}

export function fileLabel(w: WorkflowChange): string {
  const { base, head } = w.file;
  if (base && head && base !== head) return `${base} → ${head}`;
  return head ?? base ?? "";
}

export function planSummary(r: PlanReport): string {
  const s = r.summary;
  const changes = [
    `${s.added} added`,
    `${s.changed} changed`,
    `${s.renamed} renamed`,
    `${s.removed} removed`,
    `${s.unchanged} unchanged`,
  ].join(", ");
  const found = [n(s.errors, "error"), n(s.warnings, "warning")];
  if (s.silenced > 0) found.push(`${s.silenced} silenced`);
  const verdict = r.valid ? "head is valid" : "head is NOT valid";
  return `Plan: ${changes}. Findings: ${found.join(", ")}; ${verdict}.`;
}

/** Colour functions (the CLI passes its own; structurally the same as its Paint). */
export interface Painter {
  enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}
