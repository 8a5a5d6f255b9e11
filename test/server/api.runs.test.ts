/**
 * The API end to end over real HTTP: start runs, follow them to the end, read steps,
 * attempts and logs, page through runs, cancel, resume, dead letters and their replay,
 * deployments, workflows, health and metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveRepo, type TestServer } from "./helpers.js";
import { FAILS, HELLO, NO_MANUAL, SLOW } from "./workflows.js";

let s: TestServer;

beforeAll(async () => {
  s = await serveRepo({
    "workflows/hello.yaml": HELLO,
    "workflows/slow.yaml": SLOW,
    "workflows/fails.yaml": FAILS,
    "workflows/cron-only.yaml": NO_MANUAL,
  });
}, 30_000);
afterAll(async () => s?.close());

describe("the HTTP API", () => {
  it("lists the deployed workflows and the deployment that made them active", async () => {
    const wf = await s.api("GET", "/api/workflows");
    expect(wf.status).toBe(200);
    const names = wf.json.workflows.map((w: { name: string }) => w.name).sort();
    expect(names).toEqual(["cron-only", "fails", "hello", "slow"]);
    const hello = wf.json.workflows.find((w: { name: string }) => w.name === "hello");
    expect(hello.triggers).toEqual([{ kind: "manual" }]);
    expect(hello.steps).toEqual(["greet", "shout"]);
    expect(hello.commit).toMatch(/^[0-9a-f]{40}$/);

    const dep = await s.api("GET", "/api/deployments");
    expect(dep.status).toBe(200);
    expect(dep.json.deployments[0]).toMatchObject({ result: "deployed", commit: hello.commit });
    expect(dep.json.deployments[0].workflows).toEqual(["cron-only", "fails", "hello", "slow"]);
  });

  it("starts a run, runs it to the end and shows steps, attempts and logs", async () => {
    const started = await s.api("POST", "/api/workflows/hello/runs", { body: { inputs: { name: "Ada" } } });
    expect(started.status, started.text).toBe(201);
    expect(started.json.created).toBe(true);
    const runId = started.json.run.id as string;
    expect(started.json.run).toMatchObject({
      workflow: "hello",
      inputs: { name: "Ada" },
      trigger: { kind: "api" },
    });

    const done = await s.waitForRun(runId);
    expect(done.run.status).toBe("succeeded");
    expect(done.steps.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
      ["greet", "succeeded"],
      ["shout", "succeeded"],
    ]);
    expect(done.steps[1].output.stdout).toBe("HELLO Ada\n");
    expect(done.attempts).toHaveLength(2);
    expect(done.attempts[0]).toMatchObject({ stepId: "greet", attempt: 1, status: "succeeded" });

    const logs = await s.api("GET", `/api/runs/${runId}/logs`);
    expect(logs.status).toBe(200);
    expect(logs.json.logs.some((l: { message: string }) => l.message.includes("Hello, Ada!"))).toBe(true);
    const only = await s.api("GET", `/api/runs/${runId}/logs?step=shout`);
    expect(only.json.logs.every((l: { stepId: string }) => l.stepId === "shout")).toBe(true);

    // The server's own log lines about this run carry its workflow, version, run and step.
    const line = s.logs
      .map((l) => JSON.parse(l))
      .find((l) => l.runId === runId && l.stepId === "shout" && l.msg === "step succeeded");
    expect(line).toMatchObject({ workflow: "hello", runId, stepId: "shout", attempt: 1, type: "shell" });
    expect(line.version).toBe(done.run.versionId);
  });

  it("refuses bad inputs, unknown workflows and workflows without a manual trigger", async () => {
    const bad = await s.api("POST", "/api/workflows/hello/runs", { body: { inputs: { name: 5, extra: 1 } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toMatch(/^WEFT_RUN_INPUT_/);
    const unknownField = await s.api("POST", "/api/workflows/hello/runs", { body: { input: {} } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.json.error.code).toBe("WEFT_API_INVALID_REQUEST");
    const missing = await s.api("POST", "/api/workflows/nope/runs", { body: {} });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("WEFT_API_WORKFLOW_NOT_FOUND");
    const cronOnly = await s.api("POST", "/api/workflows/cron-only/runs", { body: {} });
    expect(cronOnly.status).toBe(403);
    expect(cronOnly.json.error.code).toBe("WEFT_API_MANUAL_NOT_ALLOWED");
    const noRun = await s.api("GET", "/api/runs/r-missing");
    expect(noRun.status).toBe(404);
    expect(noRun.json.error.code).toBe("WEFT_API_RUN_NOT_FOUND");
  });

  it("pages through runs with a cursor and filters by workflow and status", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await s.api("POST", "/api/workflows/hello/runs", { body: { inputs: { name: `p${i}` } } });
      ids.push(r.json.run.id);
    }
    for (const id of ids) await s.waitForRun(id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q = `/api/runs?workflow=hello&status=succeeded&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await s.api("GET", q);
      expect(page.status).toBe(200);
      expect(page.json.runs.length).toBeLessThanOrEqual(2);
      for (const r of page.json.runs) {
        expect(r).toMatchObject({ workflow: "hello", status: "succeeded" });
        seen.push(r.id);
      }
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    const badLimit = await s.api("GET", "/api/runs?limit=0");
    expect(badLimit.status).toBe(400);
  });

  it("cancels a running run and resumes it on its pinned version", async () => {
    const started = await s.api("POST", "/api/workflows/slow/runs", { body: {} });
    const runId = started.json.run.id as string;
    await s.waitForRun(runId, ["running"]);
    const cancelled = await s.api("POST", `/api/runs/${runId}/cancel`, {
      body: { reason: "test says stop" },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.cancelled).toBe(true);
    const after = await s.waitForRun(runId);
    expect(after.run.status).toBe("cancelled");
    expect(after.run.error.message).toBe("test says stop");

    // Until the step has stopped, a resume is refused (it would race with the step's last write).
    let resumed = await s.api("POST", `/api/runs/${runId}/resume`, { body: {} });
    while (resumed.status === 409 && resumed.json.error.code === "WEFT_RUN_BUSY") {
      await new Promise((r) => setTimeout(r, 50));
      resumed = await s.api("POST", `/api/runs/${runId}/resume`, { body: {} });
    }
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.json.rerun).toEqual(["wait"]);
    expect(resumed.json.version).toEqual({
      choice: "pinned",
      versionId: after.run.versionId,
      previousVersionId: after.run.versionId,
    });
    await s.waitForRun(runId, ["running"]);
    const again = await s.api("POST", `/api/runs/${runId}/cancel`);
    expect(again.json.cancelled).toBe(true);
    await s.waitForRun(runId);
  });

  it("records a dead letter after the last retry and replays it by resuming the run", async () => {
    const started = await s.api("POST", "/api/workflows/fails/runs", { body: {} });
    const runId = started.json.run.id as string;
    const done = await s.waitForRun(runId);
    expect(done.run.status).toBe("failed");
    expect(done.attempts.map((a: { status: string }) => a.status)).toEqual(["failed", "failed"]);

    const dead = await s.api("GET", "/api/dead-letters");
    const letter = dead.json.deadLetters.find((d: { runId: string }) => d.runId === runId);
    expect(letter).toMatchObject({ workflow: "fails", stepId: "boom", replayedAt: null });
    expect(letter.attempts).toHaveLength(2);

    const replay = await s.api("POST", `/api/dead-letters/${letter.id}/replay`, {
      body: { version: "active" },
    });
    expect(replay.status, replay.text).toBe(200);
    expect(replay.json).toMatchObject({ deadLetterId: letter.id, rerun: ["boom"] });
    expect(replay.json.version.choice).toBe("active");
    // The replay gets a fresh retry budget: two more attempts.
    await s.waitForRun(runId, ["running"]);
    const again = await s.waitForRun(runId);
    expect(again.run.status).toBe("failed");
    expect(again.attempts.map((a: { status: string }) => a.status)).toEqual([
      "failed",
      "failed",
      "failed",
      "failed",
    ]);

    const listed = await s.api("GET", "/api/dead-letters?all=true");
    const replayed = listed.json.deadLetters.find((d: { id: number }) => d.id === letter.id);
    expect(replayed.replayRunId).toBe(runId);
    const missing = await s.api("POST", "/api/dead-letters/999999/replay", { body: {} });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("WEFT_API_DEAD_LETTER_NOT_FOUND");
  });

  it("answers health, readiness and metrics without a token, and publishes OpenAPI", async () => {
    expect((await s.api("GET", "/healthz", { token: null })).json).toEqual({ status: "ok" });
    const ready = await s.api("GET", "/readyz", { token: null });
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ ready: true, checks: { store: { ok: true }, sync: { ok: true } } });
    const metrics = await s.api("GET", "/metrics", { token: null });
    expect(metrics.status).toBe(200);
    for (const name of [
      "weft_runs_total",
      "weft_steps_total",
      "weft_step_duration_seconds_bucket",
      "weft_ready_steps",
      "weft_step_retries_total",
      "weft_dead_letters_total",
      "weft_trigger_fires_total",
      "weft_last_successful_sync_timestamp_seconds",
      "weft_deploys_total",
    ]) {
      expect(metrics.text).toContain(name);
    }
    expect(metrics.text).toMatch(/weft_trigger_fires_total\{kind="api"\} [1-9]/);
    expect(metrics.text).toMatch(/weft_deploys_total\{result="deployed"\} 1/);
    expect(metrics.text).toMatch(/weft_steps_total\{status="succeeded",type="shell"\} [1-9]/);
    const syncAt = /weft_last_successful_sync_timestamp_seconds (\d+)/.exec(metrics.text)?.[1];
    expect(Number(syncAt)).toBeGreaterThan(Date.now() / 1000 - 600);

    const doc = await s.api("GET", "/api/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe("3.0.3");
    for (const path of [
      "/api/workflows/{name}/runs",
      "/api/workflows",
      "/api/runs",
      "/api/runs/{id}",
      "/api/runs/{id}/logs",
      "/api/runs/{id}/cancel",
      "/api/runs/{id}/resume",
      "/api/deployments",
      "/api/dead-letters",
      "/api/dead-letters/{id}/replay",
      "/hooks/{workflow}",
      "/healthz",
      "/readyz",
      "/metrics",
    ]) {
      expect(doc.json.paths[path], path).toBeDefined();
    }
    const start = doc.json.paths["/api/workflows/{name}/runs"].post;
    expect(start.parameters.map((p: { name: string }) => p.name)).toContain("idempotency-key");
    expect(start.responses["409"]).toBeDefined();
  });
});
