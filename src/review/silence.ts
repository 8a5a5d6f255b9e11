/**
 * `# weft-ignore: <lint-id>[, <lint-id>…] [-- reason]` comments. Steps cannot carry an extra
 * key (the schema closes them), so silencing is a YAML comment: on a step's key line or in the
 * comment lines right above it (the whole step), or on or right above the line a finding
 * points at. Silenced findings stay in the output, marked, so a reviewer sees them.
 */

import { suggest } from "../spec/suggest.js";
import type { LoadedDocument } from "../spec/types.js";
import type { Finding, Silence } from "./types.js";

export interface IgnoreComment {
  line: number;
  col: number;
  ids: string[];
  reason?: string;
}

const COMMENT = /(^|\s)#\s*weft-ignore:\s*(.*)$/;

/** Ignore comments by 1-based line. A `#` counts only at line start or after a space, as in YAML. */
export function ignoreComments(source: string): Map<number, IgnoreComment> {
  const out = new Map<number, IgnoreComment>();
  source.split(/\r?\n/).forEach((text, i) => {
    const m = COMMENT.exec(text);
    if (!m) return;
    const body = m[2] ?? "";
    const cut = body.indexOf("--");
    const idText = cut >= 0 ? body.slice(0, cut) : body;
    const reason = cut >= 0 ? body.slice(cut + 2).trim() : "";
    const c: IgnoreComment = {
      line: i + 1,
      col: m.index + (m[1] ?? "").length + 1,
      ids: idText.split(/[\s,]+/).filter((s) => s !== ""),
    };
    if (reason !== "") c.reason = reason;
    out.set(i + 1, c);
  });
  return out;
}

/** `line` itself and the run of comment-only lines right above it. */
function linesCovering(line: number, lines: ReadonlyArray<string>): number[] {
  const out = [line];
  for (let l = line - 1; l >= 1 && (lines[l - 1] ?? "").trim().startsWith("#"); l--) out.push(l);
  return out;
}

/**
 * Marks lint findings covered by an ignore comment and reports comments naming no known lint
 * (a typo would otherwise silence nothing without anyone noticing).
 */
export function applySilences(
  findings: Finding[],
  doc: LoadedDocument,
  knownIds: ReadonlyArray<string>,
): Finding[] {
  const source = doc.positions.source;
  const comments = ignoreComments(source);
  if (comments.size === 0) return findings;
  const lines = source.split(/\r?\n/);
  const covering = (line: number, id: string): Silence | undefined => {
    for (const l of linesCovering(line, lines)) {
      const c = comments.get(l);
      if (c?.ids.includes(id)) return c.reason === undefined ? { line: l } : { line: l, reason: c.reason };
    }
    return undefined;
  };
  const out = findings.map((f) => {
    let silence = covering(f.line, f.code);
    const group = f.path?.split(".")[0];
    if (!silence && f.stepId !== undefined && (group === "steps" || group === "onFailure")) {
      silence = covering(doc.positions.keyAt([group, f.stepId]).line, f.code);
    }
    return silence ? { ...f, silenced: silence } : f;
  });
  for (const c of comments.values()) {
    for (const id of c.ids) {
      if (knownIds.includes(id)) continue;
      const near = suggest(id, knownIds);
      out.push({
        code: "weft-ignore",
        severity: "warning",
        message: `\`# weft-ignore: ${id}\` names no lint, so it silences nothing`,
        hint: near === undefined ? `lint ids: ${knownIds.join(", ")}` : `did you mean \`${near}\`?`,
        file: doc.file,
        line: c.line,
        col: c.col,
      });
    }
  }
  return out;
}
