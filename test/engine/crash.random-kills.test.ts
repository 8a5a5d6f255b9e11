/**
 * kill -9 at random points, many times: after every kill the SQLite file passes
 * PRAGMA integrity_check, and once the run finishes no step whose result was recorded ran
 * again (its side effects never show an attempt later than the recorded one).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { startWeft } from "./weft-process.js";

describe("kill -9 at random points", () => {
  it("keeps the database intact and never re-runs a recorded step", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-kills-"));
    const marks = join(dir, "marks.txt");
    const steps: string[] = [];
    for (let i = 0; i < 40; i++) {
      const needs = i >= 4 ? `needs: [s${i - 4}]` : "";
      steps.push(`  s${i}:
    uses: shell
    ${needs}
    with:
      script: 'echo "$STEP $WEFT_ATTEMPT" >> "$MARKS"; sleep 0.2'
      env: { MARKS: "${marks}", STEP: "s${i}" }`);
    }
    writeFileSync(join(dir, "wf.yaml"), `name: kills\nsteps:\n${steps.join("\n")}\n`);
    const db = join(dir, "state.db");
    let runId: string | undefined;
    let finished = false;
    let kills = 0;
    const status = () => {
      if (!runId || !existsSync(db)) return undefined;
      const conn = new Database(db, { readonly: true });
      const row = conn.prepare("SELECT status FROM runs WHERE id = ?").get(runId) as
        | { status: string }
        | undefined;
      conn.close();
      return row?.status;
    };
    for (let round = 0; round < 6 && !finished; round++) {
      if (status() === "succeeded") break; // killed after the run finished, before the process exited
      const args = runId ? ["resume", runId, "--store", db] : ["run", "wf.yaml", "--store", db];
      const p = startWeft(args, dir);
      // Let it get going (the run id is printed once the run is recorded), then kill it at
      // a random point while steps are being claimed, run and recorded.
      for (let i = 0; i < 400 && !/run r[0-9a-z]+/.test(p.out()); i++)
        await new Promise((r) => setTimeout(r, 25));
      const killAfter = Math.floor(Math.random() * 1200);
      const outcome = await Promise.race([
        p.exited.then((code) => ({ code })),
        new Promise<null>((r) => setTimeout(() => r(null), killAfter)),
      ]);
      if (outcome === null) {
        p.child.kill("SIGKILL");
        await p.exited;
        kills++;
      } else if (outcome.code === 0) finished = true;
      runId ??= /run (r[0-9a-z]+)/.exec(p.out())?.[1];
      expect(runId, p.out()).toBeDefined();
      if (existsSync(db)) {
        const conn = new Database(db, { readonly: true });
        expect(conn.pragma("integrity_check", { simple: true })).toBe("ok");
        conn.close();
      }
    }
    if (!finished && status() !== "succeeded") {
      const last = startWeft(["resume", runId!, "--store", db], dir);
      expect(await last.exited, last.out()).toBe(0);
    }
    expect(kills).toBeGreaterThanOrEqual(2);
    const conn = new Database(db, { readonly: true });
    const rows = conn
      .prepare("SELECT step_id, status, attempt FROM steps WHERE run_id = ?")
      .all(runId) as Array<{
      step_id: string;
      status: string;
      attempt: number;
    }>;
    conn.close();
    expect(rows.every((r) => r.status === "succeeded")).toBe(true);
    const seen = new Map<string, number[]>();
    for (const line of readFileSync(marks, "utf8").trim().split("\n")) {
      const [step, attempt] = line.split(" ");
      seen.set(step!, [...(seen.get(step!) ?? []), Number(attempt)]);
    }
    for (const r of rows) {
      const attempts = seen.get(r.step_id) ?? [];
      // ran at least once, and never after the attempt whose result was recorded
      expect(attempts.length, r.step_id).toBeGreaterThan(0);
      expect(Math.max(...attempts), r.step_id).toBe(r.attempt);
    }
  }, 120_000);
});
