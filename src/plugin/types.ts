/**
 * The plugin-author API types. The only import is type-level (json-schema-to-ts infers
 * `ctx.input` from a literal input schema); at run time this module depends on nothing.
 */
import type { FromSchema, JSONSchema } from "json-schema-to-ts";

/** Bumped when a change to StepType/StepContext would break plugins built for the previous one. */
export const PLUGIN_API_VERSION = 1;

export type JsonSchema = Record<string, unknown>;

/**
 * The TypeScript type of the input a schema describes (`{ type: "object", properties: … }
 * as const`). Properties with a `default` stay optional: the engine validates rendered
 * input but does not fill in defaults, so `run` must apply them itself.
 */
export type InputOf<S> = S extends JSONSchema
  ? FromSchema<S, { keepDefaultedPropertiesOptional: true }>
  : unknown;

export interface StepLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface Checkpoint {
  /** The state last saved by this step (on any earlier attempt or run), if any. */
  get<T = unknown>(): T | undefined;
  /** Resolves only once `state` is durable in the store. */
  save(state: unknown): Promise<void>;
}

export interface RunInfo {
  id: string;
  workflow: string;
  version: string;
}

export interface StepContext<I = unknown> {
  input: I;
  signal: AbortSignal;
  log: StepLogger;
  /** 1 on the first attempt. */
  attempt: number;
  /** Stable across retries and resumes: `<run>:<step>[:<item>]`. Pass it to external systems. */
  idempotencyKey: string;
  run: RunInfo;
  step: { id: string; item?: number };
  checkpoint: Checkpoint;
  /** Values the engine has marked secret; they are redacted wherever the engine records text. */
  secrets: { get(name: string): string | undefined };
  /** Working directory of the workflow repository (shell steps resolve `cwd` under it). */
  workspace: string;
}

export interface DryRunContext<I = unknown> {
  input: I;
  step: { id: string };
}

export interface StepType<I = unknown, O = unknown> {
  /** Built-ins use bare names (`shell`); third-party types are namespaced (`acme/slack.post`). */
  name: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  /** Input keys that are never rendered as templates (e.g. shell `script`). */
  literalInputs?: string[];
  examples?: Array<{ title: string; yaml: string }>;
  run(ctx: StepContext<I>): Promise<O>;
  dryRun?(ctx: DryRunContext<I>): string;
}

export interface Plugin {
  name: string;
  version: string;
  apiVersion: number;
  steps: StepType[];
}
