/**
 * Decides what one commit deploys: every workflow file must load, validate and compile, and
 * names must be unique across files; any error-level diagnostic fails the whole commit.
 * Pure over its inputs (file texts and step types), so it is tested without Git.
 */
import { byCodePoint } from "../compile/compile.js";
import { checkUniqueNames, compileSource } from "../compile/load.js";
import type { CompiledWorkflow } from "../compile/types.js";
import type { StepTypeLookup } from "../plugin/registry.js";
import { fileDiagnostic, sortDiagnostics } from "../spec/diagnostics.js";
import type { Diagnostic, LoadedDocument } from "../spec/types.js";
import type { ActiveWorkflow, NewVersion } from "../store/types.js";
import type { CommitFile } from "./commit-files.js";
import { SyncError } from "./errors.js";

export interface CommitBuild {
  /** Every workflow of the commit; meaningful only when `ok`. */
  versions: NewVersion[];
  /** Errors and warnings of every file, sorted by file and position. */
  diagnostics: Diagnostic[];
  ok: boolean;
}

interface Compiled {
  file: string;
  source: string;
  doc?: LoadedDocument;
  plan?: CompiledWorkflow;
  diagnostics: Diagnostic[];
}

export function buildCommit(
  files: ReadonlyArray<CommitFile>,
  types: StepTypeLookup,
  opts: { commit: string; workflowsDir: string; now?: Date },
): CommitBuild {
  const compiled = files.map((f) => compileFile(f, types, opts.now ?? new Date()));
  checkUniqueNames(compiled);
  const diagnostics = sortDiagnostics(compiled.flatMap((c) => c.diagnostics));
  const ok = !diagnostics.some((d) => d.severity === "error") && compiled.every((c) => c.plan);
  if (ok && compiled.length === 0) {
    const dir = opts.workflowsDir === "" ? "." : opts.workflowsDir;
    const warning = fileDiagnostic(dir, SyncError.noWorkflows({ dir }));
    warning.severity = "warning";
    diagnostics.push(warning);
  }
  const versions: NewVersion[] = [];
  if (ok) {
    for (const c of compiled) {
      const plan = c.plan as CompiledWorkflow;
      // A version is a workflow at a commit, not just its text: runs use the commit's files
      // (scripts beside the workflow) as their workspace, so a commit that changes only a
      // script deploys new versions too.
      versions.push({
        workflow: plan.name,
        hash: `${plan.hash}@${opts.commit}`,
        plan,
        source: c.source,
        commit: opts.commit,
      });
    }
    versions.sort((a, b) => byCodePoint(a.workflow, b.workflow));
  }
  return { versions, diagnostics, ok };
}

/** A build that failed before any file was compiled (step types of the commit not loadable). */
export function failedBuild(err: unknown): CommitBuild {
  const location = (err as { location?: { file: string; line: number; col: number } }).location;
  const detail = err instanceof Error ? err.message : String(err);
  const d = fileDiagnostic(location?.file ?? "plugins", SyncError.plugins({ detail }));
  if (location) {
    d.line = location.line;
    d.col = location.col;
  }
  return { versions: [], diagnostics: [d], ok: false };
}

/** True when deploying `versions` would leave the active set exactly as it is. */
export function sameAsActive(
  versions: ReadonlyArray<NewVersion>,
  active: ReadonlyArray<ActiveWorkflow>,
): boolean {
  if (versions.length !== active.length) return false;
  const current = new Map(active.map((a) => [a.workflow, a.version]));
  return versions.every((v) => {
    const a = current.get(v.workflow);
    // The file name matters too: a renamed file reports errors and locations under its new name.
    return a !== undefined && a.hash === v.hash && a.plan.file === v.plan.file;
  });
}

function compileFile(file: CommitFile, types: StepTypeLookup, now: Date): Compiled {
  if (file.source === undefined) {
    return { file: file.path, source: "", diagnostics: file.diagnostic ? [file.diagnostic] : [] };
  }
  return compileSource(file.source, file.path, types, { now });
}
