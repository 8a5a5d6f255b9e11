/** `weft runs list`, `weft runs show RUN`, `weft cancel RUN`: read and steer recorded runs. */

import { rowLabels } from "../../server/views.js";
import { RUN_STATUSES, type RunStatus } from "../../store/types.js";
import { openStoreOnly } from "../engine/local.js";
import { formatRunDetails, runDetails } from "../engine/show.js";
import { EXIT_INVALID, EXIT_OK, type Io, paintFor, UsageError } from "../output.js";

export async function runsListCommand(
  opts: {
    json: boolean;
    store?: string;
    workflow?: string;
    status?: string;
    limit?: string;
    before?: string;
  },
  io: Io,
): Promise<number> {
  if (opts.status !== undefined && !RUN_STATUSES.includes(opts.status as RunStatus)) {
    throw new UsageError(`--status must be one of ${RUN_STATUSES.join(", ")}`);
  }
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit must be a positive whole number");
  const store = await openStoreOnly(opts.store, io.env);
  try {
    const runs = await store.listRuns({
      limit,
      ...(opts.workflow ? { workflow: opts.workflow } : {}),
      ...(opts.status ? { status: opts.status as RunStatus } : {}),
      ...(opts.before ? { before: opts.before } : {}),
    });
    if (opts.json) {
      io.stdout.write(
        `${JSON.stringify({ runs, next: runs.length === limit ? runs.at(-1)?.id : null }, null, 2)}\n`,
      );
      return EXIT_OK;
    }
    if (runs.length === 0) {
      io.stdout.write("no runs\n");
      return EXIT_OK;
    }
    for (const r of runs) {
      const when = new Date(r.createdAt).toISOString();
      io.stdout.write(
        `${r.id}  ${r.workflow.padEnd(24)} ${r.status.padEnd(10)} ${when}  ${r.trigger.kind}\n`,
      );
    }
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

export async function runsShowCommand(
  runId: string,
  opts: { json: boolean; logs: boolean; store?: string },
  io: Io,
): Promise<number> {
  const store = await openStoreOnly(opts.store, io.env);
  try {
    const details = await runDetails(store, runId, opts.logs);
    if (!details) {
      io.stderr.write(`weft: no run "${runId}" in this store; list runs with \`weft runs list\`\n`);
      return EXIT_INVALID;
    }
    if (opts.json) io.stdout.write(`${JSON.stringify(details, null, 2)}\n`);
    else {
      const labels = rowLabels(await store.listSteps(runId));
      io.stdout.write(formatRunDetails(details, paintFor(io.stdout, io.env), labels));
    }
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

export async function cancelCommand(runId: string, opts: { store?: string }, io: Io): Promise<number> {
  const store = await openStoreOnly(opts.store, io.env);
  try {
    const run = await store.getRun(runId);
    if (!run) {
      io.stderr.write(`weft: no run "${runId}" in this store\n`);
      return EXIT_INVALID;
    }
    const error = { code: "WEFT_RUN_CANCELLED", name: "WeftError", message: "cancelled with weft cancel" };
    const res = await store.commit([
      { type: "runStatus", runId, status: "cancelled", error, from: ["queued", "running"] },
    ]);
    if (!res.applied[0]) {
      io.stderr.write(`weft: run ${runId} is already ${run.status}\n`);
      return EXIT_INVALID;
    }
    io.stdout.write(`run ${runId} cancelled; running steps are stopped by the process working on them\n`);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}
