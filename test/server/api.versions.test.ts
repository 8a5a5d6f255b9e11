/**
 * Runs stay pinned to the version they started on while Git sync deploys new ones; a resume
 * chooses the pinned (default) or the active version and says which it used; a removed
 * workflow stops accepting runs while its running ones finish.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitFiles, serveRepo, type TestServer, until } from "./helpers.js";

const flow = (message: string, extraStep = "") => `name: pinned
on:
  manual: {}
steps:
  pause:
    uses: sleep
    with: { duration: 20s }
  say:
    needs: [pause]
    uses: log
    with: { message: "${message}" }
${extraStep}`;

const OTHER = `name: other
on:
  manual: {}
steps:
  pause:
    uses: sleep
    with: { duration: 1s }
`;

let s: TestServer;
beforeAll(async () => {
  s = await serveRepo({ "workflows/pinned.yaml": flow("v1"), "workflows/other.yaml": OTHER });
}, 30_000);
afterAll(async () => s?.close());

async function activeVersion(name: string): Promise<number> {
  const wf = await s.api("GET", "/api/workflows");
  return wf.json.workflows.find((w: { name: string }) => w.name === name)?.versionId;
}

async function stopRun(runId: string): Promise<void> {
  await s.api("POST", `/api/runs/${runId}/cancel`);
  await until(async () => {
    const d = (await s.api("GET", `/api/runs/${runId}`)).json;
    return d.steps.every((x: { status: string }) => x.status !== "running");
  }, 10_000);
}

describe("versions", () => {
  it("keeps a running run on its version, and resumes on the active one when asked", async () => {
    const v1 = await activeVersion("pinned");
    const run = (await s.api("POST", "/api/workflows/pinned/runs", { body: {} })).json.run;
    expect(run.versionId).toBe(v1);

    commitFiles(s.dir, { "workflows/pinned.yaml": flow("v2") });
    await until(async () => (await activeVersion("pinned")) !== v1, 15_000);
    const v2 = await activeVersion("pinned");
    const newer = (await s.api("POST", "/api/workflows/pinned/runs", { body: {} })).json.run;
    expect(newer.versionId).toBe(v2);
    expect((await s.api("GET", `/api/runs/${run.id}`)).json.run.versionId).toBe(v1);

    await stopRun(run.id);
    const resumed = await s.api("POST", `/api/runs/${run.id}/resume`, { body: { version: "active" } });
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.json.version).toEqual({ choice: "active", versionId: v2, previousVersionId: v1 });
    expect(resumed.json.run.versionId).toBe(v2);

    // A version whose steps differ cannot take over a run halfway.
    commitFiles(s.dir, {
      "workflows/pinned.yaml": flow("v3", "  extra:\n    uses: log\n    with: { message: new }\n"),
    });
    await until(async () => (await activeVersion("pinned")) !== v2, 15_000);
    await stopRun(run.id);
    const refused = await s.api("POST", `/api/runs/${run.id}/resume`, { body: { version: "active" } });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("WEFT_RUN_VERSION_INCOMPATIBLE");
    expect(refused.json.error.message).toContain("added extra");
    const pinned = await s.api("POST", `/api/runs/${run.id}/resume`, { body: {} });
    expect(pinned.status).toBe(200);
    expect(pinned.json.version).toEqual({ choice: "pinned", versionId: v2, previousVersionId: v2 });
    await stopRun(run.id);
    await stopRun(newer.id);
  }, 40_000);

  it("stops accepting runs of a removed workflow while its running run finishes", async () => {
    const run = (await s.api("POST", "/api/workflows/other/runs", { body: {} })).json.run;
    const { rmSync } = await import("node:fs");
    rmSync(`${s.dir}/workflows/other.yaml`);
    commitFiles(s.dir, {});
    await until(async () => (await activeVersion("other")) === undefined, 15_000);
    const refused = await s.api("POST", "/api/workflows/other/runs", { body: {} });
    expect(refused.status).toBe(404);
    const done = await s.waitForRun(run.id);
    expect(done.run.status).toBe("succeeded");
  }, 30_000);
});
