/**
 * One conformance suite for every Store implementation (after BullMQ's per-backend suites):
 * each backend's test file calls `storeConformance` with a factory for a fresh store.
 */
import { describe, expect, it } from "vitest";
import type { CompiledWorkflow } from "../../src/compile/types.js";
import type { NewStep, RunRecord, Store, VersionRecord } from "../../src/store/types.js";

export function tinyPlan(name = "wf"): CompiledWorkflow {
  const loc = { file: "wf.yaml", line: 1, col: 1 };
  const step = (id: string, needs: string[]) => ({
    id,
    uses: "log",
    with: { message: id },
    needs,
    explicitNeeds: needs,
    retry: { attempts: 1, backoff: "fixed" as const, delayMs: 0, maxDelayMs: 0, jitter: 0 },
    timeoutMs: 1000,
    continueOnError: false,
    location: loc,
    onFailure: false,
  });
  return {
    name,
    file: "wf.yaml",
    hash: `h-${name}`,
    inputs: {},
    triggers: [],
    steps: { a: step("a", []), b: step("b", ["a"]) },
    onFailure: {},
    waves: [["a"], ["b"]],
    onFailureWaves: [],
    dependents: { a: ["b"], b: [] },
    secrets: [],
  };
}

/**
 * Saves the tiny workflow's version (once per store: versions are unique by hash) and
 * starts a running, manually triggered run of it with these step rows.
 */
export async function createTestRun(
  store: Store,
  id: string,
  steps: NewStep[],
  inputs: Record<string, unknown> = {},
): Promise<{ v: VersionRecord; run: RunRecord }> {
  const v = await store.saveVersion({ workflow: "wf", hash: "h1", plan: tinyPlan(), source: "x" });
  const { run } = await store.createRun({
    id,
    workflow: "wf",
    versionId: v.id,
    status: "running",
    inputs,
    trigger: { kind: "manual" },
    steps,
  });
  return { v, run };
}

export function storeConformance(name: string, make: (now?: () => number) => Promise<Store>): void {
  describe(`${name} store conformance`, () => {
    function runWithTwoSteps(store: Store, id = "run1") {
      const steps: NewStep[] = [
        { stepId: "a", status: "queued", depsRemaining: 0 },
        { stepId: "b", status: "pending", depsRemaining: 1 },
      ];
      return createTestRun(store, id, steps, { a: 1 });
    }

    it("saves a version once per (workflow, hash)", async () => {
      const store = await make();
      const a = await store.saveVersion({ workflow: "wf", hash: "h1", plan: tinyPlan(), source: "x" });
      const b = await store.saveVersion({ workflow: "wf", hash: "h1", plan: tinyPlan(), source: "x" });
      expect(b.id).toBe(a.id);
      expect((await store.getVersion(a.id))?.plan.name).toBe("wf");
      await store.close();
    });

    it("returns the existing run for a reused idempotency key", async () => {
      const store = await make();
      const v = await store.saveVersion({ workflow: "wf", hash: "h1", plan: tinyPlan(), source: "x" });
      const req = {
        workflow: "wf",
        versionId: v.id,
        status: "running" as const,
        inputs: {},
        trigger: { kind: "manual" as const },
        idempotencyKey: "order-42",
        steps: [{ stepId: "a", status: "queued" as const, depsRemaining: 0 }],
      };
      const first = await store.createRun({ ...req, id: "r1" });
      const second = await store.createRun({ ...req, id: "r2" });
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.run.id).toBe("r1");
      await store.close();
    });

    it("claims ready steps, readies dependents on finish, and claims them in the same commit", async () => {
      const store = await make();
      await runWithTwoSteps(store);
      const c1 = await store.commit([], { owner: "n1", leaseMs: 10_000, limit: 10 });
      expect(c1.claimed.map((s) => s.stepId)).toEqual(["a"]);
      const a = c1.claimed[0]!;
      expect(a.status).toBe("running");
      expect(a.attempt).toBe(1);
      const c2 = await store.commit(
        [
          { type: "start", rowId: a.rowId, epoch: a.epoch, input: { message: "a" } },
          {
            type: "finish",
            rowId: a.rowId,
            epoch: a.epoch,
            status: "succeeded",
            output: { n: 1 },
            notify: { stepIds: ["b"] },
          },
        ],
        { owner: "n1", leaseMs: 10_000, limit: 10 },
      );
      expect(c2.applied).toEqual([true, true]);
      expect(c2.claimed.map((s) => s.stepId)).toEqual(["b"]);
      expect(c2.progress).toEqual([{ runId: "run1", open: 1, failing: false }]);
      const results = await store.stepResults("run1", ["a"]);
      expect(results.get("a")).toEqual({ status: "succeeded", output: { n: 1 } });
      const attempts = await store.listAttempts("run1");
      expect(attempts.map((x) => [x.attempt, x.status])).toEqual([[1, "succeeded"]]);
      await store.close();
    });

    it("records a finish that carries its start as one attempt with the step's input", async () => {
      let now = 5_000;
      const store = await make(() => now);
      await runWithTwoSteps(store);
      const [a] = (await store.commit([], { owner: "n1", leaseMs: 10_000, limit: 1 })).claimed;
      now = 6_000;
      const started = { input: { message: "a" }, owner: "n1" };
      const failed = { code: "E", name: "Error", message: "boom" };
      const res = await store.commit([
        { type: "finish", rowId: a!.rowId, epoch: a!.epoch, status: "failed", error: failed, started },
      ]);
      expect(res.applied).toEqual([true]);
      const [row] = (await store.listSteps("run1")).filter((s) => s.stepId === "a");
      expect(row?.input).toEqual({ message: "a" });
      expect(row?.startedAt).toBe(6_000);
      expect(row?.finishedAt).toBe(6_000);
      expect(await store.listAttempts("run1")).toEqual([
        {
          rowId: a!.rowId,
          attempt: 1,
          status: "failed",
          owner: "n1",
          error: failed,
          startedAt: 6_000,
          finishedAt: 6_000,
        },
      ]);
      // A stale owner's folded finish is fenced like any other.
      const stale = await store.commit([
        { type: "finish", rowId: a!.rowId, epoch: a!.epoch, status: "succeeded", started },
      ]);
      expect(stale.applied).toEqual([false]);
      expect((await store.listAttempts("run1")).length).toBe(1);
      await store.close();
    });

    it("fences a stale owner: a finish with an old epoch is not applied", async () => {
      let now = 1_000_000;
      const store = await make(() => now);
      await runWithTwoSteps(store);
      const [a1] = (await store.commit([], { owner: "n1", leaseMs: 1000, limit: 1 })).claimed;
      now += 5000; // n1 paused past its lease
      const [a2] = (await store.commit([], { owner: "n2", leaseMs: 1000, limit: 1 })).claimed;
      expect(a2!.rowId).toBe(a1!.rowId);
      expect(a2!.epoch).toBe(a1!.epoch + 1);
      const stale = await store.commit([
        {
          type: "finish",
          rowId: a1!.rowId,
          epoch: a1!.epoch,
          status: "succeeded",
          output: "old",
          notify: { stepIds: ["b"] },
        },
      ]);
      expect(stale.applied).toEqual([false]);
      const fresh = await store.commit([
        {
          type: "finish",
          rowId: a2!.rowId,
          epoch: a2!.epoch,
          status: "succeeded",
          output: "new",
          notify: { stepIds: ["b"] },
        },
      ]);
      expect(fresh.applied).toEqual([true]);
      expect((await store.stepResults("run1", ["a"])).get("a")?.output).toBe("new");
      // No start was recorded: n1's attempt is known from its claim, lost when n2 took over;
      // n2's finished attempt has no start either, so it has no record.
      const attempts = await store.listAttempts("run1");
      expect(attempts.map((x) => [x.attempt, x.status, x.owner])).toEqual([[1, "lost", "n1"]]);
      await store.close();
    });

    it("records an attempt lost before its start was recorded, from its claim", async () => {
      let now = 50_000;
      const store = await make(() => now);
      await runWithTwoSteps(store);
      // n1 claims and dies before its start record is written (it waits up to 50 ms).
      const [a1] = (await store.commit([], { owner: "n1", leaseMs: 1000, limit: 1 })).claimed;
      expect(await store.listAttempts("run1")).toEqual([]);
      now = 52_000;
      const [a2] = (await store.commit([], { owner: "n2", leaseMs: 1000, limit: 1 })).claimed;
      expect([a2!.rowId, a2!.attempt]).toEqual([a1!.rowId, 2]);
      expect(await store.listAttempts("run1")).toEqual([
        {
          rowId: a1!.rowId,
          attempt: 1,
          status: "lost",
          owner: "n1",
          error: null,
          startedAt: 50_000,
          finishedAt: 52_000,
        },
      ]);
      await store.close();
    });

    it("queues the rows a finish made ready when the commit claims none", async () => {
      const store = await make();
      await runWithTwoSteps(store);
      const [a] = (await store.commit([], { owner: "n1", leaseMs: 10_000, limit: 1 })).claimed;
      const finish = {
        type: "finish" as const,
        rowId: a!.rowId,
        epoch: a!.epoch,
        status: "succeeded" as const,
      };
      await store.commit([{ ...finish, notify: { stepIds: ["b"] } }]);
      const b = (await store.listSteps("run1")).find((r) => r.stepId === "b");
      expect([b?.status, b?.depsRemaining]).toEqual(["queued", 0]);
      expect(await store.queueStats()).toEqual({ readySteps: 1, deadLetters: 0 });
      const [claimed] = (await store.commit([], { owner: "n1", leaseMs: 10_000, limit: 5 })).claimed;
      expect(claimed?.stepId).toBe("b");
      await store.close();
    });

    it("claims later the rows a finish made ready beyond the claim's limit", async () => {
      const now = 1_000_000;
      const store = await make(() => now);
      await createTestRun(store, "fan", [
        { stepId: "a", status: "queued", depsRemaining: 0 },
        { stepId: "b", status: "pending", depsRemaining: 1 },
        { stepId: "c", status: "pending", depsRemaining: 1 },
      ]);
      const one = { owner: "n1", leaseMs: 10_000, limit: 1 };
      const [a] = (await store.commit([], one)).claimed;
      const finish = {
        type: "finish" as const,
        rowId: a!.rowId,
        epoch: a!.epoch,
        status: "succeeded" as const,
      };
      const first = await store.commit([{ ...finish, notify: { stepIds: ["b", "c"] } }], one);
      expect(first.claimed.map((r) => r.stepId)).toEqual(["b"]);
      // Same instant, no other activity: the one left over is still found.
      const second = await store.commit([], { ...one, limit: 5 });
      expect(second.claimed.map((r) => r.stepId)).toEqual(["c"]);
      await store.close();
    });

    it("does not claim a retry before its time", async () => {
      let now = 1_000_000;
      const store = await make(() => now);
      await runWithTwoSteps(store);
      const [a] = (await store.commit([], { owner: "n1", leaseMs: 1000, limit: 1 })).claimed;
      const err = { code: "X", name: "Error", message: "boom" };
      await store.commit([
        { type: "retry", rowId: a!.rowId, epoch: a!.epoch, error: err, notBefore: now + 500 },
      ]);
      expect((await store.commit([], { owner: "n1", leaseMs: 1000, limit: 1 })).claimed).toEqual([]);
      now += 501;
      const [again] = (await store.commit([], { owner: "n1", leaseMs: 1000, limit: 1 })).claimed;
      expect(again!.attempt).toBe(2);
      await store.close();
    });

    it("failRun cancels not-started steps and stops claims for the run", async () => {
      const store = await make();
      await runWithTwoSteps(store);
      const [a] = (await store.commit([], { owner: "n1", leaseMs: 1000, limit: 1 })).claimed;
      const err = { code: "X", name: "Error", message: "boom" };
      const res = await store.commit([
        { type: "finish", rowId: a!.rowId, epoch: a!.epoch, status: "failed", error: err, failRun: true },
      ]);
      expect(res.progress).toEqual([{ runId: "run1", open: 0, failing: true }]);
      const steps = await store.listSteps("run1");
      expect(steps.map((s) => [s.stepId, s.status])).toEqual([
        ["a", "failed"],
        ["b", "cancelled"],
      ]);
      await store.close();
    });

    it("fans out forEach items with a concurrency window and readies the parent after the last", async () => {
      const store = await make();
      await runWithTwoSteps(store);
      const claim = { owner: "n1", leaseMs: 10_000, limit: 10 };
      const [a] = (await store.commit([], claim)).claimed;
      const fan = await store.commit(
        [{ type: "fanout", rowId: a!.rowId, epoch: a!.epoch, items: 3, concurrency: 2 }],
        claim,
      );
      expect(fan.claimed.map((s) => s.item)).toEqual([0, 1]);
      const [i0, i1] = fan.claimed;
      const notify = { parentRow: a!.rowId, nextItemOf: a!.rowId };
      const r1 = await store.commit(
        [{ type: "finish", rowId: i0!.rowId, epoch: i0!.epoch, status: "succeeded", output: 0, notify }],
        claim,
      );
      expect(r1.claimed.map((s) => s.item)).toEqual([2]);
      const r2 = await store.commit(
        [
          { type: "finish", rowId: i1!.rowId, epoch: i1!.epoch, status: "succeeded", output: 1, notify },
          {
            type: "finish",
            rowId: r1.claimed[0]!.rowId,
            epoch: r1.claimed[0]!.epoch,
            status: "succeeded",
            output: 2,
            notify,
          },
        ],
        claim,
      );
      expect(r2.claimed.map((s) => [s.stepId, s.item, s.fanout])).toEqual([["a", -1, 3]]);
      expect((await store.itemResults(a!.rowId)).map((i) => i.output)).toEqual([0, 1, 2]);
      await store.close();
    });

    it("queues a run past its concurrency limit and promotes it when the first finishes", async () => {
      const store = await make();
      const v = await store.saveVersion({ workflow: "wf", hash: "h1", plan: tinyPlan(), source: "x" });
      const base = {
        workflow: "wf",
        versionId: v.id,
        status: "running" as const,
        inputs: {},
        trigger: { kind: "manual" as const },
        concurrencyKey: "k",
        steps: [{ stepId: "a", status: "queued" as const, depsRemaining: 0 }],
      };
      const r1 = await store.createRun({ ...base, id: "c1", concurrency: { limit: 1, onLimit: "queue" } });
      const r2 = await store.createRun({ ...base, id: "c2", concurrency: { limit: 1, onLimit: "queue" } });
      const r3 = await store.createRun({ ...base, id: "c3", concurrency: { limit: 1, onLimit: "skip" } });
      expect([r1.run.status, r2.run.status, r3.run.status]).toEqual(["running", "queued", "cancelled"]);
      expect(r3.run.error?.code).toBe("WEFT_RUN_CONCURRENCY_SKIPPED");
      await store.commit([{ type: "runStatus", runId: "c1", status: "succeeded", from: ["running"] }]);
      await store.commit([{ type: "promote", workflow: "wf", concurrencyKey: "k", limit: 1 }]);
      expect((await store.getRun("c2"))?.status).toBe("running");
      await store.close();
    });

    it("reads only the rows that decide how a run ends", async () => {
      const store = await make();
      await runWithTwoSteps(store);
      const claim = { owner: "n1", leaseMs: 10_000, limit: 5 };
      const [a] = (await store.commit([], claim)).claimed;
      expect((await store.decidingSteps("run1")).map((r) => [r.stepId, r.status])).toEqual([
        ["a", "running"],
        ["b", "pending"],
      ]);
      const done = {
        type: "finish" as const,
        rowId: a!.rowId,
        epoch: a!.epoch,
        status: "succeeded" as const,
      };
      const [b] = (await store.commit([{ ...done, notify: { stepIds: ["b"] } }], claim)).claimed;
      expect((await store.decidingSteps("run1")).map((r) => r.stepId)).toEqual(["b"]);
      const error = { code: "E", name: "Error", message: "no" };
      await store.commit([{ type: "finish", rowId: b!.rowId, epoch: b!.epoch, status: "failed", error }]);
      const deciding = await store.decidingSteps("run1");
      expect(deciding.map((r) => [r.stepId, r.status, r.error?.message])).toEqual([["b", "failed", "no"]]);
      await store.close();
    });

    it("fences checkpoint saves by the claim's epoch", async () => {
      let now = 1_000_000;
      const store = await make(() => now);
      await runWithTwoSteps(store);
      const key = { runId: "run1", stepId: "a", item: -1 };
      const [a1] = (await store.commit([], { owner: "n1", leaseMs: 1000, limit: 1 })).claimed;
      await store.saveCheckpoint(key, { offset: 1 }, { rowId: a1!.rowId, epoch: a1!.epoch });
      now += 5000; // n1 paused past its lease; n2 takes the step over
      const [a2] = (await store.commit([], { owner: "n2", leaseMs: 1000, limit: 1 })).claimed;
      await store.saveCheckpoint(key, { offset: 2 }, { rowId: a2!.rowId, epoch: a2!.epoch });
      await expect(
        store.saveCheckpoint(key, { offset: 99 }, { rowId: a1!.rowId, epoch: a1!.epoch }),
      ).rejects.toMatchObject({ code: "WEFT_STEP_LEASE_LOST" });
      expect(await store.getCheckpoint(key)).toEqual({ offset: 2 });
      await store.commit([{ type: "finish", rowId: a2!.rowId, epoch: a2!.epoch, status: "succeeded" }]);
      // A finished step takes no more saves, even from its own last owner.
      await expect(
        store.saveCheckpoint(key, { offset: 3 }, { rowId: a2!.rowId, epoch: a2!.epoch }),
      ).rejects.toMatchObject({ code: "WEFT_STEP_LEASE_LOST" });
      expect(await store.getCheckpoint(key)).toEqual({ offset: 2 });
      await store.close();
    });

    it("keeps checkpoints per (run, step, item) and bounds logs per step", async () => {
      const store = await make();
      await runWithTwoSteps(store);
      const key = { runId: "run1", stepId: "a", item: -1 };
      expect(await store.getCheckpoint(key)).toBeUndefined();
      await store.saveCheckpoint(key, { offset: 10 });
      await store.saveCheckpoint(key, { offset: 20 });
      expect(await store.getCheckpoint(key)).toEqual({ offset: 20 });
      const [a] = (await store.commit([], { owner: "n1", leaseMs: 1000, limit: 1 })).claimed;
      const lines = Array.from({ length: 2100 }, (_, i) => ({
        runId: "run1",
        rowId: a!.rowId,
        attempt: 1,
        ts: i,
        level: "info" as const,
        message: `line ${i}`,
      }));
      await store.appendLogs(lines);
      const logs = await store.listLogs("run1");
      expect(logs.length).toBe(2001);
      expect(logs.at(-1)?.message).toMatch(/log limit/);
      await store.close();
    });

    it("resets a failed run for resume and records dead letters", async () => {
      const store = await make();
      await runWithTwoSteps(store);
      const [a] = (await store.commit([], { owner: "n1", leaseMs: 1000, limit: 1 })).claimed;
      const err = { code: "X", name: "Error", message: "boom" };
      await store.commit([
        { type: "start", rowId: a!.rowId, epoch: a!.epoch, input: { message: "a" } },
        {
          type: "deadLetter",
          runId: "run1",
          rowId: a!.rowId,
          workflow: "wf",
          stepId: "a",
          item: -1,
          error: err,
          input: { message: "a" },
        },
        { type: "finish", rowId: a!.rowId, epoch: a!.epoch, status: "failed", error: err, failRun: true },
        { type: "runStatus", runId: "run1", status: "failed", error: err, from: ["running"] },
      ]);
      const dead = await store.listDeadLetters();
      expect(dead.length).toBe(1);
      expect(dead[0]!.attempts.map((x) => x.status)).toEqual(["failed"]);
      await store.markReplayed(dead[0]!.id, "run2");
      expect(await store.listDeadLetters()).toEqual([]);
      const steps = await store.listSteps("run1");
      await store.resetRun(
        "run1",
        [
          { rowId: steps[0]!.rowId, status: "queued", depsRemaining: 0 },
          { rowId: steps[1]!.rowId, status: "pending", depsRemaining: 1 },
        ],
        [],
      );
      const run = await store.getRun("run1");
      expect(run?.status).toBe("running");
      expect(run?.failing).toBe(false);
      const [again] = (await store.commit([], { owner: "n1", leaseMs: 1000, limit: 5 })).claimed;
      expect(again!.stepId).toBe("a");
      expect(again!.attempt).toBe(2);
      await store.close();
    });

    it("keeps every attempt's history: retried, released, lost, archived by a resume, and current", async () => {
      let now = 1_000;
      const store = await make(() => now);
      await runWithTwoSteps(store);
      const lease = { owner: "n1", leaseMs: 1000, limit: 1 };
      const boom = { code: "X", name: "Error", message: "boom" };
      const startOf = (c: { rowId: number; epoch: number }) => ({
        type: "start" as const,
        rowId: c.rowId,
        epoch: c.epoch,
        input: { message: "a" },
      });
      // Attempt 1 fails and is retried.
      const [a1] = (await store.commit([], lease)).claimed;
      await store.commit([
        startOf(a1!),
        { type: "retry", rowId: a1!.rowId, epoch: a1!.epoch, error: boom, notBefore: now },
      ]);
      // Attempt 2 is released (shutdown): its number is used again by the next claim.
      now = 2_000;
      const [a2] = (await store.commit([], lease)).claimed;
      await store.commit([startOf(a2!), { type: "release", rowId: a2!.rowId, epoch: a2!.epoch }]);
      expect((await store.listAttempts("run1")).map((x) => [x.attempt, x.status])).toEqual([
        [1, "failed"],
        [2, "released"],
      ]);
      // Attempt 2 again: its owner vanishes, the lease expires, n2 takes over (attempt 3).
      now = 3_000;
      const [a2b] = (await store.commit([], lease)).claimed;
      expect(a2b!.attempt).toBe(2);
      await store.commit([startOf(a2b!)]);
      expect((await store.listAttempts("run1")).at(-1)).toMatchObject({
        attempt: 2,
        status: "running",
        owner: "n1",
        finishedAt: null,
      });
      now = 10_000;
      const [a3] = (await store.commit([], { ...lease, owner: "n2" })).claimed;
      expect(a3!.attempt).toBe(3);
      await store.commit([
        {
          type: "finish",
          rowId: a3!.rowId,
          epoch: a3!.epoch,
          status: "failed",
          error: boom,
          failRun: true,
          started: { input: { message: "a" }, owner: "n2" },
        },
      ]);
      const before = await store.listAttempts("run1");
      expect(before.map((x) => [x.attempt, x.status, x.owner])).toEqual([
        [1, "failed", "n1"],
        [2, "lost", "n1"],
        [3, "failed", "n2"],
      ]);
      expect(before[0]).toMatchObject({ error: boom, startedAt: 1_000, finishedAt: 1_000 });
      expect(before[1]).toMatchObject({ error: null, startedAt: 3_000, finishedAt: 10_000 });
      expect(before[2]).toMatchObject({ error: boom, startedAt: 10_000, finishedAt: 10_000 });
      // A resume archives the failed attempt; attempt 4 then succeeds.
      now = 20_000;
      const steps = await store.listSteps("run1");
      await store.resetRun("run1", [{ rowId: steps[0]!.rowId, status: "queued", depsRemaining: 0 }], []);
      expect(await store.listAttempts("run1")).toEqual(before);
      const [a4] = (await store.commit([], lease)).claimed;
      expect(a4!.attempt).toBe(4);
      await store.commit([
        {
          type: "finish",
          rowId: a4!.rowId,
          epoch: a4!.epoch,
          status: "succeeded",
          output: 1,
          started: { input: { message: "a" }, owner: "n1" },
        },
      ]);
      const all = await store.listAttempts("run1");
      expect(all.map((x) => [x.attempt, x.status])).toEqual([
        [1, "failed"],
        [2, "lost"],
        [3, "failed"],
        [4, "succeeded"],
      ]);
      expect(all[3]).toMatchObject({ error: null, startedAt: 20_000, finishedAt: 20_000, owner: "n1" });
      await store.close();
    });
    it("re-pins a run to another version when resetting it, and counts queued rows and dead letters", async () => {
      const store = await make();
      const { run } = await runWithTwoSteps(store);
      expect(await store.queueStats()).toEqual({ readySteps: 1, deadLetters: 0 });
      const v2 = await store.saveVersion({ workflow: "wf", hash: "h2", plan: tinyPlan(), source: "y" });
      const [a] = (await store.commit([], { owner: "n1", leaseMs: 1000, limit: 1 })).claimed;
      expect(await store.queueStats()).toEqual({ readySteps: 0, deadLetters: 0 });
      const err = { code: "X", name: "Error", message: "boom" };
      await store.commit([
        {
          type: "deadLetter",
          runId: run.id,
          rowId: a!.rowId,
          workflow: "wf",
          stepId: "a",
          item: -1,
          error: err,
          input: null,
        },
        { type: "finish", rowId: a!.rowId, epoch: a!.epoch, status: "failed", error: err, failRun: true },
        { type: "runStatus", runId: run.id, status: "failed", error: err, from: ["running"] },
      ]);
      const steps = await store.listSteps(run.id);
      await store.resetRun(
        run.id,
        [
          { rowId: steps[0]!.rowId, status: "queued", depsRemaining: 0 },
          { rowId: steps[1]!.rowId, status: "pending", depsRemaining: 1 },
        ],
        [],
        { versionId: v2.id },
      );
      const after = await store.getRun(run.id);
      expect(after?.versionId).toBe(v2.id);
      expect(after?.status).toBe("running");
      expect(await store.queueStats()).toEqual({ readySteps: 1, deadLetters: 1 });
      const events = await store.listEvents(run.id);
      expect(events.at(-1)).toMatchObject({ kind: "run.resumed", data: { versionId: v2.id } });
      await store.close();
    });

    it("lists runs newest first with a cursor", async () => {
      const store = await make();
      for (let i = 0; i < 5; i++) await createTestRun(store, `r${i}`, []);
      const page1 = await store.listRuns({ limit: 2 });
      expect(page1.map((r) => r.id)).toEqual(["r4", "r3"]);
      const page2 = await store.listRuns({ limit: 2, before: "r3" });
      expect(page2.map((r) => r.id)).toEqual(["r2", "r1"]);
      await store.close();
    });

    it("deploys atomically: the active set becomes exactly the deployed workflows", async () => {
      const store = await make();
      const v = (name: string, hash: string) => ({ workflow: name, hash, plan: tinyPlan(name), source: "x" });
      const d1 = await store.recordDeployment({
        commit: "c1",
        author: "ann",
        message: "first",
        result: "deployed",
        versions: [v("a", "1"), v("b", "1")],
      });
      expect(d1.workflows).toEqual(["a", "b"]);
      expect((await store.activeWorkflows()).map((w) => w.workflow)).toEqual(["a", "b"]);
      const bad = await store.recordDeployment({
        commit: "c2",
        result: "failed",
        errors: [{ message: "cycle" }],
      });
      expect(bad.errors).toEqual([{ message: "cycle" }]);
      expect((await store.activeWorkflows()).map((w) => w.workflow)).toEqual(["a", "b"]);
      await store.recordDeployment({ commit: "c3", result: "deployed", versions: [v("a", "2")] });
      const active = await store.activeWorkflows();
      expect(active.map((w) => [w.workflow, w.version.hash, w.version.commit])).toEqual([["a", "2", "c3"]]);
      expect((await store.listDeployments()).map((d) => [d.commit, d.result])).toEqual([
        ["c3", "deployed"],
        ["c2", "failed"],
        ["c1", "deployed"],
      ]);
      await store.close();
    });

    it("claims a trigger slot once, across calls", async () => {
      const store = await make();
      expect(await store.claimTriggerSlot("schedule", "wf", "2026-01-01T02:00:00.000Z")).toBe(true);
      expect(await store.claimTriggerSlot("schedule", "wf", "2026-01-01T02:00:00.000Z")).toBe(false);
      expect(await store.claimTriggerSlot("webhook", "wf", "2026-01-01T02:00:00.000Z")).toBe(true);
      await store.setTriggerRun("webhook", "wf", "2026-01-01T02:00:00.000Z", "r1");
      expect(await store.triggerRun("webhook", "wf", "2026-01-01T02:00:00.000Z")).toBe("r1");
      expect(await store.triggerRun("schedule", "wf", "2026-01-01T02:00:00.000Z")).toBeNull();
      expect(await store.triggerRun("schedule", "wf", "nope")).toBeUndefined();
      await store.claimTriggerSlot("schedule", "wf", "2026-01-02T02:00:00.000Z");
      expect(await store.lastScheduleSlot("wf")).toBe("2026-01-02T02:00:00.000Z");
      expect(await store.lastScheduleSlot("other")).toBeUndefined();
      await store.close();
    });

    it("closes a retry scheduled after its run failed, so the run can finish", async () => {
      const store = await make();
      await createTestRun(store, "par", [
        { stepId: "a", status: "queued", depsRemaining: 0 },
        { stepId: "b", status: "queued", depsRemaining: 0 },
      ]);
      const [a, b] = (await store.commit([], { owner: "n1", leaseMs: 10_000, limit: 2 })).claimed;
      const err = { code: "X", name: "Error", message: "boom" };
      await store.commit([
        { type: "finish", rowId: a!.rowId, epoch: a!.epoch, status: "failed", error: err, failRun: true },
      ]);
      const res = await store.commit([
        { type: "retry", rowId: b!.rowId, epoch: b!.epoch, error: err, notBefore: 0 },
      ]);
      expect(res.applied).toEqual([true]);
      expect(res.progress).toEqual([{ runId: "par", open: 0, failing: true }]);
      expect((await store.listSteps("par")).map((s) => s.status)).toEqual(["failed", "cancelled"]);
      await store.close();
    });
  });
}
