// The spec area's surface for the rest of Weft, re-exported by name.
export { codeFrame } from "./code-frame.js";
export {
  diagnostic,
  diagnosticAt,
  fileDiagnostic,
  formatPath,
  SpecError,
  sortDiagnostics,
  stepIdOf,
} from "./diagnostics.js";
export { DurationError, formatDuration, MAX_DURATION_MS, parseDuration } from "./duration.js";
export { escapeGithubData, escapeGithubProperty, type FormatOptions, formatDiagnostics } from "./format.js";
export { LOAD_LIMITS, type LoadResult, loadDocument } from "./load.js";
export { validateWorkflowSchema, WORKFLOW_SCHEMA_PATH, workflowSchema } from "./schema.js";
export { compileInputSchema, isSingleExpression } from "./step-inputs.js";
export { didYouMean, editDistance, suggest } from "./suggest.js";
export type {
  Diagnostic,
  InputSpec,
  InputType,
  LoadedDocument,
  PositionMap,
  RetrySpec,
  ScheduleSpec,
  Severity,
  StepSpec,
  WorkflowSpec,
} from "./types.js";
export { type ValidationResult, validateWorkflow } from "./validate.js";
export {
  type LoadWorkflowResult,
  loadWorkflow,
  loadWorkflowFile,
  readWorkflowSource,
} from "./workflow-file.js";
