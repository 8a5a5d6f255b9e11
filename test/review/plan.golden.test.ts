/**
 * `weft plan` as a real child process over temporary Git repositories with two commits,
 * compared with golden files (WEFT_UPDATE_GOLDEN=1 rewrites them). Commit dates, identities
 * and WEFT_NOW are fixed, so commit ids and fire times are the same on every run. The runs of
 * a scenario start together in beforeAll to keep the file fast on a small machine.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeRepo } from "./git-repo.js";
import { expectGolden, NOW, type RunResult, scenarioRepo, weftAsync } from "./helpers.js";

const ENV = { WEFT_NOW: NOW, NO_COLOR: "1" };
/** Golden files end in .golden so formatters leave them byte for byte as the command printed them. */
const FORMATS = [
  ["text", "text.golden"],
  ["markdown", "markdown.golden"],
  ["json", "json.golden"],
  ["github", "github.golden"],
] as const;

describe("weft plan on a change that touches every kind of thing", () => {
  let repo: string;
  const runs = new Map<string, RunResult>();
  beforeAll(async () => {
    repo = scenarioRepo("changes");
    const results = await Promise.all([
      ...FORMATS.map(([format]) =>
        weftAsync(["plan", "--base", "HEAD~1", "--format", format], { cwd: repo, env: ENV }),
      ),
      weftAsync(["plan", "--base", "main", "--head", "main", "--repo", repo, "--format", "json"], {
        env: ENV,
      }),
    ]);
    FORMATS.forEach(([format], i) => {
      runs.set(format, results[i] as RunResult);
    });
    runs.set("same", results[FORMATS.length] as RunResult);
  });
  afterAll(() => removeRepo(repo));

  for (const [format, ext] of FORMATS) {
    it(`prints the ${format} plan and exits 0 for a valid head`, () => {
      const r = runs.get(format) as RunResult;
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expectGolden(`changes.${ext}`, r.stdout);
    });
  }

  it("takes --head and --repo, and an unchanged range has no workflow changes", () => {
    const r = runs.get("same") as RunResult;
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { workflows: unknown[]; summary: { unchanged: number } };
    expect(report.workflows).toEqual([]);
    expect(report.summary.unchanged).toBe(5);
  });

  it("reads Git objects, not the working tree", async () => {
    writeFileSync(join(repo, "workflows", "noop.yaml"), "name: [broken");
    writeFileSync(join(repo, "workflows", "extra.yaml"), "name: extra\nsteps: {}\n");
    const r = await weftAsync(["plan", "--base", "HEAD~1", "--format", "json"], { cwd: repo, env: ENV });
    expectGolden("changes.json.golden", r.stdout);
  });
});

describe("weft plan on a broken head", () => {
  let repo: string;
  let text: RunResult;
  let markdown: RunResult;
  beforeAll(async () => {
    repo = scenarioRepo("broken");
    [text, markdown] = await Promise.all([
      weftAsync(["plan", "--base", "HEAD~1"], { cwd: repo, env: ENV }),
      weftAsync(["plan", "--base", "HEAD~1", "--format", "markdown"], { cwd: repo, env: ENV }),
    ]);
  });
  afterAll(() => removeRepo(repo));

  it("reports the validation error and the lint errors with positions, and exits 1", () => {
    expect(text.code).toBe(1);
    expectGolden("broken.text.golden", text.stdout);
  });

  it("says so in Markdown", () => {
    expect(markdown.code).toBe(1);
    expectGolden("broken.markdown.golden", markdown.stdout);
  });
});

describe("weft plan usage errors exit 2", () => {
  let repo: string;
  let runs: RunResult[];
  beforeAll(async () => {
    repo = scenarioRepo("broken");
    runs = await Promise.all([
      weftAsync(["plan", "--base", "no-such-branch"], { cwd: repo, env: ENV }),
      weftAsync(["plan", "--base=--output=/tmp/x"], { cwd: repo, env: ENV }),
      weftAsync(["plan", "--base", "HEAD", "--repo", "/"], { env: ENV }),
      weftAsync(["plan", "--base", "HEAD", "--dir", "../x"], { cwd: repo, env: ENV }),
      weftAsync(["plan", "--base", "HEAD"], { cwd: repo, env: { WEFT_NOW: "tomorrow" } }),
      weftAsync(["plan"], { cwd: repo, env: ENV }),
    ]);
  });
  afterAll(() => removeRepo(repo));

  it.each([
    ["an unknown ref", 0, "`no-such-branch` is not a commit in this repository"],
    ["a ref that looks like an option", 1, "starts with `-` and would be read as an option"],
    ["a folder outside a Git repository", 2, "is not inside a Git repository"],
    ["a --dir that leaves the repository", 3, "--dir `../x` must be a relative path"],
    ["a WEFT_NOW that is not a date", 4, "WEFT_NOW=`tomorrow`"],
    ["a missing --base", 5, "--base"],
  ])("refuses %s", (_what, i, message) => {
    const r = runs[i] as RunResult;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
  });
});
