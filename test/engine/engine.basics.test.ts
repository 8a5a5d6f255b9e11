import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, harness, stepStatuses } from "./harness.js";

let h: Harness;
afterEach(async () => h?.close());

describe("engine: dependencies, conditions, forEach", () => {
  it("runs steps in dependency order and passes typed outputs through templates", async () => {
    h = await harness();
    const file = join(h.dir, "marks.txt");
    const run = await h.run(`
name: order
steps:
  a: { uses: test/marker, with: { file: "${file}", line: a } }
  b: { uses: test/marker, needs: [a], with: { file: "${file}", line: "b after {{ steps.a.output.line }}" } }
  c: { uses: test/marker, with: { file: "${file}", line: "{{ steps.b.output.line }}/c" } }
`);
    expect(run.status).toBe("succeeded");
    expect(readFileSync(file, "utf8")).toBe("a\nb after a\nb after a/c\n");
    const steps = await h.store.listSteps(run.id);
    expect(steps.find((s) => s.stepId === "a")?.output).toMatchObject({
      line: "a",
      attempt: 1,
      key: `${run.id}:a`,
    });
  });

  it("skips a step whose condition is false, and its dependents without a condition", async () => {
    h = await harness();
    const file = join(h.dir, "marks.txt");
    const run = await h.run(`
name: cond
inputs: { go: { type: boolean, default: false } }
steps:
  gate: { uses: test/marker, if: "{{ inputs.go }}", with: { file: "${file}", line: gate } }
  after: { uses: test/marker, needs: [gate], with: { file: "${file}", line: after } }
  always: { uses: test/marker, needs: [gate], if: "{{ eq steps.gate.status \\"skipped\\" }}", with: { file: "${file}", line: always } }
`);
    expect(run.status).toBe("succeeded");
    expect(await stepStatuses(h, run.id)).toEqual({ gate: "skipped", after: "skipped", always: "succeeded" });
    expect(readFileSync(file, "utf8")).toBe("always\n");
  });

  it("fans out forEach items within its concurrency and collects outputs in order", async () => {
    h = await harness({ poolSize: 2 });
    const run = await h.run(`
name: fan
steps:
  list: { uses: test/window, with: { ms: 1, value: [10, 20, 30, 40, 50] } }
  each:
    forEach: "{{ steps.list.output.value }}"
    concurrency: 1
    uses: test/window
    with: { ms: 40, value: "{{ item }}" }
  total: { uses: test/window, with: { ms: 1, value: "{{ length steps.each.output }}" } }
`);
    expect(run.status).toBe("succeeded");
    const rows = await h.store.listSteps(run.id);
    const each = rows.find((r) => r.stepId === "each" && r.item === -1)!;
    const out = each.output as Array<{ start: number; end: number; value: number }>;
    expect(out.map((o) => o.value)).toEqual([10, 20, 30, 40, 50]);
    // concurrency 1: no two items overlap in time
    for (let i = 1; i < out.length; i++) expect(out[i]!.start).toBeGreaterThanOrEqual(out[i - 1]!.end);
    expect(rows.find((r) => r.stepId === "total")?.output).toMatchObject({ value: 5 });
  });

  it("lets a continueOnError step fail without failing the run; dependents see its status", async () => {
    h = await harness();
    const file = join(h.dir, "marks.txt");
    const run = await h.run(`
name: coe
steps:
  bad: { uses: test/flaky, continueOnError: true, with: { succeedOn: 99, nonRetryable: true } }
  next: { uses: test/marker, needs: [bad], if: "{{ eq steps.bad.status \\"failed\\" }}", with: { file: "${file}", line: "saw failure" } }
`);
    expect(run.status).toBe("succeeded");
    expect(await stepStatuses(h, run.id)).toEqual({ bad: "failed", next: "succeeded" });
  });

  it("fails the run, cancels steps that had not started, and runs onFailure steps", async () => {
    h = await harness();
    const file = join(h.dir, "marks.txt");
    const run = await h.run(`
name: fails
steps:
  bad: { uses: test/flaky, with: { succeedOn: 99, nonRetryable: true } }
  never: { uses: test/marker, needs: [bad], with: { file: "${file}", line: never } }
onFailure:
  alert: { uses: test/marker, with: { file: "${file}", line: "alert" } }
`);
    expect(run.status).toBe("failed");
    expect(run.error?.message).toMatch(/step bad failed: attempt 1 failed on purpose/);
    expect(await stepStatuses(h, run.id)).toEqual({ bad: "failed", never: "cancelled", alert: "succeeded" });
    expect(readFileSync(file, "utf8")).toBe("alert\n");
  });

  it("returns the existing run for a repeated idempotency key, also from a workflow template", async () => {
    h = await harness();
    const yaml = `
name: idem
idempotencyKey: "order-{{ trigger.payload.id }}"
steps:
  a: { uses: test/window, with: { ms: 1 } }
`;
    const first = await h.start(yaml, { trigger: { kind: "webhook", payload: { id: 7 } } });
    const again = await h.start(yaml, { trigger: { kind: "webhook", payload: { id: 7 } } });
    const other = await h.start(yaml, { trigger: { kind: "webhook", payload: { id: 8 } } });
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect(first.idempotencyKey).toBe("order-7");
    const explicit1 = await h.start(yaml, {
      trigger: { kind: "webhook", payload: { id: 9 } },
      idempotencyKey: "k",
    });
    const explicit2 = await h.start(yaml, {
      trigger: { kind: "webhook", payload: { id: 10 } },
      idempotencyKey: "k",
    });
    expect(explicit2.id).toBe(explicit1.id);
    await h.engine.waitForRun(first.id);
  });

  it("queues a run past the workflow's concurrency limit and starts it when the first ends", async () => {
    h = await harness();
    const yaml = `
name: conc
concurrency: { limit: 1, key: "{{ inputs.k }}" }
inputs: { k: { type: string, default: x } }
steps:
  a: { uses: test/window, with: { ms: 100 } }
`;
    const r1 = await h.start(yaml);
    const r2 = await h.start(yaml);
    const r3 = await h.start(yaml, { inputs: { k: "y" } });
    expect([r1.status, r2.status, r3.status]).toEqual(["running", "queued", "running"]);
    const done2 = await h.engine.waitForRun(r2.id);
    const done1 = await h.store.getRun(r1.id);
    expect(done2.status).toBe("succeeded");
    expect(done2.startedAt!).toBeGreaterThanOrEqual(done1!.finishedAt!);
  });

  it("records a slow step's start while it runs; a fast step's finish carries its start", async () => {
    h = await harness();
    const run = await h.start(`
name: starts
steps:
  fast: { uses: test/window, with: { ms: 1, value: fast } }
  slow: { uses: test/window, needs: [fast], with: { ms: 1500, value: slow } }
`);
    // The slow step's start record is written within START_RECORD_DELAY_MS plus a poll, once
    // the fast step is done (a thread's first step loads its module: slow on a loaded machine).
    const deadline = Date.now() + 5000;
    const slowRowNow = async () => (await h.store.listSteps(run.id)).find((s) => s.stepId === "slow");
    let attempts = await h.store.listAttempts(run.id);
    // Wait for the slow step's attempt (the fast one may show as running for a moment too).
    while (Date.now() < deadline) {
      const slow = await slowRowNow();
      if (attempts.some((a) => a.status === "running" && a.rowId === slow?.rowId)) break;
      await new Promise((r) => setTimeout(r, 10));
      attempts = await h.store.listAttempts(run.id);
    }
    const slowRow = await slowRowNow();
    expect(slowRow?.status).toBe("running");
    expect(slowRow?.input).toEqual({ ms: 1500, value: "slow" });
    expect(attempts.map((a) => [a.rowId, a.status])).toEqual([
      [slowRow?.rowId === undefined ? -1 : slowRow.rowId - 1, "succeeded"],
      [slowRow?.rowId, "running"],
    ]);
    const done = await h.engine.waitForRun(run.id);
    expect(done.status).toBe("succeeded");
    const rows = await h.store.listSteps(run.id);
    for (const row of rows) {
      expect(row.input).toMatchObject({ value: row.stepId });
      expect(row.startedAt).not.toBeNull();
    }
    expect((await h.store.listAttempts(run.id)).map((a) => [a.attempt, a.status, a.owner])).toEqual([
      [1, "succeeded", h.engine.owner],
      [1, "succeeded", h.engine.owner],
    ]);
  });
});
