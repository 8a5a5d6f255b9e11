/**
 * `weft run FILE`: validate, compile, record a version and a run in the local store, then
 * execute it. Prints the run id first; exit 0 when the run succeeded, 1 when it failed.
 */
import { readFileSync } from "node:fs";
import { parseInputArgs, resolveInputs } from "../../compile/inputs.js";
import { loadAndCompile } from "../../compile/load.js";
import { formatDiagnostics } from "../../spec/format.js";
import { openLocal } from "../engine/local.js";
import { makeWatcher, watchRun } from "../engine/watch.js";
import { EXIT_INVALID, EXIT_OK, type Io, paintFor, UsageError } from "../output.js";
import { repoStepTypes } from "../step-types.js";
import { loadWorkflowsOrUsage, usage } from "./shared.js";

export interface RunOptions {
  input: string[];
  json: boolean;
  store?: string;
  idempotencyKey?: string;
  /** Start the run on a running `weft serve` (its base URL) instead of locally. */
  server?: string;
}

export async function runCommand(path: string, opts: RunOptions, io: Io): Promise<number> {
  if (opts.server !== undefined) {
    const { runOnServer } = await import("./run-remote.js");
    const { server, input, json, idempotencyKey } = opts;
    return runOnServer(path, { server, input, json, ...(idempotencyKey ? { idempotencyKey } : {}) }, io);
  }
  const given = usage(() => parseInputArgs(opts.input));
  const { types } = await repoStepTypes({ env: io.env, io });
  const results = loadWorkflowsOrUsage(() => loadAndCompile([path], types));
  if (results.length !== 1)
    throw new UsageError(`weft run takes one workflow file; ${path} holds ${results.length}`);
  const loaded = results[0]!;
  if (loaded.diagnostics.length > 0) {
    const color = paintFor(io.stderr, io.env).enabled;
    const sources = new Map([[loaded.file, loaded.source]]);
    io.stderr.write(
      `${formatDiagnostics(loaded.diagnostics, { format: "text", color, sources }).trimEnd()}\n`,
    );
  }
  if (!loaded.plan) return EXIT_INVALID;
  const plan = loaded.plan;
  const inputs = usage(() => resolveInputs(plan.name, plan.inputs, given));

  let runId: string | undefined;
  const watcher = makeWatcher(io, () => runId, opts.json, `${plan.name}`);
  const onlyRuns = new Set<string>();
  const local = await openLocal({
    store: opts.store,
    env: io.env,
    types,
    onlyRuns,
    hooks: { onStep: (e) => watcher.onStep(e) },
  });
  try {
    const version = await local.engine.deploy(plan, readFileSync(loaded.file, "utf8"));
    const started = await local.engine.startRun({
      version,
      inputs,
      trigger: { kind: "cli" },
      ...(opts.idempotencyKey !== undefined ? { idempotencyKey: opts.idempotencyKey } : {}),
    });
    runId = started.run.id;
    onlyRuns.add(runId);
    if (!opts.json) {
      const note = started.created ? "" : " (existing run for this idempotency key)";
      io.stdout.write(`run ${runId}${note}\n`);
    }
    if (started.run.status === "queued" && !opts.json) {
      io.stdout.write(`run ${runId} is queued behind the workflow's concurrency limit\n`);
    }
    return await watchRun(local, runId, io, { json: opts.json, watcher });
  } catch (err) {
    await local.close(1000);
    throw err;
  }
}

export { EXIT_OK };
