/**
 * `weft run --server URL`: start the run on a running `weft serve` through its API instead of
 * a local engine. The server runs the workflow version it has deployed from Git; a file
 * argument only names the workflow. Inputs are coerced with the types the server declares.
 * Prints the run id first, then step changes, then the result; exit 0 when it succeeded.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { parseInputArgs, resolveInputs } from "../../compile/inputs.js";
import { loadDocument } from "../../spec/load.js";
import type { InputSpec } from "../../spec/types.js";
import { EXIT_INVALID, EXIT_OK, type Io, paintFor, UsageError } from "../output.js";
import { usage } from "./shared.js";

export interface RemoteRunOptions {
  server: string;
  input: string[];
  json: boolean;
  idempotencyKey?: string;
  /** How often to ask for the run's state. */
  pollMs?: number;
}

interface ApiError {
  error?: { code?: string; message?: string };
}

interface ApiRun {
  id: string;
  status: string;
  versionId: number;
  error: { message: string } | null;
}

interface ApiStep {
  id: string;
  item?: number;
  status: string;
  attempt: number;
}

export async function runOnServer(target: string, opts: RemoteRunOptions, io: Io): Promise<number> {
  const given = usage(() => parseInputArgs(opts.input));
  const name = workflowName(target);
  const base = opts.server.replace(/\/+$/, "");
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: T }> => {
    const token = io.env.WEFT_API_TOKEN;
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new UsageError(`cannot reach ${base}: ${(err as Error).cause ?? (err as Error).message}`);
    }
    const json = (await res.json().catch(() => ({}))) as T & ApiError;
    if (res.status >= 400) {
      const e = json.error;
      throw new RemoteError(`${e?.message ?? `HTTP ${res.status}`}${e?.code ? ` (${e.code})` : ""}`);
    }
    return { status: res.status, json };
  };

  try {
    const list = await call<{ workflows: Array<{ name: string; inputs: Record<string, InputSpec> }> }>(
      "GET",
      "/api/workflows",
    );
    const wf = list.json.workflows.find((w) => w.name === name);
    if (!wf)
      throw new RemoteError(`workflow ${name} is not deployed on ${base}; commit it and wait for the sync`);
    const inputs = usage(() => resolveInputs(name, wf.inputs, given));
    const key = opts.idempotencyKey ? { "idempotency-key": opts.idempotencyKey } : undefined;
    const started = await call<{ run: ApiRun; created: boolean }>(
      "POST",
      `/api/workflows/${encodeURIComponent(name)}/runs`,
      { inputs },
      key,
    );
    const runId = started.json.run.id;
    if (!opts.json) {
      const note = started.json.created ? "" : " (existing run for this idempotency key)";
      io.stdout.write(`run ${runId} on ${base} (version ${started.json.run.versionId})${note}\n`);
    }
    const seen = new Map<string, string>();
    for (;;) {
      const d = (await call<{ run: ApiRun; steps: ApiStep[] }>("GET", `/api/runs/${runId}`)).json;
      if (!opts.json) {
        for (const s of d.steps) {
          const label = s.item !== undefined ? `${s.id}[${s.item}]` : s.id;
          const state = `${s.status}:${s.attempt}`;
          if (seen.get(label) !== state && s.status !== "pending" && s.status !== "queued") {
            io.stdout.write(`${new Date().toISOString()} ${label} ${s.status} attempt=${s.attempt}\n`);
          }
          seen.set(label, state);
        }
      }
      const status = d.run.status;
      if (status === "succeeded" || status === "failed" || status === "cancelled") {
        if (opts.json) io.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
        else {
          const p = paintFor(io.stdout, io.env);
          const colour = status === "succeeded" ? p.green : p.red;
          io.stdout.write(
            `${colour(`run ${runId} ${status}`)}${d.run.error ? `: ${d.run.error.message}` : ""}\n`,
          );
        }
        return status === "succeeded" ? EXIT_OK : EXIT_INVALID;
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
    }
  } catch (err) {
    if (err instanceof RemoteError) {
      io.stderr.write(`weft: ${err.message}\n`);
      return EXIT_INVALID;
    }
    throw err;
  }
}

class RemoteError extends Error {}

/** A workflow file names its workflow; anything else is taken as the name itself. */
function workflowName(target: string): string {
  if (!existsSync(target) || !statSync(target).isFile()) return target;
  const loaded = loadDocument(readFileSync(target, "utf8"), target);
  const data = loaded.doc?.data as { name?: unknown } | undefined;
  if (typeof data?.name !== "string") throw new UsageError(`${target} has no workflow name`);
  return data.name;
}
