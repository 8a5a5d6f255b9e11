/**
 * piscina entry: runs a batch of step attempts inside a worker thread, one after another,
 * posting each result on the thread's link as soon as it ends. Everything that leaves is
 * plain data; step errors are returned as data, never thrown, so their
 * `code`/`retryable`/`retryAfterMs` survive the thread boundary.
 */
import { parentPort, threadId } from "node:worker_threads";
import { toErrorData, type WeftErrorData } from "../errors.js";
import type { StepType } from "../plugin/types.js";
import { claimItem, itemCount, markThread, waitForItem } from "./batch-control.js";
import { TaskChannel } from "./channel.js";
import { TaskContext } from "./context.js";
import { outputInvalid, withRetry } from "./errors.js";
import { loadedStepType, loadStepType } from "./load.js";
import { findNonPlain } from "./plain.js";
import type { WireBatch, WireResult, WireTask } from "./types.js";
import { type WorkerLink, workerLink } from "./worker-link.js";

// piscina imports this module as the thread boots: say hello to the main thread before any task.
if (parentPort) workerLink();

export default async function runBatch({ batch, control, items, lingerMs }: WireBatch): Promise<number> {
  const link = workerLink();
  const ctl = new Int32Array(control);
  link.beginBatch(batch);
  markThread(ctl, threadId);
  let ran = 0;
  try {
    for (let i = 0; ; i++) {
      // Past the last item: a thread with lingerMs waits (spinning) for one more, which saves
      // both threads a wake-up when steps come one after another (a chain).
      if (i >= itemCount(ctl) && !(lingerMs > 0 && waitForItem(ctl, i, lingerMs))) break;
      // The main thread may have taken the rest back (another thread is free, or a stop).
      if (!claimItem(ctl, i)) break;
      const item = i < items.length ? items[i] : link.takeItem(batch, i);
      if (!item) break;
      const result = await runStep(item, link);
      try {
        link.post({ t: "done", id: item.id, result });
      } catch (err) {
        // Not cloneable after all (findNonPlain missed it): the attempt fails, the batch goes on.
        const error = withRetry(toErrorData(err), false);
        const failed = { ok: false as const, error, sent: result.sent, startedAt: result.startedAt };
        link.post({ t: "done", id: item.id, result: failed });
      }
      ran++;
    }
  } finally {
    link.endBatch();
  }
  return ran;
}

async function runStep({ id, task }: WireTask, link: WorkerLink): Promise<WireResult> {
  const startedAt = link.start(id);
  const channel = new TaskChannel(link, id);
  let stepType: StepType;
  try {
    stepType =
      loadedStepType(task.moduleUrl, task.stepType) ?? (await loadStepType(task.moduleUrl, task.stepType));
  } catch (err) {
    // A module that cannot load fails the same way on every retry.
    channel.finish();
    return { ok: false, error: withRetry(toErrorData(err), false), sent: channel.sent, startedAt };
  }
  try {
    const output = await stepType.run(new TaskContext(task, channel));
    const bad = findNonPlain(output);
    if (bad) {
      const error = outputInvalid({ step: task.step.id, path: bad.path, what: bad.what }).toData();
      return { ok: false, error: withRetry(error, false), sent: channel.sent, startedAt };
    }
    return { ok: true, output, sent: channel.sent, startedAt };
  } catch (err) {
    return { ok: false, error: stepErrorData(err), sent: channel.sent, startedAt };
  } finally {
    channel.finish();
  }
}

/** A plain Error (or anything thrown without a verdict) is retryable; steps opt out explicitly. */
function stepErrorData(err: unknown): WeftErrorData {
  const data = toErrorData(err);
  if (data.retryable === undefined) data.retryable = true;
  return data;
}
