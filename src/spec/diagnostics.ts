/**
 * The coded errors of loading and validating workflow files, and the one helper that turns
 * them into positioned Diagnostics. Messages say what is wrong and where; hints say what to do.
 */
import { defineError, type WeftError } from "../errors.js";
import type { Diagnostic, PositionMap, Severity } from "./types.js";

type Factory = ReturnType<typeof defineError>;

export const SpecError = {
  fileTooLarge: defineError(
    "WEFT_SPEC_FILE_TOO_LARGE",
    "the file is {size} bytes; workflow files are limited to {limit} bytes, split it into smaller workflows",
  ),
  fileUnreadable: defineError("WEFT_SPEC_FILE_UNREADABLE", "cannot read the workflow file: {reason}"),
  fileEncoding: defineError("WEFT_SPEC_FILE_ENCODING", "the file is not valid UTF-8; save it as UTF-8"),
  emptyFile: defineError(
    "WEFT_SPEC_EMPTY_FILE",
    "the file is empty; a workflow needs at least `name` and `steps`",
  ),
  yamlSyntax: defineError("WEFT_SPEC_YAML_SYNTAX", "YAML syntax error: {detail}"),
  yamlWarning: defineError("WEFT_SPEC_YAML_WARNING", "YAML warning: {detail}"),
  duplicateKey: defineError(
    "WEFT_SPEC_YAML_DUPLICATE_KEY",
    "duplicate key `{key}`; a key may appear only once in a mapping",
  ),
  aliasLimit: defineError(
    "WEFT_SPEC_YAML_ALIAS_LIMIT",
    "too many alias expansions: aliases are limited to {limit} per file and {nodes} values in total; write the values out instead",
  ),
  aliasUnknown: defineError(
    "WEFT_SPEC_YAML_ALIAS_UNKNOWN",
    "alias `*{name}` refers to no anchor `&{name}` defined before it",
  ),
  aliasCycle: defineError(
    "WEFT_SPEC_YAML_ALIAS_CYCLE",
    "alias `*{name}` refers to a value that contains the alias itself",
  ),
  multiDocument: defineError(
    "WEFT_SPEC_YAML_MULTI_DOC",
    "the file holds more than one YAML document (`---`); put each workflow in its own file",
  ),
  tag: defineError(
    "WEFT_SPEC_YAML_TAG",
    "tag `{tag}` is not allowed; workflow files are plain YAML 1.2 (core schema), remove the tag",
  ),
  depth: defineError(
    "WEFT_SPEC_YAML_DEPTH",
    "values are nested more than {limit} levels deep; flatten the structure",
  ),
  tooManyValues: defineError("WEFT_SPEC_YAML_SIZE", "the file holds more than {limit} values; split it up"),
  complexKey: defineError(
    "WEFT_SPEC_YAML_KEY",
    "mapping keys must be plain strings or numbers, not {kind}; quote the key",
  ),
  yamlVersion: defineError(
    "WEFT_SPEC_YAML_VERSION",
    "`%YAML {version}` is not supported; workflow files are YAML 1.2, remove the directive",
  ),
  nonFinite: defineError(
    "WEFT_SPEC_YAML_NUMBER",
    "`{text}` is not a finite number; quote it if you meant a string",
  ),
  unknownKey: defineError("WEFT_SPEC_UNKNOWN_KEY", "unknown key `{key}` {where}{suggestion}"),
  missingKey: defineError("WEFT_SPEC_MISSING_KEY", "{subject} is missing required key `{key}`"),
  wrongType: defineError("WEFT_SPEC_TYPE", "{subject} must be {expected}, got {actual}"),
  invalidValue: defineError("WEFT_SPEC_INVALID_VALUE", "{subject} {problem}"),
  badDuration: defineError("WEFT_SPEC_BAD_DURATION", "{subject} is not a valid duration: {detail}"),
  badTimezone: defineError("WEFT_SPEC_BAD_TIMEZONE", "unknown time zone `{zone}` {where}{suggestion}"),
  unknownStepType: defineError(
    "WEFT_SPEC_UNKNOWN_STEP_TYPE",
    "unknown step type `{type}` in step `{step}`{suggestion}",
  ),
  stepSchema: defineError(
    "WEFT_SPEC_STEP_SCHEMA",
    "step type `{type}` (from {source}) has an input schema that does not compile: {detail}",
  ),
  templateInLiteral: defineError(
    "WEFT_SPEC_TEMPLATE_IN_LITERAL",
    "`with.{field}` of step `{step}` ({type}) is used literally and must not contain `{{`",
  ),
  unknownNeed: defineError("WEFT_SPEC_UNKNOWN_NEED", "step `{step}` needs unknown step `{need}`{suggestion}"),
  duplicateNeed: defineError(
    "WEFT_SPEC_DUPLICATE_NEED",
    "step `{step}` lists `{need}` more than once in `needs`",
  ),
  duplicateStepId: defineError(
    "WEFT_SPEC_DUPLICATE_STEP_ID",
    "step id `{step}` is used in both `steps` and `onFailure`; rename one of them",
  ),
  templateExpected: defineError(
    "WEFT_SPEC_TEMPLATE_EXPECTED",
    "{subject} must be one `{{ … }}` expression, got {actual}",
  ),
  inputDefault: defineError("WEFT_SPEC_INPUT_DEFAULT", "default of input `{input}` {problem}"),
  uselessConcurrency: defineError(
    "WEFT_SPEC_CONCURRENCY_WITHOUT_FOREACH",
    "`concurrency` in step `{step}` has no effect without `forEach`",
  ),
} satisfies Record<string, Factory>;

export interface Span {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export interface DiagnosticExtras {
  hint?: string;
  severity?: Severity;
  path?: ReadonlyArray<string | number>;
  stepId?: string;
}

/** Builds a Diagnostic from a coded error and a place in the file. */
export function diagnostic(
  file: string,
  span: Span,
  error: WeftError,
  extras: DiagnosticExtras = {},
): Diagnostic {
  const d: Diagnostic = {
    code: error.code,
    severity: extras.severity ?? "error",
    message: error.message,
    file,
    line: span.line,
    col: span.col,
    endLine: span.endLine,
    endCol: span.endCol,
  };
  if (extras.hint) d.hint = extras.hint;
  if (extras.path && extras.path.length > 0) d.path = formatPath(extras.path);
  const stepId = extras.stepId ?? stepIdOf(extras.path ?? []);
  if (stepId !== undefined) d.stepId = stepId;
  return d;
}

/** A diagnostic about the whole file (size, encoding, reading), placed at 1:1. */
export function fileDiagnostic(file: string, error: WeftError, hint?: string): Diagnostic {
  return diagnostic(file, { line: 1, col: 1, endLine: 1, endCol: 1 }, error, hint ? { hint } : {});
}

/** Reports at the value (or key) found at `path`, with the path and step id filled in. */
export function diagnosticAt(
  positions: PositionMap,
  path: ReadonlyArray<string | number>,
  error: WeftError,
  extras: DiagnosticExtras & { at?: "key" | "value" } = {},
): Diagnostic {
  const span = extras.at === "key" ? positions.keyAt(path) : positions.valueAt(path);
  return diagnostic(positions.file, span, error, { ...extras, path: extras.path ?? path });
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `["steps","fetch","with","url"]` → `steps.fetch.with.url`; indices as `[0]`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (IDENT.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The step id when `path` is inside `steps.<id>` or `onFailure.<id>`. */
export function stepIdOf(path: ReadonlyArray<string | number>): string | undefined {
  const [top, id] = path;
  if ((top === "steps" || top === "onFailure") && typeof id === "string") return id;
  return undefined;
}

/** Sorted by file and position; identical reports (same code, place and text) kept once. */
export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = diags.filter((d) => {
    const k = `${d.code}\0${d.file}\0${d.line}\0${d.col}\0${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return unique.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}
