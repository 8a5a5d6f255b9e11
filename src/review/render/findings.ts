/**
 * Findings in each output format. Unsilenced ones look exactly like `weft validate` output
 * (the spec formatter); silenced ones are one short line each, never an error annotation.
 */
import {
  diagnosticJson,
  escapeGithubData,
  escapeGithubProperty,
  formatDiagnostics,
} from "../../spec/format.js";
import type { Finding } from "../types.js";

export function silenceText(f: Finding): string {
  if (!f.silenced) return "";
  const reason = f.silenced.reason === undefined ? "" : `: ${f.silenced.reason}`;
  return `silenced by weft-ignore on line ${f.silenced.line}${reason}`;
}

export function findingsText(
  findings: ReadonlyArray<Finding>,
  opts: { color: boolean; sources?: Map<string, string> },
): string {
  const open = findings.filter((f) => !f.silenced);
  const quiet = findings.filter((f) => f.silenced);
  const parts: string[] = [];
  if (open.length > 0) {
    const format = {
      format: "text" as const,
      color: opts.color,
      ...(opts.sources ? { sources: opts.sources } : {}),
    };
    parts.push(formatDiagnostics(open, format));
  }
  for (const f of quiet) {
    const dim = (s: string) => (opts.color ? `\u001b[2m${s}\u001b[22m` : s);
    parts.push(dim(`${f.file}:${f.line}:${f.col} ${f.severity} ${f.code} ${f.message} (${silenceText(f)})`));
  }
  return parts.join("\n\n");
}

/** The diagnostic's fields in `weft validate`'s order; `silenced` is `null` when the finding counts. */
export function findingJson(f: Finding): Record<string, unknown> {
  return { ...diagnosticJson(f), silenced: f.silenced ?? null };
}

export function findingsGithub(findings: ReadonlyArray<Finding>): string[] {
  const open = findings.filter((f) => !f.silenced);
  const lines =
    open.length > 0 ? formatDiagnostics(open, { format: "github", color: false }).split("\n") : [];
  for (const f of findings) {
    if (!f.silenced) continue;
    const props = [
      `file=${escapeGithubProperty(f.file)}`,
      `line=${f.line}`,
      `col=${f.col}`,
      `title=${escapeGithubProperty(`${f.code} (silenced)`)}`,
    ];
    lines.push(`::notice ${props.join(",")}::${escapeGithubData(`${f.message}\n${silenceText(f)}`)}`);
  }
  return lines;
}
