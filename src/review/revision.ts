/**
 * The workflows of one revision: the files of `dir` at a commit, read from Git objects, then
 * loaded, validated and compiled exactly as `weft validate` does with files on disk.
 */
import { byCodePoint, type CompileOptions } from "../compile/compile.js";
import { checkUniqueNames, compileSource, type LoadedWorkflow } from "../compile/load.js";
import type { StepTypeLookup } from "../plugin/registry.js";
import { fileDiagnostic, SpecError } from "../spec/diagnostics.js";
import { LOAD_LIMITS } from "../spec/load.js";
import type { Diagnostic } from "../spec/types.js";
import { listTree, readBlobs } from "./git.js";

/** A workflow file at a revision: its text, or why it could not be read. */
export interface RevisionFile {
  path: string;
  oid: string;
  source?: string;
  problem?: Diagnostic;
}

export interface RevisionWorkflow extends LoadedWorkflow {
  /** Git blob id: equal ids mean byte-identical files. */
  oid: string;
}

const WORKFLOW_FILE = /\.ya?ml$/;
const TEST_FILE = /\.test\.ya?ml$/;
const SYMLINK_MODE = "120000";

export async function readWorkflowFiles(cwd: string, commit: string, dir: string): Promise<RevisionFile[]> {
  const entries = (await listTree(cwd, commit, dir)).filter((e) => {
    const name = e.path.slice(e.path.lastIndexOf("/") + 1);
    return e.type === "blob" && WORKFLOW_FILE.test(name) && !TEST_FILE.test(name);
  });
  const wanted = entries.filter((e) => e.mode !== SYMLINK_MODE && e.size <= LOAD_LIMITS.maxBytes);
  const blobs = await readBlobs(
    cwd,
    wanted.map((e) => e.oid),
  );
  return entries.map((e): RevisionFile => {
    const file = { path: e.path, oid: e.oid };
    if (e.mode === SYMLINK_MODE) {
      const reason = "it is a symbolic link in Git; commit the workflow file itself";
      return { ...file, problem: fileDiagnostic(e.path, SpecError.fileUnreadable({ reason })) };
    }
    if (e.size > LOAD_LIMITS.maxBytes) {
      const err = SpecError.fileTooLarge({ size: e.size, limit: LOAD_LIMITS.maxBytes });
      return { ...file, problem: fileDiagnostic(e.path, err) };
    }
    const bytes = blobs.get(e.oid);
    if (!bytes) {
      const reason = "the blob is missing from the repository";
      return { ...file, problem: fileDiagnostic(e.path, SpecError.fileUnreadable({ reason })) };
    }
    try {
      return { ...file, source: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
    } catch {
      return { ...file, problem: fileDiagnostic(e.path, SpecError.fileEncoding()) };
    }
  });
}

/** Loads and compiles each file; a name used twice keeps only the first file's plan. */
export function loadRevision(
  files: ReadonlyArray<RevisionFile>,
  types: StepTypeLookup,
  opts: CompileOptions = {},
): RevisionWorkflow[] {
  const results = files.map((f) => loadOne(f, types, opts));
  checkUniqueNames(results);
  return results.sort((a, b) => byCodePoint(a.file, b.file));
}

function loadOne(f: RevisionFile, types: StepTypeLookup, opts: CompileOptions): RevisionWorkflow {
  if (f.source === undefined) {
    return { file: f.path, oid: f.oid, source: "", diagnostics: f.problem ? [f.problem] : [] };
  }
  return { ...compileSource(f.source, f.path, types, opts), oid: f.oid };
}
