/** `weft check`: what `weft validate` reports, plus the lints, for files on disk. */
import { loadAndCompile } from "../compile/load.js";
import { compareFindings } from "./finding.js";
import { hasBlockingFinding, type LintOptions, lintWorkflow } from "./lints/index.js";
import type { Finding } from "./types.js";

export interface CheckedWorkflow {
  file: string;
  name: string | null;
  /** Loaded, compiled and free of unsilenced errors. */
  valid: boolean;
  findings: Finding[];
}

export interface CheckReport {
  version: 1;
  valid: boolean;
  summary: { workflows: number; invalid: number; errors: number; warnings: number; silenced: number };
  workflows: CheckedWorkflow[];
  /** Source text by file, for code frames (not part of the JSON output). */
  sources: Map<string, string>;
}

/** Throws WEFT_COMPILE_PATH_NOT_FOUND for a path that does not exist. */
export function runCheck(paths: ReadonlyArray<string>, opts: LintOptions): CheckReport {
  const loaded = loadAndCompile(paths, opts.types, { now: opts.now });
  const workflows = loaded.map((w): CheckedWorkflow => {
    const findings = [...w.diagnostics, ...lintWorkflow(w, opts)].sort(compareFindings);
    return {
      file: w.file,
      name: w.plan?.name ?? null,
      valid: !!w.plan && !hasBlockingFinding(findings),
      findings,
    };
  });
  const all = workflows.flatMap((w) => w.findings);
  return {
    version: 1,
    valid: workflows.every((w) => w.valid),
    summary: {
      workflows: workflows.length,
      invalid: workflows.filter((w) => !w.valid).length,
      ...countFindings(all),
    },
    workflows,
    sources: new Map(loaded.map((w) => [w.file, w.source])),
  };
}

export function countFindings(findings: ReadonlyArray<Finding>): {
  errors: number;
  warnings: number;
  silenced: number;
} {
  let errors = 0;
  let warnings = 0;
  let silenced = 0;
  for (const f of findings) {
    if (f.silenced) silenced++;
    else if (f.severity === "error") errors++;
    else warnings++;
  }
  return { errors, warnings, silenced };
}
