/**
 * `weft resume RUN [--from STEP] [--dry]`: continue an interrupted or failed run. Finished
 * steps keep their outputs; failed or interrupted ones run again from their last checkpoint.
 * `--from` re-runs that step and everything downstream; `--dry` only shows the split.
 * `weft dead list` / `weft dead replay ID`: the dead-letter list and its replay.
 */
import { WeftError } from "../../errors.js";
import { openLocal, openStoreOnly } from "../engine/local.js";
import { makeWatcher, watchRun } from "../engine/watch.js";
import { EXIT_INVALID, EXIT_OK, type Io } from "../output.js";

export async function resumeCommand(
  runId: string,
  opts: { from?: string; dry: boolean; json: boolean; store?: string },
  io: Io,
): Promise<number> {
  const onlyRuns = new Set([runId]);
  const watcher = makeWatcher(io, () => runId, opts.json, `resume ${runId}`);
  const local = await openLocal({
    store: opts.store,
    env: io.env,
    onlyRuns,
    hooks: { onStep: (e) => watcher.onStep(e) },
  });
  try {
    const plan = await local.engine.planResume(runId, opts.from);
    if (opts.dry) {
      if (opts.json)
        io.stdout.write(`${JSON.stringify({ run: runId, rerun: plan.rerun, keep: plan.keep }, null, 2)}\n`);
      else {
        io.stdout.write(`run ${runId} (${plan.run.status})\n`);
        io.stdout.write(`  would run again: ${plan.rerun.join(", ") || "(nothing)"}\n`);
        io.stdout.write(`  keeps recorded results: ${plan.keep.join(", ") || "(nothing)"}\n`);
      }
      await local.close(0);
      return EXIT_OK;
    }
    await local.engine.resumeRun(runId, opts.from);
    if (!opts.json)
      io.stdout.write(
        `run ${runId} resumed: running again ${plan.rerun.join(", ") || "(remaining steps)"}\n`,
      );
    return await watchRun(local, runId, io, { json: opts.json, watcher });
  } catch (err) {
    await local.close(1000);
    if (err instanceof WeftError) {
      io.stderr.write(`weft: ${err.message}\n`);
      return EXIT_INVALID;
    }
    throw err;
  }
}

export async function deadListCommand(
  opts: { json: boolean; all: boolean; store?: string },
  io: Io,
): Promise<number> {
  const store = await openStoreOnly(opts.store, io.env);
  try {
    const dead = await store.listDeadLetters({ includeReplayed: opts.all });
    if (opts.json) io.stdout.write(`${JSON.stringify(dead, null, 2)}\n`);
    else if (dead.length === 0) io.stdout.write("no dead letters\n");
    else {
      for (const d of dead) {
        const label = d.item >= 0 ? `${d.stepId}[${d.item}]` : d.stepId;
        const replay = d.replayRunId ? `  replayed in ${d.replayRunId}` : "";
        io.stdout.write(
          `${String(d.id).padStart(5)}  ${d.workflow}/${label}  run ${d.runId}  ${d.attempts.length} attempt(s)  ${d.error.code}: ${d.error.message}${replay}\n`,
        );
      }
    }
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

/**
 * Replays a dead letter by resuming its run: a failed run re-runs its failed steps; a run
 * that went on (continueOnError) re-runs from the dead step.
 */
export async function deadReplayCommand(
  id: string,
  opts: { json: boolean; store?: string },
  io: Io,
): Promise<number> {
  const store = await openStoreOnly(opts.store, io.env);
  const dead = await store.getDeadLetter(Number(id));
  const run = dead && (await store.getRun(dead.runId));
  await store.close();
  if (!dead || !run) {
    io.stderr.write(`weft: no dead letter ${id}; list them with \`weft dead list\`\n`);
    return EXIT_INVALID;
  }
  const from = run.status === "failed" || run.status === "cancelled" ? undefined : dead.stepId;
  const marker = await openStoreOnly(opts.store, io.env);
  await marker.markReplayed(dead.id, dead.runId);
  await marker.close();
  if (!opts.json)
    io.stdout.write(`replaying dead letter ${id} (${dead.workflow}/${dead.stepId}) in run ${dead.runId}\n`);
  return resumeCommand(
    dead.runId,
    { ...(from ? { from } : {}), dry: false, json: opts.json, ...(opts.store ? { store: opts.store } : {}) },
    io,
  );
}
