/**
 * piscina entry: runs one attempt of one step inside a worker thread. Everything that leaves
 * this function is plain data; step errors are returned as data, never thrown, so their
 * `code`/`retryable`/`retryAfterMs` survive the thread boundary.
 */
import { toErrorData, type WeftErrorData } from "../errors.js";
import type { StepContext, StepLogger, StepType } from "../plugin/types.js";
import { WorkerChannel } from "./channel.js";
import { outputInvalid, withRetry } from "./errors.js";
import { loadStepType } from "./load.js";
import { findNonPlain } from "./plain.js";
import type { StepTask, WireResult, WireTask } from "./types.js";

export default async function runStep({ task, port }: WireTask): Promise<WireResult> {
  const channel = new WorkerChannel(port);
  let stepType: StepType;
  try {
    stepType = await loadStepType(task.moduleUrl, task.stepType);
  } catch (err) {
    // A module that cannot load fails the same way on every retry.
    channel.finish();
    return { outcome: { ok: false, error: withRetry(toErrorData(err), false) }, sent: channel.sent };
  }
  try {
    const output = await stepType.run(buildContext(task, channel));
    const bad = findNonPlain(output);
    if (bad) {
      const error = outputInvalid({ step: task.step.id, path: bad.path, what: bad.what }).toData();
      return { outcome: { ok: false, error: withRetry(error, false) }, sent: channel.sent };
    }
    return { outcome: { ok: true, output }, sent: channel.sent };
  } catch (err) {
    return { outcome: { ok: false, error: stepErrorData(err) }, sent: channel.sent };
  } finally {
    channel.finish();
  }
}

function buildContext(task: StepTask, channel: WorkerChannel): StepContext {
  let checkpoint = task.checkpoint;
  const log: StepLogger = {
    debug: (m) => channel.log("debug", m),
    info: (m) => channel.log("info", m),
    warn: (m) => channel.log("warn", m),
    error: (m) => channel.log("error", m),
  };
  const ctx: StepContext = {
    input: task.input,
    signal: channel.controller.signal,
    log,
    attempt: task.attempt,
    idempotencyKey: task.idempotencyKey,
    run: task.run,
    step: task.step,
    checkpoint: {
      get: <T>() => checkpoint as T | undefined,
      save: async (state: unknown) => {
        await channel.save(state);
        checkpoint = state;
      },
    },
    secrets: { get: (name: string) => (Object.hasOwn(task.secrets, name) ? task.secrets[name] : undefined) },
    workspace: task.workspace,
  };
  return ctx;
}

/** A plain Error (or anything thrown without a verdict) is retryable; steps opt out explicitly. */
function stepErrorData(err: unknown): WeftErrorData {
  const data = toErrorData(err);
  if (data.retryable === undefined) data.retryable = true;
  return data;
}
