/** Turns coded errors into Diagnostics that point at a place in the workflow file. */
import type { SourceLocation, WeftError } from "../errors.js";
import type { Diagnostic, LoadedDocument } from "../spec/types.js";

export type DocPath = ReadonlyArray<string | number>;

export interface DiagnosticExtra {
  stepId?: string;
  hint?: string;
  /** Point at the map key naming `path` rather than at its value. */
  atKey?: boolean;
}

export function diagnosticAt(
  doc: LoadedDocument,
  path: DocPath,
  err: WeftError,
  extra: DiagnosticExtra = {},
): Diagnostic {
  const d: Diagnostic = {
    code: err.code,
    severity: "error",
    message: err.message,
    ...spanAt(doc, path, extra.atKey),
  };
  if (extra.stepId !== undefined) d.stepId = extra.stepId;
  if (extra.hint !== undefined) d.hint = extra.hint;
  return d;
}

/** Where `path` is in the document (its key with `atKey`), as diagnostic fields. */
export function spanAt(
  doc: LoadedDocument,
  path: DocPath,
  atKey = false,
): Pick<Diagnostic, "file" | "line" | "col" | "endLine" | "endCol" | "path"> {
  const pos = atKey ? doc.positions.keyAt(path) : doc.positions.valueAt(path);
  return {
    file: doc.file,
    line: pos.line,
    col: pos.col,
    endLine: pos.endLine,
    endCol: pos.endCol,
    path: path.join("."),
  };
}

export function locationOf(doc: LoadedDocument, path: DocPath, atKey = false): SourceLocation {
  const pos = atKey ? doc.positions.keyAt(path) : doc.positions.valueAt(path);
  return { file: doc.file, line: pos.line, col: pos.col };
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}
