/**
 * Files → plans, for the CLI, the reviewer and sync: expand folders to their workflow files,
 * load and validate each, compile the valid ones, and check names are unique across files.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { StepTypeLookup } from "../plugin/registry.js";
import { fileDiagnostic, SpecError, sortDiagnostics } from "../spec/diagnostics.js";
import { LOAD_LIMITS } from "../spec/load.js";
import type { Diagnostic, LoadedDocument } from "../spec/types.js";
import { loadWorkflow } from "../spec/workflow-file.js";
import { byCodePoint, type CompileOptions, compileWorkflow } from "./compile.js";
import { duplicateWorkflowName, pathNotFound } from "./errors.js";
import { diagnosticAt } from "./report.js";
import type { CompiledWorkflow } from "./types.js";

export interface LoadedWorkflow {
  file: string;
  plan?: CompiledWorkflow;
  diagnostics: Diagnostic[];
  source: string;
  /** The parsed document with positions, when the YAML could be read. */
  doc?: LoadedDocument;
}

const WORKFLOW_FILE = /\.ya?ml$/;
export const TEST_FILE = /\.test\.ya?ml$/;

/**
 * Folders become their `*.yaml`/`*.yml` files (not recursive; `*.test.yaml` fixtures left
 * out), sorted; files named directly are kept as given. Throws WEFT_COMPILE_PATH_NOT_FOUND.
 */
export function expandWorkflowPaths(
  paths: ReadonlyArray<string>,
  inFolder: (name: string) => boolean = (name) => WORKFLOW_FILE.test(name) && !TEST_FILE.test(name),
): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw pathNotFound({ path });
    }
    if (!isDir) {
      files.push(path);
      continue;
    }
    const names = readdirSync(path).filter(inFolder).sort(byCodePoint);
    for (const name of names) files.push(join(path, name));
  }
  return files;
}

export function loadAndCompile(
  paths: ReadonlyArray<string>,
  types: StepTypeLookup,
  opts: CompileOptions = {},
): LoadedWorkflow[] {
  const results = expandWorkflowPaths(paths).map((file) => loadAndCompileFile(file, types, opts));
  checkUniqueNames(results);
  return results;
}

export function loadAndCompileFile(
  file: string,
  types: StepTypeLookup,
  opts: CompileOptions = {},
): LoadedWorkflow {
  const read = readSource(file);
  if (typeof read !== "string") return { file, diagnostics: [read], source: "" };
  return compileSource(read, file, types, opts);
}

/**
 * Source text → plan: loads and validates, compiles when that found no error, and sorts the
 * diagnostics. Shared by the CLI (files), the reviewer and sync (Git objects).
 */
export function compileSource(
  source: string,
  file: string,
  types: StepTypeLookup,
  opts: CompileOptions = {},
): LoadedWorkflow {
  const loaded = loadWorkflow(source, file, types);
  const diagnostics = [...loaded.diagnostics];
  const result: LoadedWorkflow = { file, diagnostics, source };
  if (loaded.doc) result.doc = loaded.doc;
  if (loaded.spec && loaded.doc && !diagnostics.some((d) => d.severity === "error")) {
    const compiled = compileWorkflow(loaded.spec, loaded.doc, types, opts);
    diagnostics.push(...compiled.diagnostics);
    if (compiled.plan) result.plan = compiled.plan;
  }
  result.diagnostics = sortDiagnostics(diagnostics);
  return result;
}

/** A workflow name used by two files is an error in the later one, which keeps no plan. */
export function checkUniqueNames<T extends Pick<LoadedWorkflow, "file" | "plan" | "doc" | "diagnostics">>(
  results: T[],
): void {
  const seen = new Map<string, T>();
  for (const r of results) {
    if (!r.plan) continue;
    const first = seen.get(r.plan.name);
    if (!first) {
      seen.set(r.plan.name, r);
      continue;
    }
    const err = duplicateWorkflowName({ name: r.plan.name, other: first.file });
    if (r.doc) r.diagnostics = sortDiagnostics([...r.diagnostics, diagnosticAt(r.doc, ["name"], err)]);
    delete r.plan;
  }
}

/** Synchronous read with the loader's size limit checked from the file size first. */
function readSource(file: string): string | Diagnostic {
  try {
    const stat = statSync(file);
    if (!stat.isFile())
      return fileDiagnostic(file, SpecError.fileUnreadable({ reason: "it is not a regular file" }));
    if (stat.size > LOAD_LIMITS.maxBytes) {
      return fileDiagnostic(file, SpecError.fileTooLarge({ size: stat.size, limit: LOAD_LIMITS.maxBytes }));
    }
    return readFileSync(file, "utf8");
  } catch (err) {
    return fileDiagnostic(file, SpecError.fileUnreadable({ reason: (err as Error).message }));
  }
}
