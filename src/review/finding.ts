/** Builds positioned lint findings and orders findings the same way everywhere. */
import { type DocPath, spanAt } from "../compile/report.js";
import type { LoadedDocument, Severity } from "../spec/types.js";
import type { Finding } from "./types.js";

export interface FindingArgs {
  code: string;
  severity: Severity;
  message: string;
  hint?: string;
  stepId?: string;
  /** Point at the map key naming `path` (a step's id) rather than at its value. */
  atKey?: boolean;
}

export function findingAt(doc: LoadedDocument, path: DocPath, args: FindingArgs): Finding {
  const f: Finding = {
    code: args.code,
    severity: args.severity,
    message: args.message,
    ...spanAt(doc, path, args.atKey),
  };
  if (args.hint !== undefined) f.hint = args.hint;
  if (args.stepId !== undefined) f.stepId = args.stepId;
  return f;
}

/** By file, position, then code and message, so every output lists findings identically. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    a.col - b.col ||
    cmp(a.code, b.code) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
