/**
 * A few lines of source around a position with a caret line under the reported column,
 * in the style of @babel/code-frame (written here to avoid a dependency for 40 lines).
 */

export interface FrameOptions {
  /** Lines shown before and after the reported line. */
  context?: number;
  color?: boolean;
}

const RED = "\u001b[31m";
const DIM = "\u001b[2m";
const RESET = "\u001b[0m";

export function codeFrame(
  source: string,
  span: { line: number; col: number; endLine?: number; endCol?: number },
  options: FrameOptions = {},
): string {
  const lines = source.split(/\r\n|\r|\n/);
  // A trailing newline ends the last line; it does not start a new one, unless the report
  // points there (an error at the end of the file).
  if (lines.length > 1 && lines[lines.length - 1] === "" && span.line < lines.length) lines.pop();
  const line = Math.min(Math.max(span.line, 1), lines.length);
  const context = options.context ?? 2;
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);

  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1] ?? "";
    const gutter = ` ${String(n).padStart(width)} |`;
    if (n === line) {
      out.push(`${paint(RED, ">")}${gutter}${text === "" ? "" : ` ${text}`}`);
      const col = Math.max(1, span.col);
      // Keep tabs so the caret lines up however the terminal expands them.
      const pad = text.slice(0, col - 1).replace(/[^\t]/g, " ");
      const endCol = span.endLine === line && span.endCol !== undefined ? span.endCol : col + 1;
      const length = Math.max(1, Math.min(endCol, text.length + 1) - col);
      out.push(`  ${" ".repeat(width)} | ${pad}${paint(RED, "^".repeat(length))}`);
    } else {
      out.push(paint(DIM, ` ${gutter}${text === "" ? "" : ` ${text}`}`));
    }
  }
  return out.join("\n");
}
