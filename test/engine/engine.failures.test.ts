import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { retryDelay } from "../../src/engine/backoff.js";
import { type Harness, harness, stepStatuses } from "./harness.js";

let h: Harness;
afterEach(async () => h?.close());

describe("engine: retries, timeouts, crashes, cancellation", () => {
  it("computes backoff: fixed, exponential capped at maxDelay, jitter downwards", () => {
    const p = { attempts: 5, backoff: "exponential" as const, delayMs: 1000, maxDelayMs: 5000, jitter: 0 };
    expect([1, 2, 3, 4].map((a) => retryDelay(p, a))).toEqual([1000, 2000, 4000, 5000]);
    expect(retryDelay({ ...p, backoff: "fixed" }, 4)).toBe(1000);
    expect(retryDelay({ ...p, jitter: 1 }, 2, () => 0.5)).toBe(1000);
    expect(retryDelay({ ...p, jitter: 0.5 }, 1, () => 1)).toBe(500);
  });

  it("retries on the policy's schedule, measured on an injected clock", async () => {
    let now = 1_000_000;
    h = await harness({ now: () => now });
    const run = await h.start(`
name: retry
steps:
  f:
    uses: test/flaky
    with: { succeedOn: 3 }
    retry: { attempts: 3, backoff: exponential, delay: 10s, maxDelay: 1m }
`);
    const waitFor = async (pred: () => boolean) => {
      for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    const retries = () => h.events.filter((e) => e.status === "retrying");
    await waitFor(() => retries().length === 1);
    expect(retries()[0]!.retryAt).toBe(1_000_000 + 10_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(retries().length).toBe(1); // not before its time
    now += 10_000;
    await waitFor(() => retries().length === 2);
    expect(retries()[1]!.retryAt).toBe(1_010_000 + 20_000);
    now += 20_000;
    const done = await h.engine.waitForRun(run.id);
    expect(done.status).toBe("succeeded");
    const attempts = await h.store.listAttempts(run.id);
    expect(attempts.map((a) => a.status)).toEqual(["failed", "failed", "succeeded"]);
  });

  it("honours a Retry-After hint longer than the backoff", async () => {
    let now = 5_000_000;
    h = await harness({ now: () => now });
    await h.start(`
name: hint
steps:
  f: { uses: test/flaky, with: { succeedOn: 2, retryAfterMs: 90000 }, retry: { attempts: 2, delay: 1s } }
`);
    for (let i = 0; i < 200 && !h.events.some((e) => e.status === "retrying"); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(h.events.find((e) => e.status === "retrying")?.retryAt).toBe(5_000_000 + 90_000);
    now += 90_000;
  });

  it("finishes a failed run even while a parallel step was still retrying", async () => {
    h = await harness();
    const run = await h.run(`
name: parallel-fail
steps:
  slow: { uses: test/flaky, with: { succeedOn: 99 }, retry: { attempts: 5, delay: 200ms } }
  bad: { uses: test/flaky, with: { succeedOn: 99, nonRetryable: true } }
`);
    expect(run.status).toBe("failed");
    const st = await stepStatuses(h, run.id);
    expect(st.bad).toBe("failed");
    expect(["cancelled", "failed"]).toContain(st.slow);
  });

  it("refuses a forEach over more items than the limit, with a message that says what to do", async () => {
    h = await harness();
    const many = JSON.stringify(Array.from({ length: 10_001 }, (_, i) => i));
    const run = await h.run(`
name: too-many
steps:
  list: { uses: test/window, with: { ms: 1, value: ${many} } }
  each: { forEach: "{{ steps.list.output.value }}", uses: test/window, with: { ms: 1 } }
`);
    expect(run.status).toBe("failed");
    const rows = await h.store.listSteps(run.id);
    const each = rows.find((r) => r.stepId === "each")!;
    expect(each.error?.code).toBe("WEFT_STEP_FOREACH_TOO_MANY");
    expect(each.error?.message).toMatch(/10001 items, over the limit of 10000; split the list/);
    expect(rows.length).toBe(2); // no item rows were created
  });

  it("fails a non-retryable error at once and dead-letters it with its attempts", async () => {
    h = await harness();
    const run = await h.run(`
name: dead
steps:
  f: { uses: test/flaky, with: { succeedOn: 5, nonRetryable: true }, retry: { attempts: 5, delay: 10ms } }
`);
    expect(run.status).toBe("failed");
    const dead = await h.store.listDeadLetters();
    expect(dead.length).toBe(1);
    expect(dead[0]).toMatchObject({
      runId: run.id,
      stepId: "f",
      input: { succeedOn: 5, nonRetryable: true },
    });
    expect(dead[0]!.attempts.length).toBe(1);
    expect(dead[0]!.error.message).toMatch(/attempt 1 failed on purpose/);
  });

  it("terminates a step that ignores its signal at its timeout and fails only that attempt", async () => {
    h = await harness({ graceMs: 200 });
    const t0 = Date.now();
    const run = await h.run(`
name: hang
steps:
  h: { uses: test/hang, timeout: 300ms }
`);
    expect(run.status).toBe("failed");
    expect(Date.now() - t0).toBeLessThan(5000);
    const [row] = await h.store.listSteps(run.id);
    expect(row!.error?.code).toBe("WEFT_STEP_TIMEOUT");
    // the pool replaced the terminated thread: another run works
    const next = await h.run(`
name: after-hang
steps:
  a: { uses: test/window, with: { ms: 1 } }
`);
    expect(next.status).toBe("succeeded");
  });

  it("survives a worker calling process.exit: the attempt fails, the retry succeeds", async () => {
    h = await harness();
    const run = await h.run(`
name: exiter
steps:
  x: { uses: test/flaky, with: { succeedOn: 2, exit: true }, retry: { attempts: 2, delay: 10ms } }
`);
    expect(run.status).toBe("succeeded");
    const attempts = await h.store.listAttempts(run.id);
    expect(attempts.map((a) => a.status)).toEqual(["failed", "succeeded"]);
    expect(attempts[0]!.error?.code).toMatch(/WEFT_WORKER/);
  });

  it("cancels a running run: the running step is stopped and not-started steps are cancelled", async () => {
    h = await harness();
    const run = await h.start(`
name: cancel
steps:
  long: { uses: sleep, with: { duration: 30s } }
  after: { uses: test/window, needs: [long] }
`);
    for (let i = 0; i < 200 && !h.events.some((e) => e.status === "running"); i++)
      await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    await h.engine.cancelRun(run.id);
    const done = await h.engine.waitForRun(run.id);
    expect(done.status).toBe("cancelled");
    for (let i = 0; i < 200; i++) {
      const st = await stepStatuses(h, run.id);
      if (st.long === "cancelled") break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await stepStatuses(h, run.id)).toEqual({ long: "cancelled", after: "cancelled" });
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe("engine: secrets", () => {
  it("never writes a secret to the database or logs, raw, base64 or URL-encoded", async () => {
    const secret = "s3cr3t-Value/with+chars";
    h = await harness({ secrets: { TOKEN: secret } });
    const run = await h.run(`
name: secrets
steps:
  leak: { uses: test/echo-secret, with: { value: "{{ secrets.TOKEN }}" } }
  shell: { uses: shell, with: { command: ["sh", "-c", "echo $T; echo $T | base64"], env: { T: "{{ secrets.TOKEN }}" } } }
`);
    expect(run.status).toBe("succeeded");
    const logs = await h.store.listLogs(run.id);
    expect(logs.length).toBeGreaterThan(0);
    await h.close();
    const forms = [
      secret,
      Buffer.from(secret).toString("base64"),
      encodeURIComponent(secret),
      Buffer.from(`${secret}\n`).toString("base64"),
    ];
    for (const file of [h.dbPath, `${h.dbPath}-wal`]) {
      let bytes: string;
      try {
        bytes = readFileSync(file).toString("latin1");
      } catch {
        continue;
      }
      for (const form of forms) expect(bytes.includes(form), `${form} found in ${file}`).toBe(false);
    }
    h = await harness();
  });
});

describe("engine: resume", () => {
  it("re-runs only failed steps on resume, keeps finished outputs, and continues from a checkpoint", async () => {
    h = await harness();
    const marks = join(h.dir, "marks.txt");
    const counts = join(h.dir, "counts.txt");
    const run = await h.run(`
name: resume
steps:
  first: { uses: test/marker, with: { file: "${marks}", line: first } }
  count: { uses: test/counter, needs: [first], with: { file: "${counts}", to: 5, failAt: 3 } }
  last: { uses: test/marker, needs: [count], with: { file: "${marks}", line: last } }
`);
    expect(run.status).toBe("failed");
    const dry = await h.engine.planResume(run.id);
    expect(dry.rerun).toEqual(["count", "last"]);
    expect(dry.keep).toEqual(["first"]);
    await h.engine.resumeRun(run.id);
    const done = await h.engine.waitForRun(run.id);
    expect(done.status).toBe("succeeded");
    expect(readFileSync(marks, "utf8")).toBe("first\nlast\n");
    expect(readFileSync(counts, "utf8")).toBe("0\n1\n2\n3\n4\n");
    const rows = await h.store.listSteps(run.id);
    expect(rows.find((r) => r.stepId === "count")?.output).toMatchObject({ startedAt: 3 });
  });

  it("gives a resumed step a fresh retry budget", async () => {
    h = await harness();
    const run = await h.run(`
name: budget
steps:
  f: { uses: test/flaky, with: { succeedOn: 4 }, retry: { attempts: 2, delay: 10ms } }
`);
    expect(run.status).toBe("failed");
    await h.engine.resumeRun(run.id);
    const done = await h.engine.waitForRun(run.id);
    expect(done.status).toBe("succeeded");
    const attempts = await h.store.listAttempts(run.id);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
  });

  it("resume --from re-runs a step and everything downstream of it", async () => {
    h = await harness();
    const marks = join(h.dir, "marks.txt");
    const run = await h.run(`
name: from
steps:
  a: { uses: test/marker, with: { file: "${marks}", line: a } }
  b: { uses: test/marker, needs: [a], with: { file: "${marks}", line: b } }
  c: { uses: test/marker, needs: [b], with: { file: "${marks}", line: c } }
`);
    expect(run.status).toBe("succeeded");
    await expect(h.engine.planResume(run.id)).rejects.toThrow(/already succeeded/);
    const p = await h.engine.resumeRun(run.id, "b");
    expect(p.rerun).toEqual(["b", "c"]);
    expect((await h.engine.waitForRun(run.id)).status).toBe("succeeded");
    expect(readFileSync(marks, "utf8")).toBe("a\nb\nc\nb\nc\n");
  });

  it("resume re-runs only the failed items of a forEach", async () => {
    h = await harness();
    const marks = join(h.dir, "marks.txt");
    const run = await h.run(`
name: items
steps:
  each:
    forEach: [1, 2, 3]
    uses: test/marker
    with: { file: "${marks}", line: "item {{ item }}", fail: "{{ eq item 2 }}" }
`);
    expect(run.status).toBe("failed");
    expect(await stepStatuses(h, run.id)).toMatchObject({
      "each[0]": "succeeded",
      "each[1]": "failed",
      "each[2]": "succeeded",
    });
    const plan = await h.engine.planResume(run.id);
    expect(plan.rerun).toEqual(["each"]);
    expect(plan.reset.length).toBe(2); // the failed item and the parent
    await h.engine.resumeRun(run.id);
    const again = await h.engine.waitForRun(run.id);
    expect(again.status).toBe("failed"); // item 2 fails deterministically
    // items 1 and 3 ran once; item 2 ran twice
    expect(readFileSync(marks, "utf8").split("\n").filter(Boolean).sort()).toEqual([
      "item 1",
      "item 2",
      "item 2",
      "item 3",
    ]);
  });
});
