/**
 * Entry points for callers: source text (a Git tree, a test) or a path on disk → a validated
 * WorkflowSpec, or diagnostics saying why not. Files larger than the limit are refused from
 * their size alone, without reading them.
 */
import { open } from "node:fs/promises";
import type { StepTypeLookup } from "../plugin/registry.js";
import { fileDiagnostic, SpecError } from "./diagnostics.js";
import { LOAD_LIMITS, loadDocument } from "./load.js";
import type { Diagnostic, LoadedDocument, WorkflowSpec } from "./types.js";
import { validateWorkflow } from "./validate.js";

export interface LoadWorkflowResult {
  doc?: LoadedDocument;
  spec?: WorkflowSpec;
  diagnostics: Diagnostic[];
  /** The text that was parsed (for code frames); absent when the file could not be read. */
  source?: string;
}

export function loadWorkflow(source: string, file: string, types: StepTypeLookup): LoadWorkflowResult {
  const loaded = loadDocument(source, file);
  if (!loaded.doc) return { diagnostics: loaded.diagnostics, source };
  const validated = validateWorkflow(loaded.doc, types);
  const diagnostics = [...loaded.diagnostics, ...validated.diagnostics];
  const result: LoadWorkflowResult = { doc: loaded.doc, diagnostics, source };
  if (validated.spec) result.spec = validated.spec;
  return result;
}

/** Reads and validates one file; never throws for problems with the file itself. */
export async function loadWorkflowFile(path: string, types: StepTypeLookup): Promise<LoadWorkflowResult> {
  const read = await readWorkflowSource(path);
  if ("diagnostic" in read) return { diagnostics: [read.diagnostic] };
  return loadWorkflow(read.source, path, types);
}

/** Reads a workflow file as UTF-8, refusing non-files and files over the size limit up front. */
export async function readWorkflowSource(
  path: string,
): Promise<{ source: string } | { diagnostic: Diagnostic }> {
  const limit = LOAD_LIMITS.maxBytes;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    const stat = await handle.stat();
    if (!stat.isFile()) {
      return {
        diagnostic: fileDiagnostic(path, SpecError.fileUnreadable({ reason: "it is not a regular file" })),
      };
    }
    if (stat.size > limit) {
      return { diagnostic: fileDiagnostic(path, SpecError.fileTooLarge({ size: stat.size, limit })) };
    }
    // Read one byte past the limit in case the file grew after stat.
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > limit) {
        return { diagnostic: fileDiagnostic(path, SpecError.fileTooLarge({ size: length, limit })) };
      }
    }
    try {
      return { source: new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, length)) };
    } catch {
      return { diagnostic: fileDiagnostic(path, SpecError.fileEncoding()) };
    }
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    return { diagnostic: fileDiagnostic(path, SpecError.fileUnreadable({ reason })) };
  } finally {
    await handle?.close();
  }
}
