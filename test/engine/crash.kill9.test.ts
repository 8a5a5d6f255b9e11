/**
 * The crash promise with a real kill -9: a `weft run` process is killed mid-run, then
 * `weft resume` finishes the run. Every finished step's side effect appears exactly once,
 * and the long step continues from its checkpoint instead of starting over.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startWeft } from "./weft-process.js";

async function until(pred: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("kill -9 mid-run, then resume", () => {
  it("repeats no finished step and continues the long step from its checkpoint", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-crash-"));
    const marks = join(dir, "marks.txt");
    const step = (id: string, needs: string) => `
  ${id}:
    uses: shell
    ${needs ? `needs: [${needs}]` : ""}
    with: { script: 'echo ${id} >> "$MARKS"', env: { MARKS: "${marks}" } }`;
    writeFileSync(
      join(dir, "crashy.yaml"),
      `name: crashy
steps:${step("one", "")}${step("two", "one")}
  long:
    uses: sleep
    needs: [two]
    with: { duration: 4s }${step("three", "long")}
`,
    );
    const first = startWeft(["run", "crashy.yaml", "--store", "state.db"], dir);
    await until(() => /long running/.test(first.out()), 20_000);
    await new Promise((r) => setTimeout(r, 2000));
    first.child.kill("SIGKILL");
    await first.exited;
    const runId = /run (r[0-9a-z]+)/.exec(first.out())?.[1];
    expect(runId, first.out()).toBeDefined();
    expect(readFileSync(marks, "utf8")).toBe("one\ntwo\n");

    const dry = startWeft(["resume", runId!, "--dry", "--store", "state.db"], dir);
    expect(await dry.exited).toBe(0);
    expect(dry.out()).toMatch(/would run again: long, three/);
    expect(dry.out()).toMatch(/keeps recorded results: one, two/);

    const t0 = Date.now();
    const second = startWeft(["resume", runId!, "--store", "state.db"], dir);
    const code = await second.exited;
    const elapsed = Date.now() - t0;
    expect(code, second.out()).toBe(0);
    expect(second.out()).toMatch(new RegExp(`run ${runId} succeeded`));
    expect(readFileSync(marks, "utf8")).toBe("one\ntwo\nthree\n");
    // 4 s sleep, ~2 s of it done before the kill: the resumed sleep waits only the rest.
    expect(elapsed).toBeLessThan(3800);
    expect(existsSync(join(dir, "state.db"))).toBe(true);
  }, 60_000);
});
