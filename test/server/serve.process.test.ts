/**
 * `weft serve` as a real process in a temp Git repository: kill -9 in the middle of a run,
 * start again, and the run finishes without repeating finished steps; SIGTERM drains, exits
 * 0, and the run it interrupted resumes on the next start.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitRepo, type Json, TOKEN, until } from "./helpers.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "weft.js");

function crashyRepo(marks: string): string {
  const step = (id: string, needs: string) => `
  ${id}:
    uses: shell
    ${needs ? `needs: [${needs}]` : ""}
    with: { script: 'echo ${id} >> "$MARKS"', env: { MARKS: "${marks}" } }`;
  return gitRepo({
    "workflows/crashy.yaml": `name: crashy
on:
  manual: {}
steps:${step("one", "")}${step("two", "one")}
  long:
    uses: sleep
    needs: [two]
    with: { duration: 3s }${step("three", "long")}
`,
  });
}

interface Server {
  child: ChildProcess;
  out: () => string;
  url: Promise<string>;
  exited: Promise<number | null>;
}

function serve(repo: string, state: string): Server {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--poll", "1s", "--grace", "500ms"], {
    cwd: repo,
    env: { ...process.env, WEFT_DATA_DIR: state, WEFT_API_TOKEN: TOKEN, NO_COLOR: "1" },
  });
  let out = "";
  let onUrl: (url: string) => void = () => {};
  const url = new Promise<string>((resolve) => {
    onUrl = resolve;
  });
  const take = (d: Buffer) => {
    out += d;
    const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
    if (m) onUrl(m[1]!);
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out: () => out, url, exited };
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return res.json();
}

async function startRun(url: string): Promise<string> {
  await until(async () => (await call(url, "GET", "/api/workflows")).workflows?.length === 1, 20_000);
  const started = await call(url, "POST", "/api/workflows/crashy/runs", {});
  return started.run.id as string;
}

async function stepStatus(url: string, runId: string, step: string): Promise<string | undefined> {
  const d = await call(url, "GET", `/api/runs/${runId}`);
  return d.steps?.find((s: { id: string }) => s.id === step)?.status;
}

describe("weft serve as a process", () => {
  it("finishes a run after kill -9 without repeating finished steps", async () => {
    const state = mkdtempSync(join(tmpdir(), "weft-state-"));
    const marks = join(state, "marks.txt");
    const repo = crashyRepo(marks);
    const first = serve(repo, state);
    const url1 = await first.url;
    const runId = await startRun(url1);
    await until(async () => (await stepStatus(url1, runId, "long")) === "running", 20_000);
    await new Promise((r) => setTimeout(r, 800));
    first.child.kill("SIGKILL");
    await first.exited;
    expect(readFileSync(marks, "utf8")).toBe("one\ntwo\n");

    const second = serve(repo, state);
    try {
      const url2 = await second.url;
      await until(
        async () => (await call(url2, "GET", `/api/runs/${runId}`)).run?.status === "succeeded",
        20_000,
      );
      expect(readFileSync(marks, "utf8")).toBe("one\ntwo\nthree\n");
      const d = await call(url2, "GET", `/api/runs/${runId}`);
      const long = d.attempts.filter((a: { stepId: string }) => a.stepId === "long");
      expect(long.map((a: { status: string }) => a.status)).toEqual(["lost", "succeeded"]);
      expect(second.out()).toContain("resuming runs interrupted by a previous process");
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  }, 60_000);

  it("drains on SIGTERM, exits 0, and the interrupted run resumes on the next start", async () => {
    const state = mkdtempSync(join(tmpdir(), "weft-state-"));
    const marks = join(state, "marks.txt");
    const repo = crashyRepo(marks);
    const first = serve(repo, state);
    const url1 = await first.url;
    const runId = await startRun(url1);
    await until(async () => (await stepStatus(url1, runId, "long")) === "running", 20_000);
    first.child.kill("SIGTERM");
    expect(await first.exited, first.out()).toBe(0);
    expect(first.out()).toContain("stopped; unfinished steps are released");
    expect(readFileSync(marks, "utf8")).toBe("one\ntwo\n");

    const second = serve(repo, state);
    try {
      const url2 = await second.url;
      await until(
        async () => (await call(url2, "GET", `/api/runs/${runId}`)).run?.status === "succeeded",
        20_000,
      );
      expect(readFileSync(marks, "utf8")).toBe("one\ntwo\nthree\n");
      const d = await call(url2, "GET", `/api/runs/${runId}`);
      const long = d.attempts.filter((a: { stepId: string }) => a.stepId === "long");
      // A released attempt does not count: the step's next claim is attempt 1 again.
      expect(long.map((a: { attempt: number; status: string }) => [a.attempt, a.status])).toEqual([
        [1, "succeeded"],
      ]);
    } finally {
      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0);
    }
    expect(existsSync(join(state, "weft.db"))).toBe(true);
  }, 60_000);
});
