/**
 * The pool's timeout lists: one timer per timeout length, deadlines fired in order, removed
 * ones never fired, with real timers.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { Deadlines } from "../../src/pool/deadlines.js";
import { ROOT } from "../cli/helpers.js";

function recorder() {
  const fired: string[] = [];
  const target = (name: string) => ({ deadlinePassed: () => fired.push(name) });
  return { fired, target };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Deadlines", () => {
  it("fires each deadline once its time has passed, in order, and never a removed one", async () => {
    const d = new Deadlines();
    const { fired, target } = recorder();
    const t0 = performance.now();
    const a = d.add(40, target("a"));
    await sleep(5);
    const b = d.add(40, target("b"));
    d.add(40, target("c"));
    d.add(15, target("short"));
    d.remove(b);
    d.remove(a);
    // Removing the head leaves the list's timer armed for it: it fires early, finds c not due
    // yet, and re-arms for c.
    await sleep(25);
    expect(fired).toEqual(["short"]);
    await sleep(40);
    expect(fired).toEqual(["short", "c"]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
  });

  it("keeps working after a list empties and is used again", async () => {
    const d = new Deadlines();
    const { fired, target } = recorder();
    d.remove(d.add(10, target("gone")));
    await sleep(20);
    d.add(10, target("again"));
    await sleep(25);
    expect(fired).toEqual(["again"]);
  });

  it("does not keep a process alive by itself (running steps do)", () => {
    // A real process with a one-minute deadline pending must still end at once.
    const url = pathToFileURL(join(ROOT, "dist", "src", "pool", "deadlines.js")).href;
    const code = `import { Deadlines } from ${JSON.stringify(url)}; new Deadlines().add(60000, { deadlinePassed() {} });`;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
