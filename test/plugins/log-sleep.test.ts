import { describe, expect, it } from "vitest";
import log from "../../plugins/log/index.js";
import sleep from "../../plugins/sleep/index.js";
import { parseDuration } from "../../src/plugin/index.js";
import { makeContext } from "./context.js";

describe("log step", () => {
  it("writes strings as-is and other values as JSON at the chosen level", async () => {
    const a = makeContext({ message: "hello" });
    expect(await log.run(a.ctx)).toEqual({ message: "hello" });
    expect(a.logs).toEqual([{ level: "info", message: "hello" }]);

    const b = makeContext({ message: { total: 3 }, level: "warn" as const });
    expect(await log.run(b.ctx)).toEqual({ message: '{"total":3}' });
    expect(b.logs).toEqual([{ level: "warn", message: '{"total":3}' }]);
  });
});

describe("sleep step", () => {
  it("sleeps for the duration and checkpoints its wake-up time first", async () => {
    const { ctx, saved } = makeContext({ duration: "150ms" });
    const before = Date.now();
    const out = await sleep.run(ctx);
    expect(out.sleptMs).toBeGreaterThanOrEqual(140);
    expect(saved).toEqual([{ wakeAt: expect.any(Number), durationMs: 150 }]);
    expect((saved[0] as { wakeAt: number }).wakeAt - before).toBeGreaterThanOrEqual(150);
  });

  it("resumes from a checkpoint instead of starting over", async () => {
    const { ctx, saved } = makeContext(
      { duration: "1h" },
      { checkpoint: { wakeAt: Date.now() + 100, durationMs: 3_600_000 } },
    );
    const out = await sleep.run(ctx);
    expect(out.sleptMs).toBeLessThan(1000);
    expect(saved).toEqual([]);
  });

  it("starts over when the duration changed since the checkpoint", async () => {
    const { ctx, saved } = makeContext(
      { duration: "50ms" },
      { checkpoint: { wakeAt: Date.now() + 60_000, durationMs: 60_000 } },
    );
    const out = await sleep.run(ctx);
    expect(out.sleptMs).toBeLessThan(1000);
    expect(saved).toHaveLength(1);
  });

  it("rejects promptly on abort", async () => {
    const { ctx, controller } = makeContext({ duration: "1h" });
    const pending = sleep.run(ctx);
    setTimeout(() => controller.abort(new Error("stop")), 50);
    const started = Date.now();
    await expect(pending).rejects.toThrow("stop");
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe("parseDuration", () => {
  it("reads single and combined units", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("2d")).toBe(172_800_000);
  });

  it("refuses numbers without units, reversed order and junk", () => {
    for (const bad of ["", "5", "30m1h", "1x", "-1s", "1 h", "1.5s", "5m5m"]) {
      expect(() => parseDuration(bad)).toThrow(/invalid duration.*e\.g\. 250ms/);
    }
  });
});
