/**
 * Coded errors raised by the template language. Each one says where (the field path the
 * caller passed in, plus line/column inside the template) and what to write instead.
 */
import { defineError, type SourceLocation, type WeftError } from "../errors.js";

export const templateSyntaxError = defineError("WEFT_TEMPLATE_SYNTAX", "Template syntax error{at}: {detail}");

export const templateUnknownNameError = defineError(
  "WEFT_TEMPLATE_UNKNOWN_NAME",
  "Unknown name `{name}`{at}.{hint} Available: {available}.",
);

export const templateUnknownHelperError = defineError(
  "WEFT_TEMPLATE_UNKNOWN_HELPER",
  "Unknown helper `{name}`{at}.{hint} Available helpers: {available}.",
);

export const templateUnsupportedError = defineError(
  "WEFT_TEMPLATE_UNSUPPORTED",
  "{what} is not supported in Weft templates{at}. {fix}",
);

export const templateArgumentsError = defineError(
  "WEFT_TEMPLATE_ARGUMENTS",
  "Helper `{name}` takes {expected} but got {got}{at}. Usage: {signature}",
);

export const templateEvalError = defineError(
  "WEFT_TEMPLATE_EVAL",
  "Template evaluation failed{at}: {detail}",
);

export const templateNotBooleanError = defineError(
  "WEFT_TEMPLATE_NOT_BOOLEAN",
  'The condition{at} must evaluate to true or false, but it gave {got}. Compare explicitly, e.g. {{ eq inputs.env "prod" }} or {{ gt (length steps.fetch.output.items) 0 }}.',
);

export const templateTooLargeError = defineError(
  "WEFT_TEMPLATE_TOO_LARGE",
  "Template {what} is too large{at}: {detail}. Split the value or move the data into a step output.",
);

/** Where a template sits, as given by the caller (YAML position and dotted field path). */
export interface TemplateWhere {
  location?: SourceLocation;
  path?: string;
}

/** A position inside the template text (1-based line and column). */
export interface TemplatePos {
  line: number;
  col: number;
}

/** Builds the " in steps.x.with.url (template line 1, col 5)" fragment of a message. */
export function at(where: TemplateWhere | undefined, pos?: TemplatePos): string {
  const field = where?.path ? ` in ${where.path}` : "";
  const inside = pos ? ` (template line ${pos.line}, col ${pos.col})` : "";
  return field + inside;
}

export function errorOptions(where: TemplateWhere | undefined): { location?: SourceLocation } {
  return where?.location ? { location: where.location } : {};
}

export function isTemplateError(err: unknown): err is WeftError {
  const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("WEFT_TEMPLATE_");
}
