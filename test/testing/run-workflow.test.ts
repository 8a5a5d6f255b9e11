import { describe, expect, it } from "vitest";
import { runWorkflow } from "../../src/testing/index.js";

const PIPELINE = `
name: pipeline
inputs:
  region: { type: string, default: eu }
steps:
  fetch:
    uses: http
    with: { url: "https://api.example.com/{{ inputs.region }}/sales" }
    retry: { attempts: 3, backoff: exponential, delay: 30s }
  per-item:
    forEach: "{{ steps.fetch.output.body.items }}"
    uses: log
    with: { message: "item {{ item }} of {{ inputs.region }}" }
  report:
    uses: log
    needs: [per-item]
    with: { message: "total {{ steps.fetch.output.body.total }} for {{ trigger.kind }}" }
`;

const fetched = { status: 200, headers: {}, body: { items: ["a", "b"], total: 2 } };

describe("runWorkflow", () => {
  it("runs the real engine with a mocked step and returns every step's status and output", async () => {
    const result = await runWorkflow(PIPELINE, {
      inputs: { region: "us" },
      trigger: { kind: "manual" },
      mocks: { fetch: { output: fetched } },
    });
    expect(result.run.status).toBe("succeeded");
    expect(result.steps.fetch).toMatchObject({ status: "succeeded", output: fetched, attempts: 1 });
    expect(result.steps["per-item"]?.items?.map((i) => i.output)).toEqual([
      { message: "item a of us" },
      { message: "item b of us" },
    ]);
    expect(result.steps.report?.output).toEqual({ message: "total 2 for manual" });
  });

  it("plays a sequence one outcome per attempt under the step's retry policy, without waiting its delays", async () => {
    const started = Date.now();
    const result = await runWorkflow(PIPELINE, {
      mocks: {
        fetch: {
          sequence: [
            { error: { message: "503 from upstream" } },
            { error: { message: "503 again" } },
            { output: fetched },
          ],
        },
      },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.run.status).toBe("succeeded");
    expect(result.steps.fetch).toMatchObject({ status: "succeeded", attempts: 3 });
  });

  it("stops retrying at a non-retryable mocked error", async () => {
    const result = await runWorkflow(PIPELINE, {
      mocks: { fetch: { error: { message: "401 unauthorised", retryable: false, code: "ACME_AUTH" } } },
    });
    expect(result.run.status).toBe("failed");
    expect(result.steps.fetch).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { code: "ACME_AUTH", message: "401 unauthorised" },
    });
    expect(result.steps.report?.status).toBe("cancelled");
  });

  it("names the nearest step when a mock names one the workflow lacks", async () => {
    await expect(runWorkflow(PIPELINE, { mocks: { fetsh: { output: {} } } })).rejects.toThrow(
      'cannot mock step "fetsh": workflow pipeline has no such step; did you mean `fetch`?',
    );
  });

  it("throws the workflow's diagnostics with positions when it is invalid", async () => {
    const bad = "name: bad\nsteps:\n  a:\n    uses: lgo\n    with: { message: hi }\n";
    await expect(runWorkflow(bad)).rejects.toThrow(
      /workflow\.yaml:4:11.*unknown step type `lgo`.*did you mean `log`/s,
    );
  });
});
