/**
 * Renders diagnostics for people (text with code frames), tools (stable JSON) and GitHub
 * Actions (workflow commands that become annotations on the pull request).
 */
import { codeFrame } from "./code-frame.js";
import type { Diagnostic } from "./types.js";

export interface FormatOptions {
  format: "text" | "json" | "github";
  color: boolean;
  /** Source text by file name; text output shows a code frame when the file is here. */
  sources?: Map<string, string>;
}

export function formatDiagnostics(diags: Diagnostic[], opts: FormatOptions): string {
  switch (opts.format) {
    case "json":
      return formatJson(diags);
    case "github":
      return diags.map(formatGithub).join("\n");
    default:
      return diags.map((d) => formatText(d, opts)).join("\n\n");
  }
}

const STYLE = {
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  cyan: "\u001b[36m",
  bold: "\u001b[1m",
  dim: "\u001b[2m",
  reset: "\u001b[0m",
};

function formatText(d: Diagnostic, opts: FormatOptions): string {
  const paint = (style: string, text: string) => (opts.color ? `${style}${text}${STYLE.reset}` : text);
  const severity = paint(
    d.severity === "error" ? STYLE.red + STYLE.bold : STYLE.yellow + STYLE.bold,
    d.severity,
  );
  const lines = [
    `${paint(STYLE.bold, `${d.file}:${d.line}:${d.col}`)} ${severity} ${paint(STYLE.dim, d.code)} ${d.message}`,
  ];
  if (d.hint) lines.push(`  ${paint(STYLE.cyan, "hint:")} ${d.hint}`);
  const source = opts.sources?.get(d.file);
  if (source !== undefined && d.line >= 1) {
    const span: { line: number; col: number; endLine?: number; endCol?: number } = {
      line: d.line,
      col: d.col,
    };
    if (d.endLine !== undefined) span.endLine = d.endLine;
    if (d.endCol !== undefined) span.endCol = d.endCol;
    lines.push(codeFrame(source, span, { color: opts.color }));
  }
  return lines.join("\n");
}

/** Fixed key order so the output diffs cleanly and tools can rely on it. */
const JSON_KEYS = [
  "file",
  "line",
  "col",
  "endLine",
  "endCol",
  "severity",
  "code",
  "message",
  "hint",
  "path",
  "stepId",
] as const satisfies ReadonlyArray<keyof Diagnostic>;

/** A diagnostic as a plain object with its present fields in the fixed order. */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const key of JSON_KEYS) if (d[key] !== undefined) row[key] = d[key];
  return row;
}

function formatJson(diags: Diagnostic[]): string {
  return JSON.stringify(diags.map(diagnosticJson), null, 2);
}

/** Message data escapes `%`, CR and LF; property values also escape `:` and `,`. */
export function escapeGithubData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function formatGithub(d: Diagnostic): string {
  const props = [`file=${escapeGithubProperty(d.file)}`, `line=${d.line}`, `col=${d.col}`];
  if (d.endLine !== undefined && d.endLine !== d.line) props.push(`endLine=${d.endLine}`);
  else if (d.endCol !== undefined && d.endCol > d.col) props.push(`endColumn=${d.endCol}`);
  props.push(`title=${escapeGithubProperty(d.code)}`);
  const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
  return `::${d.severity} ${props.join(",")}::${escapeGithubData(message)}`;
}
