/** `weft run --server URL` starts the run on a running server and follows it to the end. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveRepo, type TestServer, TOKEN } from "./helpers.js";
import { HELLO } from "./workflows.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "weft.js");
let s: TestServer;
beforeAll(async () => {
  s = await serveRepo({ "workflows/hello.yaml": HELLO });
}, 30_000);
afterAll(async () => s?.close());

function weft(args: string[], token = TOKEN): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: s.dir,
    env: { ...process.env, WEFT_API_TOKEN: token, NO_COLOR: "1" },
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    out += d;
  });
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, out })));
}

describe("weft run --server", () => {
  it("runs the deployed workflow named by the file, with typed inputs and an idempotency key", async () => {
    const args = ["run", "workflows/hello.yaml", "--server", s.service.url, "-i", "name=Grace"];
    const first = await weft([...args, "--idempotency-key", "cli-1"]);
    expect(first.code, first.out).toBe(0);
    const runId = /run (r[0-9a-z]+) on /.exec(first.out)?.[1];
    expect(runId).toBeDefined();
    expect(first.out).toMatch(/shout succeeded attempt=1/);
    expect(first.out).toContain(`run ${runId} succeeded`);
    const d = (await s.api("GET", `/api/runs/${runId}`)).json;
    expect(d.run.inputs).toEqual({ name: "Grace" });

    const again = await weft([...args, "--idempotency-key", "cli-1"]);
    expect(again.out).toContain(`run ${runId} on`);
    expect(again.out).toContain("existing run for this idempotency key");
  }, 30_000);

  it("says why when the token is wrong or the workflow is not deployed", async () => {
    const denied = await weft(["run", "hello", "--server", s.service.url], "nope");
    expect(denied.code).toBe(1);
    expect(denied.out).toContain("WEFT_API_UNAUTHORIZED");
    const missing = await weft(["run", "ghost", "--server", s.service.url]);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("workflow ghost is not deployed");
  }, 30_000);
});
