/**
 * One registry of coded errors (after Fastify's lib/errors.js). Every error Weft raises on
 * purpose has a stable `WEFT_<AREA>_<WHAT>` code, a message that says what to do, and may
 * carry a source location. docs/errors.md lists them; a test keeps the two in sync.
 */

export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface WeftErrorData {
  code: string;
  name: string;
  message: string;
  retryable?: boolean;
  retryAfterMs?: number;
  location?: SourceLocation;
  stepId?: string;
  cause?: WeftErrorData;
}

export class WeftError extends Error {
  override readonly name: string = "WeftError";
  readonly code: string;
  readonly location: SourceLocation | undefined;
  readonly stepId: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { location?: SourceLocation; stepId?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options.location;
    this.stepId = options.stepId;
  }

  toData(): WeftErrorData {
    const data: WeftErrorData = { code: this.code, name: this.name, message: this.message };
    if (this.location) data.location = this.location;
    if (this.stepId) data.stepId = this.stepId;
    return data;
  }
}

type Args = Record<string, string | number>;

interface ErrorDef {
  code: string;
  template: string;
}

const registry = new Map<string, ErrorDef>();

/** Declares a coded error; returns a factory that fills the template's `{name}` slots. */
export function defineError(code: string, template: string) {
  if (!/^WEFT_[A-Z]+_[A-Z0-9_]+$/.test(code)) throw new Error(`bad error code ${code}`);
  if (registry.has(code)) throw new Error(`duplicate error code ${code}`);
  registry.set(code, { code, template });
  return (args: Args = {}, options: { location?: SourceLocation; stepId?: string; cause?: unknown } = {}) =>
    new WeftError(code, fill(template, args), options);
}

export function fill(template: string, args: Args): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in args ? String(args[key]) : whole));
}

export function registeredErrors(): ErrorDef[] {
  return [...registry.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** Turns anything thrown into plain data that can cross a thread or be stored. */
export function toErrorData(err: unknown): WeftErrorData {
  if (err instanceof WeftError) return err.toData();
  if (err && typeof err === "object") {
    const e = err as { code?: unknown; name?: unknown; message?: unknown; retryable?: unknown };
    const data: WeftErrorData = {
      code: typeof e.code === "string" ? e.code : "WEFT_STEP_ERROR",
      name: typeof e.name === "string" ? e.name : "Error",
      message: typeof e.message === "string" ? e.message : String(err),
    };
    if (typeof e.retryable === "boolean") data.retryable = e.retryable;
    const r = (err as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof r === "number") data.retryAfterMs = r;
    return data;
  }
  return { code: "WEFT_STEP_ERROR", name: "Error", message: String(err) };
}
