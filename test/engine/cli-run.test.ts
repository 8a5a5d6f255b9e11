/** `weft run`, `runs`, `dead` and `cancel` as a user runs them: real processes, a real store file. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { weft, weftInTty } from "../cli/helpers.js";
import { startWeft } from "./weft-process.js";

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "weft-cli-run-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const OK = `name: ok
inputs: { who: { type: string, default: world } }
steps:
  greet: { uses: log, with: { message: "hello {{ inputs.who }}" } }
  shout: { uses: shell, needs: [greet], with: { command: ["echo", "{{ upper steps.greet.output.message }}"] } }
`;
const BAD = `name: bad
steps:
  boom: { uses: shell, with: { command: ["sh", "-c", "echo nope >&2; exit 3"] }, retry: { attempts: 2, delay: 10ms } }
`;

describe("weft run (real process, real store)", () => {
  it("prints the run id first, one line per state change off a TTY, and exits 0 on success", () => {
    const dir = workspace({ "ok.yaml": OK });
    const r = weft(["run", "ok.yaml", "--input", "who=ada"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^run r[0-9a-z]+$/);
    expect(lines.some((l) => / greet succeeded attempt=1/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^run r[0-9a-z]+ succeeded$/);
    const id = lines[0]!.slice(4);
    const show = weft(["runs", "show", id, "--json", "--logs"], { cwd: dir });
    const details = JSON.parse(show.stdout);
    expect(details.run.inputs).toEqual({ who: "ada" });
    expect(details.steps.find((s: { id: string }) => s.id === "shout").output.stdout).toBe("HELLO ADA\n");
    expect(details.logs.some((l: { message: string }) => l.message.includes("hello ada"))).toBe(true);
    const list = weft(["runs", "list"], { cwd: dir });
    expect(list.stdout).toContain(id);
  });

  it("exits 1 when the run fails, dead-letters the step, and replays it", () => {
    const dir = workspace({ "bad.yaml": BAD });
    const r = weft(["run", "bad.yaml", "--json"], { cwd: dir });
    expect(r.code).toBe(1);
    const details = JSON.parse(r.stdout);
    expect(details.run.status).toBe("failed");
    expect(details.attempts.length).toBe(2);
    const dead = weft(["dead", "list", "--json"], { cwd: dir });
    const letters = JSON.parse(dead.stdout);
    expect(letters).toHaveLength(1);
    expect(letters[0].error.message).toMatch(/exit(ed with)? (code )?3/);
    const replay = weft(["dead", "replay", String(letters[0].id)], { cwd: dir });
    expect(replay.code).toBe(1); // still fails: the script always exits 3
    expect(replay.stdout).toMatch(/replaying dead letter/);
    const all = JSON.parse(weft(["dead", "list", "--json", "--all"], { cwd: dir }).stdout) as Array<{
      id: number;
      replayRunId: string | null;
    }>;
    expect(all.find((d) => d.id === letters[0].id)?.replayRunId).toBe(details.run.id);
    expect(all).toHaveLength(2); // the replay failed again and was dead-lettered anew
  });

  it("reuses the run for a repeated --idempotency-key", () => {
    const dir = workspace({ "ok.yaml": OK });
    const a = weft(["run", "ok.yaml", "--idempotency-key", "k1"], { cwd: dir });
    const b = weft(["run", "ok.yaml", "--idempotency-key", "k1"], { cwd: dir });
    expect(b.stdout.split("\n")[0]).toBe(
      `${a.stdout.split("\n")[0]} (existing run for this idempotency key)`,
    );
    expect(b.code).toBe(0);
  });

  it("refuses bad inputs with exit 2 and names the input", () => {
    const dir = workspace({ "ok.yaml": OK });
    const r = weft(["run", "ok.yaml", "--input", "whom=x"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no input "whom".*did you mean "who"/);
  });

  it("shows a live view on a terminal that stays within the screen for hundreds of steps", () => {
    // Every 30th step sleeps, so the run outlasts several redraws however fast the rest is.
    const steps = Array.from({ length: 300 }, (_, i) =>
      i % 30 === 0
        ? `  s${i}: { uses: sleep, with: { duration: 100ms } }`
        : `  s${i}: { uses: log, with: { message: "step ${i}" } }`,
    ).join("\n");
    const dir = workspace({ "many.yaml": `name: many\nsteps:\n${steps}\n` });
    const r = weftInTty(["run", "many.yaml"], { NO_COLOR: "1" }, dir);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/300 succeeded/);
    expect(r.stdout).toMatch(/more steps/);
    // redraws move the cursor up instead of printing every step
    expect(r.stdout).toContain("\u001b[");
  });
});

describe("weft cancel", () => {
  it("cancels a run another process is working on", async () => {
    const dir = workspace({
      "slow.yaml": "name: slow\nsteps:\n  nap: { uses: sleep, with: { duration: 30s } }\n",
    });
    const p = startWeft(["run", "slow.yaml"], dir);
    for (let i = 0; i < 300 && !/nap running/.test(p.out()); i++) await new Promise((r) => setTimeout(r, 50));
    const out = p.out();
    const id = /run (r[0-9a-z]+)/.exec(out)![1]!;
    const c = weft(["cancel", id], { cwd: dir });
    expect(c.code, c.stderr).toBe(0);
    expect(await p.exited).toBe(1);
    expect(p.out()).toMatch(new RegExp(`run ${id} cancelled`));
  }, 40_000);
});
