/**
 * runStep: one step type, in this process, with the context the engine gives it — a real
 * checkpoint store (a temp SQLite file), secrets that are redacted from the captured logs,
 * an abort signal with an optional timeout, and the input checked against the schema first.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { defineError } from "../errors.js";
import { createRedactor } from "../observe/redact.js";
import type { StepContext, StepType } from "../plugin/types.js";
import { SqliteStore } from "../store/sqlite/store.js";

export interface RunStepOptions {
  /** Values for ctx.secrets.get(name); they appear redacted in the returned logs. */
  secrets?: Record<string, string>;
  /** State a previous attempt saved: ctx.checkpoint.get() returns it. */
  checkpoint?: unknown;
  /** 1 on the first attempt (default). */
  attempt?: number;
  signal?: AbortSignal;
  /** Abort the step's signal after this long and fail with a timeout error. */
  timeoutMs?: number;
  /** ctx.workspace (default: the current directory). */
  workspace?: string;
  /** Ids used for ctx.idempotencyKey, ctx.run and ctx.step. */
  runId?: string;
  stepId?: string;
  item?: number;
  /** A SQLite file to keep checkpoints in across runStep calls (default: a temp file, removed after). */
  store?: string;
}

export interface StepLogLine {
  level: "debug" | "info" | "warn" | "error";
  message: string;
}

export interface RunStepResult<O> {
  output: O;
  logs: StepLogLine[];
  /** Every state the step saved, in order (each was durable before save() resolved). */
  checkpoints: unknown[];
}

const inputInvalid = defineError(
  "WEFT_TEST_INPUT_INVALID",
  "input for step type {type} does not match its input schema: {detail}",
);
const outputInvalid = defineError(
  "WEFT_TEST_OUTPUT_INVALID",
  "step type {type} returned output that does not match its outputSchema: {detail}",
);
const timedOut = defineError("WEFT_TEST_STEP_TIMEOUT", "step type {type} did not finish within {ms} ms");

const ajv = new Ajv({ allErrors: true, strict: false });
(addFormatsModule as unknown as (a: Ajv) => void)(ajv);
const validators = new WeakMap<object, ValidateFunction>();

export async function runStep<I, O>(
  stepType: StepType<I, O>,
  input: I,
  opts: RunStepOptions = {},
): Promise<RunStepResult<O>> {
  check(stepType.inputSchema, input, (detail) => inputInvalid({ type: stepType.name, detail }));
  const tempDir = opts.store ? undefined : mkdtempSync(join(tmpdir(), "weft-runstep-"));
  const store = new SqliteStore(opts.store ?? join(tempDir!, "checkpoints.db"));
  const runId = opts.runId ?? "test-run";
  const stepId = opts.stepId ?? "step";
  const key = { runId, stepId, item: opts.item ?? -1 };
  const secrets = opts.secrets ?? {};
  const redactor = createRedactor(secrets);
  const logs: StepLogLine[] = [];
  const checkpoints: unknown[] = [];
  const abort = new AbortController();
  const onAbort = () => abort.abort(opts.signal?.reason);
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    if (opts.checkpoint !== undefined) await store.saveCheckpoint(key, opts.checkpoint);
    let current = await store.getCheckpoint(key);
    const say = (level: StepLogLine["level"]) => (message: string) =>
      logs.push({ level, message: redactor.redactText(String(message)) });
    const ctx: StepContext<I> = {
      input,
      signal: abort.signal,
      log: { debug: say("debug"), info: say("info"), warn: say("warn"), error: say("error") },
      attempt: opts.attempt ?? 1,
      idempotencyKey: opts.item === undefined ? `${runId}:${stepId}` : `${runId}:${stepId}:${opts.item}`,
      run: { id: runId, workflow: "test", version: "test" },
      step: opts.item === undefined ? { id: stepId } : { id: stepId, item: opts.item },
      checkpoint: {
        get: <T>() => current as T | undefined,
        async save(state: unknown) {
          // Through JSON like the store, so a test sees what a retry would get back.
          await store.saveCheckpoint(key, JSON.parse(JSON.stringify(state)));
          current = await store.getCheckpoint(key);
          checkpoints.push(current);
        },
      },
      secrets: { get: (name) => secrets[name] },
      workspace: opts.workspace ?? process.cwd(),
    };
    const running = stepType.run(ctx);
    const output =
      opts.timeoutMs === undefined
        ? await running
        : await Promise.race([
            running,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                const err = timedOut({ type: stepType.name, ms: opts.timeoutMs ?? 0 });
                abort.abort(err);
                reject(err);
              }, opts.timeoutMs);
            }),
          ]);
    if (stepType.outputSchema) {
      check(stepType.outputSchema, output, (detail) => outputInvalid({ type: stepType.name, detail }));
    }
    return { output, logs, checkpoints };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
    await store.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

function check(schema: object, value: unknown, fail: (detail: string) => Error): void {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  if (validate(value)) return;
  const detail = (validate.errors ?? [])
    .map((e) => `${e.instancePath === "" ? "(root)" : e.instancePath} ${e.message ?? "is invalid"}`)
    .join("; ");
  throw fail(detail);
}
