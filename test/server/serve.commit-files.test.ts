/**
 * A synced commit brings its own files: a plugin from the repository's plugins/ folder and
 * the scripts a shell step runs come from the commit the run is pinned to, not from the
 * server's working tree.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commitFiles, serveRepo, type TestServer } from "./helpers.js";

const PLUGIN = `export default {
  name: "acme-plugins",
  version: "1.0.0",
  apiVersion: 1,
  steps: [{
    name: "acme/greet",
    description: "greets",
    inputSchema: { type: "object", properties: { who: { type: "string" } }, required: ["who"], additionalProperties: false },
    async run(ctx) { return { greeting: "hi " + ctx.input.who }; },
  }],
};
`;

const WORKFLOW = `name: commit-files
on: { manual: {} }
steps:
  greet: { uses: acme/greet, with: { who: ada } }
  script: { uses: shell, needs: [greet], with: { command: ["sh", "./scripts/hello.sh"] } }
`;

let s: TestServer | undefined;
afterEach(async () => s?.close());

describe("weft serve runs steps with the files of the deployed commit", () => {
  it("loads the commit's plugins/ and runs its scripts, even after the working tree changes", async () => {
    s = await serveRepo({
      "workflows/wf.yaml": WORKFLOW,
      "plugins/greet.mjs": PLUGIN,
      "scripts/hello.sh": "echo from-commit-1\n",
    });
    // An uncommitted edit in the server's working tree must not be what runs.
    writeFileSync(join(s.dir, "scripts", "hello.sh"), "echo from-working-tree\n");
    const started = await s.api("POST", "/api/workflows/commit-files/runs", { body: {} });
    expect(started.status, started.text).toBe(201);
    const done = await s.waitForRun(started.json.run.id);
    expect(done.run.status, JSON.stringify(done.steps)).toBe("succeeded");
    const byId = Object.fromEntries(done.steps.map((x: { id: string; output: unknown }) => [x.id, x.output]));
    expect(byId.greet).toEqual({ greeting: "hi ada" });
    expect(byId.script.stdout).toBe("from-commit-1\n");

    // A commit that changes only the script deploys a new version with the new script.
    commitFiles(s.dir, { "scripts/hello.sh": "echo from-commit-2\n" });
    const until = Date.now() + 15_000;
    for (;;) {
      const deployments = await s.api("GET", "/api/deployments");
      if (deployments.json.deployments.length >= 2) break;
      if (Date.now() > until) throw new Error("second commit not deployed");
      await new Promise((r) => setTimeout(r, 100));
    }
    const again = await s.api("POST", "/api/workflows/commit-files/runs", { body: {} });
    const done2 = await s.waitForRun(again.json.run.id);
    const script2 = done2.steps.find((x: { id: string }) => x.id === "script");
    expect(script2.output.stdout).toBe("from-commit-2\n");

    // Old checkouts are pruned after deploys; a run of a pruned commit, resumed later, gets
    // its commit's files again rather than another commit's or the working tree's.
    rmSync(join(s.stateDir, "checkouts"), { recursive: true, force: true });
    const resumed = await s.api("POST", `/api/runs/${started.json.run.id}/resume`, {
      body: { from: "script" },
    });
    expect(resumed.status, resumed.text).toBe(200);
    const done3 = await s.waitForRun(started.json.run.id);
    const script3 = done3.steps.find((x: { id: string }) => x.id === "script");
    expect(script3.output.stdout).toBe("from-commit-1\n");
  }, 60_000);
});
