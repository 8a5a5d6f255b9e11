import { describe, expect, it } from "vitest";
import { runWorkflow } from "../../src/testing/index.js";
import { tempRepo } from "./helpers.js";

const WORKFLOW = `
name: isolation
defaults:
  retry: { attempts: 1 }
# Each misbehaving step fails; continueOnError lets the run go on around them, so the test
# sees that the engine kept working while they failed.
steps:
  ok:
    uses: acme/greet
    with: { who: Ada }
  after-ok:
    uses: log
    needs: [run-throws, never-resolves, oom, exits, throws-in-worker]
    # Runs once all of them are done, whatever their outcome (a plain need would skip it).
    if: "{{ eq steps.exits.status 'failed' }}"
    with: { message: "{{ steps.ok.output.greeting }}" }
  run-throws:
    uses: acme/run-throws
    continueOnError: true
  never-resolves:
    uses: acme/never-resolves
    continueOnError: true
    timeout: 1s
  oom:
    uses: acme/oom
    continueOnError: true
  exits:
    uses: acme/exits
    continueOnError: true
  throws-in-worker:
    uses: acme/throws-in-worker
    continueOnError: true
`;

describe("misbehaving plugins fail only their own step", () => {
  it("throws in run, never resolves, exhausts memory, exits its thread, throws when a worker imports it", async () => {
    const repo = tempRepo();
    repo.copy("good/greet.mjs", "plugins/greet.mjs");
    for (const name of ["run-throws", "never-resolves", "oom", "exits", "throws-in-worker"]) {
      repo.copy(`misbehaving/${name}.mjs`, `plugins/${name}.mjs`);
    }
    const result = await runWorkflow(WORKFLOW, { cwd: repo.dir, timeoutMs: 20_000, workerMemoryMb: 48 });
    expect(result.run.status).toBe("succeeded");
    expect(result.steps.ok).toMatchObject({ status: "succeeded", output: { greeting: "Hello, Ada!" } });
    expect(result.steps["after-ok"]).toMatchObject({
      status: "succeeded",
      output: { message: "Hello, Ada!" },
    });
    const failure = (id: string) => {
      const step = result.steps[id];
      expect(step?.status, id).toBe("failed");
      return step?.error;
    };
    expect(failure("run-throws")).toMatchObject({
      name: "TypeError",
      message: expect.stringMatching(/field/),
    });
    expect(failure("never-resolves")).toMatchObject({ code: "WEFT_STEP_TIMEOUT" });
    expect(failure("oom")).toMatchObject({ code: "WEFT_WORKER_OOM" });
    expect(failure("exits")).toMatchObject({ code: "WEFT_WORKER_CRASHED" });
    expect(failure("throws-in-worker")).toMatchObject({
      code: "WEFT_PLUGIN_LOAD_FAILED",
      message: expect.stringContaining("this plugin cannot start in a worker"),
    });
  });
});
