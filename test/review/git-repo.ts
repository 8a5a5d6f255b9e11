/** Temporary Git repositories with fixed dates and identities, so commit ids are reproducible. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** File path → content; `null` deletes the file in that commit. */
export type Commit = Record<string, string | null>;

const FIXED = "2026-01-01T00:00:00Z";

export function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: "Weft Test",
    GIT_AUTHOR_EMAIL: "test@weft.invalid",
    GIT_COMMITTER_NAME: "Weft Test",
    GIT_COMMITTER_EMAIL: "test@weft.invalid",
    GIT_AUTHOR_DATE: FIXED,
    GIT_COMMITTER_DATE: FIXED,
  };
}

export function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, env: gitEnv(), encoding: "utf8" });
}

/** A new repository holding one commit per entry, on branch `main`. */
export function makeRepo(commits: Commit[]): string {
  const dir = mkdtempSync(join(tmpdir(), "weft-review-"));
  git(dir, ["init", "-q", "-b", "main"]);
  commits.forEach((files, i) => {
    for (const [path, content] of Object.entries(files)) {
      const full = join(dir, path);
      if (content === null) rmSync(full);
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    git(dir, ["add", "-A"]);
    git(dir, ["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", `commit ${i + 1}`]);
  });
  return dir;
}

export function removeRepo(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
