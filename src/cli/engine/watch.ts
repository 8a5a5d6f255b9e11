/**
 * Runs the local engine until one run finishes, showing its progress: a live view on a
 * terminal, one line per state change otherwise, nothing but the final JSON with --json.
 * SIGINT/SIGTERM stop it gracefully: running steps get a grace period, the rest are released
 * and `weft resume` continues the run later.
 */
import type { StepEvent } from "../../engine/types.js";
import type { RunRecord } from "../../store/types.js";
import { EXIT_INVALID, EXIT_OK, type Io, paintFor } from "../output.js";
import { formatMs, LiveView } from "./live-view.js";
import type { Local } from "./local.js";
import { runDetails } from "./show.js";

export const EXIT_INTERRUPTED = 130;

export interface Watcher {
  onStep(e: StepEvent): void;
}

export function makeWatcher(
  io: Io,
  runId: () => string | undefined,
  json: boolean,
  title: string,
): Watcher & { finish(): void } {
  if (json) return { onStep() {}, finish() {} };
  const p = paintFor(io.stdout, io.env);
  if (io.stdout.isTTY) {
    const view = new LiveView(io.stdout, p, title);
    return { onStep: (e) => e.runId === runId() && view.update(e), finish: () => view.finish() };
  }
  return {
    onStep(e) {
      if (e.runId !== runId()) return;
      const label = e.item >= 0 ? `${e.stepId}[${e.item}]` : e.stepId;
      const parts = [new Date().toISOString(), label, e.status, `attempt=${e.attempt}`];
      if (e.durationMs !== undefined) parts.push(`duration=${formatMs(e.durationMs)}`);
      if (e.retryAt) parts.push(`retryAt=${new Date(e.retryAt).toISOString()}`);
      if (e.error) parts.push(`error=${JSON.stringify(`${e.error.code}: ${e.error.message}`)}`);
      io.stdout.write(`${parts.join(" ")}\n`);
    },
    finish() {},
  };
}

export async function watchRun(
  local: Local,
  runId: string,
  io: Io,
  opts: { json: boolean; watcher: { finish(): void } },
): Promise<number> {
  let interrupted = false;
  const stop = () => {
    if (interrupted) return;
    interrupted = true;
    io.stderr.write(
      `\nweft: stopping; steps still running get a grace period, then run ${runId} can be resumed\n`,
    );
    void local.close(5_000).then(() => done?.());
  };
  let done: (() => void) | undefined;
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  let run: RunRecord | undefined;
  try {
    local.engine.start();
    run = await Promise.race([
      local.engine.waitForRun(runId),
      new Promise<undefined>((resolve) => {
        done = () => resolve(undefined);
      }),
    ]);
  } finally {
    process.removeListener("SIGINT", stop);
    process.removeListener("SIGTERM", stop);
  }
  opts.watcher.finish();
  if (!run) {
    io.stderr.write(`weft: run ${runId} interrupted; continue it with: weft resume ${runId}\n`);
    return EXIT_INTERRUPTED;
  }
  const details = await runDetails(local.store, runId);
  await local.close();
  if (opts.json) io.stdout.write(`${JSON.stringify(details, null, 2)}\n`);
  else {
    const p = paintFor(io.stdout, io.env);
    const colour = run.status === "succeeded" ? p.green : p.red;
    io.stdout.write(`${colour(`run ${runId} ${run.status}`)}${run.error ? `: ${run.error.message}` : ""}\n`);
  }
  return run.status === "succeeded" ? EXIT_OK : EXIT_INVALID;
}
