/**
 * Validation of a loaded workflow: the published JSON Schema first (explained, positioned),
 * then the checks that need the step registry or cross-references. A spec is returned only
 * when no error was found; warnings do not block.
 */
import type { StepTypeLookup } from "../plugin/registry.js";
import { sortDiagnostics } from "./diagnostics.js";
import { explainErrors } from "./explain.js";
import { validateWorkflowSchema } from "./schema.js";
import { checkSemantics } from "./semantics.js";
import type { Diagnostic, LoadedDocument, WorkflowSpec } from "./types.js";

export interface ValidationResult {
  spec?: WorkflowSpec;
  diagnostics: Diagnostic[];
}

export function validateWorkflow(doc: LoadedDocument, types: StepTypeLookup): ValidationResult {
  const diagnostics: Diagnostic[] = [];
  if (!validateWorkflowSchema(doc.data)) {
    // Read at once: a compiled Ajv function keeps only its latest call's errors.
    const errors = validateWorkflowSchema.errors ?? [];
    diagnostics.push(...explainErrors(errors, { positions: doc.positions, base: [], data: doc.data }));
  }
  diagnostics.push(...checkSemantics(doc.data, doc.positions, types));
  const sorted = sortDiagnostics(diagnostics);
  if (sorted.some((d) => d.severity === "error")) return { diagnostics: sorted };
  return { spec: doc.data as WorkflowSpec, diagnostics: sorted };
}
