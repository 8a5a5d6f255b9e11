import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { builtinRegistry } from "../../src/plugin/builtins.js";
import { lintWorkflow } from "../../src/review/lints/index.js";
import { loadRevision } from "../../src/review/revision.js";
import type { Finding } from "../../src/review/types.js";
import { ROOT, WEFT } from "../cli/helpers.js";
import { git, makeRepo } from "./git-repo.js";

const HERE = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(HERE, "fixtures");
export const GOLDEN = join(HERE, "golden");
export const NOW = "2026-01-01T00:00:00Z";

/** A repository whose first commit is fixtures/<scenario>/base and second fixtures/<scenario>/head. */
export function scenarioRepo(scenario: string): string {
  const dir = makeRepo([]);
  for (const side of ["base", "head"]) {
    for (const name of readdirSync(dir)) if (name !== ".git") rmSync(join(dir, name), { recursive: true });
    cpSync(join(FIXTURES, scenario, side), dir, { recursive: true });
    git(dir, ["add", "-A"]);
    git(dir, ["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", side]);
  }
  return dir;
}

/** Compares with test/review/golden/<name>; WEFT_UPDATE_GOLDEN=1 rewrites the file instead. */
export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.WEFT_UPDATE_GOLDEN === "1" || !existsSync(path)) {
    if (process.env.WEFT_UPDATE_GOLDEN !== "1")
      throw new Error(`missing golden file ${path}; run with WEFT_UPDATE_GOLDEN=1`);
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(actual).toBe(readFileSync(path, "utf8"));
}

/** Lint findings of one workflow given as YAML text (it must load and compile). */
export function lintYaml(yaml: string, opts: { env?: Record<string, string>; now?: string } = {}): Finding[] {
  const types = builtinRegistry();
  const now = new Date(opts.now ?? NOW);
  const [w] = loadRevision([{ path: "workflows/w.yaml", oid: "0", source: yaml }], types, { now });
  if (!w?.plan) throw new Error(`fixture does not compile: ${JSON.stringify(w?.diagnostics, null, 2)}`);
  return lintWorkflow(w, { types, env: opts.env ?? {}, now });
}

export function codes(findings: Finding[]): string[] {
  return findings.map((f) => `${f.code}@${f.line}:${f.col}${f.silenced ? " (silenced)" : ""}`);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI as a child process, asynchronously, so a test file can run several at once. */
export function weftAsync(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WEFT, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...opts.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
