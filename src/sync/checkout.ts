/**
 * A deployed commit's files, exported from the mirror (`git archive`), are the workspace of
 * the runs pinned to it: a shell step's `./scripts/post.sh` is the one of that commit, never
 * a working tree someone could edit. Exports are made once, atomically (temp dir + rename),
 * and pruned after deploys (pruneCheckouts); a pruned one is exported again when a run of its
 * commit needs it (a resume months later).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { gitEnv } from "./git.js";

export function checkoutPath(dataDir: string, sha: string): string {
  return join(dataDir, "checkouts", sha);
}

export async function exportCommit(mirrorDir: string, sha: string, dataDir: string): Promise<string> {
  if (!SHA.test(sha)) throw new Error(`not a commit id: ${sha}`);
  const target = checkoutPath(dataDir, sha);
  if (existsSync(target)) return target;
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  try {
    await pipe(
      ["git", "--git-dir", mirrorDir, "archive", "--format=tar", sha],
      ["tar", "-x", "-C", tmp, "--no-same-owner"],
    );
    if (!existsSync(target)) renameSync(tmp, target);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return target;
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** An interrupted export's temp dir older than this is left over from a crash. */
const STALE_TMP_MS = 60 * 60 * 1000;

/**
 * Removes exported commits not in `keep` (and temp dirs left by a crashed export); returns the
 * removed commit ids. The caller keeps what may still run: the active commits, the commits of
 * unfinished runs, and a few recent deploys.
 */
export function pruneCheckouts(dataDir: string, keep: ReadonlySet<string>, now = Date.now()): string[] {
  const root = join(dataDir, "checkouts");
  if (!existsSync(root)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (SHA.test(name)) {
      if (keep.has(name)) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(name);
    } else if (name.includes(".tmp-") && now - statSync(path).mtimeMs > STALE_TMP_MS) {
      rmSync(path, { recursive: true, force: true });
    }
  }
  return removed;
}

function pipe(left: string[], right: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const a = spawn(left[0]!, left.slice(1), { env: gitEnv(), stdio: ["ignore", "pipe", "pipe"] });
    const b = spawn(right[0]!, right.slice(1), { stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    a.stderr.on("data", (d) => {
      err += d;
    });
    b.stderr.on("data", (d) => {
      err += d;
    });
    a.stdout.pipe(b.stdin);
    let pending = 2;
    let failed = false;
    const done = (code: number | null, what: string) => {
      if (code !== 0 && !failed) {
        failed = true;
        reject(new Error(`${what} failed (exit ${code}): ${err.trim().slice(0, 500)}`));
      }
      if (--pending === 0 && !failed) resolve();
    };
    a.on("error", reject);
    b.on("error", reject);
    a.on("close", (code) => done(code, "git archive"));
    b.on("close", (code) => done(code, "tar"));
  });
}
