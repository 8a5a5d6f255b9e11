/**
 * A real `weft serve` in-process for tests: a temp Git repository holding the workflows,
 * a temp SQLite store, the real engine, sync, triggers and Fastify listening on 127.0.0.1
 * with a free port. Requests go over real HTTP with fetch.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/observe/logger.js";
import { type Service, type ServiceOptions, startService } from "../../src/server/service.js";

export const TOKEN = "test-token-0123456789abcdef";

export function gitRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "weft-serve-"));
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      stdio: "pipe",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.com",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.com",
      },
    });
  git("init", "-q", "-b", "main");
  commitFiles(dir, files, git);
  return dir;
}

export function commitFiles(
  dir: string,
  files: Record<string, string>,
  git: (...args: string[]) => unknown = (...args) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: dir,
      stdio: "pipe",
    }),
): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(join(full, ".."), { recursive: true });
    writeFileSync(full, text);
  }
  git("add", "-A");
  git("commit", "-q", "-m", "workflows");
}

/**
 * A parsed JSON response. Tests read fields by path and check them with expect(), so the
 * shape is left open here (the server's own schemas define it).
 */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions
export type Json = any;

export interface TestServer {
  service: Service;
  dir: string;
  /** The data dir: the mirror, the exported checkouts. */
  stateDir: string;
  logs: string[];
  api(
    method: string,
    path: string,
    opts?: { body?: unknown; raw?: string | Buffer; token?: string | null; headers?: Record<string, string> },
  ): Promise<{ status: number; json: Json; text: string; headers: Headers }>;
  waitForRun(runId: string, statuses?: string[], ms?: number): Promise<Json>;
  close(): Promise<void>;
}

export async function serveRepo(
  files: Record<string, string>,
  opts: Partial<ServiceOptions> & { secrets?: Record<string, string> } = {},
): Promise<TestServer> {
  const dir = gitRepo(files);
  // State lives outside the repository, so later commits never pick it up.
  const state = mkdtempSync(join(tmpdir(), "weft-state-"));
  const logs: string[] = [];
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [k, v] of Object.entries(opts.secrets ?? {})) env[`WEFT_SECRET_${k}`] = v;
  const { secrets: _s, ...rest } = opts;
  const secretValues = Object.values(opts.secrets ?? {});
  const service = await startService({
    repo: dir,
    branch: "main",
    pollMs: 200,
    store: join(state, "weft.db"),
    host: "127.0.0.1",
    port: 0,
    dataDir: state,
    tokens: [TOKEN],
    graceMs: 1000,
    poolSize: 2,
    workspace: dir,
    cwd: dir,
    env,
    logger: createLogger({
      level: "debug",
      secrets: secretValues,
      pretty: false,
      destination: { write: (s: string) => logs.push(s) },
    }),
    ...rest,
  });
  const api: TestServer["api"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    const token = o.token === undefined ? TOKEN : o.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | Buffer | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  };
  const server: TestServer = {
    service,
    dir,
    stateDir: state,
    logs,
    api,
    async waitForRun(runId, statuses = ["succeeded", "failed", "cancelled"], ms = 15_000) {
      const end = Date.now() + ms;
      for (;;) {
        const res = await api("GET", `/api/runs/${runId}`);
        if (statuses.includes(res.json?.run?.status)) return res.json;
        if (Date.now() > end) throw new Error(`run ${runId} still ${res.json?.run?.status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => service.close(500),
  };
  await until(async () => (await api("GET", "/api/workflows")).json?.workflows?.length > 0, 15_000);
  return server;
}

export async function until(pred: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 30));
  }
}
