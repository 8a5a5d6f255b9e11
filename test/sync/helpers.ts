/** Real Git repositories in temp folders: a bare "remote" and a working clone that pushes to it. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import type { DeploymentRecord } from "../../src/store/types.js";

export function tempDir(prefix = "weft-sync-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The test's own git, isolated from any GIT_* variables of the environment running vitest. */
export function git(cwd: string, ...args: string[]): string {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("GIT_")) env[k] = v;
  env.GIT_CONFIG_NOSYSTEM = "1";
  return execFileSync(
    "git",
    ["-c", "user.name=T", "-c", "user.email=t@e", "-c", "init.defaultBranch=main", ...args],
    {
      cwd,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  ).trim();
}

export interface TestRemote {
  root: string;
  /** The bare repository Weft fetches from. */
  bare: string;
  /** A working clone the test commits in and pushes from. */
  work: string;
  /** Writes (string) or deletes (null) files, commits them and pushes; returns the new sha. */
  commit(files: Record<string, string | null>, message?: string): string;
  /** Makes a commit with no parent holding only `files` and force-pushes it as main. */
  forcePushUnrelated(files: Record<string, string>, message?: string): string;
  store(): SqliteStore;
}

export function makeRemote(): TestRemote {
  const root = tempDir();
  const bare = join(root, "remote.git");
  const work = join(root, "work");
  git(root, "init", "--quiet", "--bare", bare);
  git(root, "init", "--quiet", work);
  git(work, "remote", "add", "origin", bare);
  const write = (files: Record<string, string | null>) => {
    for (const [path, text] of Object.entries(files)) {
      const full = join(work, path);
      if (text === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, text);
      }
    }
  };
  return {
    root,
    bare,
    work,
    commit(files, message = "change workflows") {
      write(files);
      git(work, "add", "-A");
      git(work, "commit", "--quiet", "--allow-empty", "-m", message);
      git(work, "push", "--quiet", "origin", "HEAD:refs/heads/main");
      return git(work, "rev-parse", "HEAD");
    },
    forcePushUnrelated(files, message = "rewrite history") {
      git(work, "checkout", "--quiet", "--orphan", `rewrite-${Date.now()}`);
      git(work, "rm", "-r", "--quiet", "--cached", "--ignore-unmatch", ".");
      git(work, "clean", "-fdq");
      write(files);
      git(work, "add", "-A");
      git(work, "commit", "--quiet", "-m", message);
      git(work, "push", "--quiet", "--force", "origin", "HEAD:refs/heads/main");
      return git(work, "rev-parse", "HEAD");
    },
    store() {
      return new SqliteStore(join(root, "weft.db"));
    },
  };
}

/** A valid workflow named `name` with one log step. */
export function goodWorkflow(name: string, message = "hello"): string {
  return `name: ${name}\nsteps:\n  say:\n    uses: log\n    with: { message: ${message} }\n`;
}

/** Resolves with the next deployment record the syncer reports that satisfies `match`. */
export function deployments() {
  const seen: DeploymentRecord[] = [];
  const waiters: Array<{ match: (d: DeploymentRecord) => boolean; resolve: (d: DeploymentRecord) => void }> =
    [];
  return {
    seen,
    onDeploy(d: DeploymentRecord) {
      seen.push(d);
      for (const w of [...waiters]) {
        if (w.match(d)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(d);
        }
      }
    },
    next(match: (d: DeploymentRecord) => boolean, timeoutMs = 5000): Promise<DeploymentRecord> {
      const already = seen.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching deployment within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (d) => {
            clearTimeout(timer);
            resolve(d);
          },
        });
      });
    },
  };
}

/** Polls `check` until it returns true. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
