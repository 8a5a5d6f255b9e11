/**
 * GitHub Actions workflow commands: a notice per changed workflow, an annotation per finding
 * (error, warning, or notice when silenced), then a one-line summary.
 */
import { escapeGithubData, escapeGithubProperty } from "../../spec/format.js";
import type { PlanReport } from "../types.js";
import { changeSummary, fileLabel, planSummary } from "./describe.js";
import { findingsGithub } from "./findings.js";

export function planGithub(r: PlanReport): string {
  const lines: string[] = [];
  for (const w of r.workflows) {
    const file = w.file.head ?? w.file.base ?? "";
    const title = `weft plan: ${w.name} ${w.status}`;
    const detail = changeSummary(w) || fileLabel(w);
    lines.push(
      `::notice file=${escapeGithubProperty(file)},title=${escapeGithubProperty(title)}::${escapeGithubData(detail)}`,
    );
  }
  lines.push(...findingsGithub(r.findings));
  for (const note of r.notes) lines.push(`::notice title=weft plan::${escapeGithubData(note)}`);
  lines.push(planSummary(r));
  return `${lines.join("\n")}\n`;
}
