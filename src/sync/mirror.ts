/**
 * A bare repository under the data folder that holds what was fetched. Workflows are read
 * from its objects at a commit (ls-tree + cat-file), never from a working tree, so what
 * deploys is exactly what was committed.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { SyncError } from "./errors.js";
import { GIT_DEFAULT_TIMEOUT_MS, runGit } from "./git.js";
import type { RemoteSpec } from "./remote.js";

export interface CommitInfo {
  sha: string;
  /** "Name <email>" of the author. */
  author: string;
  message: string;
  /** Committer time, ms since the epoch. */
  committedAt: number;
}

export interface TreeEntry {
  /** Path from the repository root, "/"-separated. */
  path: string;
  /** "100644", "100755", "120000" (symlink), "040000" (folder), "160000" (submodule). */
  mode: string;
  type: "blob" | "tree" | "commit";
  oid: string;
  /** Bytes, for blobs. */
  size?: number;
}

/** What a plugin loader (`typesFor`) may read from a commit. */
export interface CommitReader {
  listFolder(sha: string, dir: string, opts?: { recursive?: boolean }): Promise<TreeEntry[]>;
  readBlobs(oids: ReadonlyArray<string>): Promise<Map<string, Buffer>>;
}

export interface MirrorOptions {
  /** Timeout of a fetch, which talks to the network. */
  fetchTimeoutMs?: number;
  /** Timeout of local commands. */
  timeoutMs?: number;
}

const OID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

export class GitMirror implements CommitReader {
  readonly dir: string;
  private readonly fetchTimeoutMs: number;
  private readonly timeoutMs: number;

  constructor(dir: string, opts: MirrorOptions = {}) {
    this.dir = dir;
    this.fetchTimeoutMs = opts.fetchTimeoutMs ?? 120_000;
    this.timeoutMs = opts.timeoutMs ?? GIT_DEFAULT_TIMEOUT_MS;
  }

  /** Creates the bare repository once; a half-made one from a crash is never left in place. */
  async ensure(): Promise<void> {
    if (existsSync(join(this.dir, "HEAD"))) return;
    mkdirSync(dirname(this.dir), { recursive: true });
    const tmp = `${this.dir}.init-${process.pid}-${Date.now()}`;
    try {
      // An empty template: no sample hooks or other files copied in.
      await runGit(["-c", "init.defaultBranch=main", "init", "--quiet", "--bare", "--template=", tmp], {
        timeoutMs: this.timeoutMs,
      });
      rmSync(this.dir, { recursive: true, force: true });
      renameSync(tmp, this.dir);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  /**
   * Fetches `branch` from the remote and returns the commit it points at. The `+` in the
   * refspec accepts force-pushes and rewritten history: the mirror follows the remote head.
   */
  async fetch(remote: RemoteSpec, branch: string, signal?: AbortSignal): Promise<string> {
    await this.ensure();
    const ref = `refs/remotes/origin/${branch}`;
    const args = [
      "fetch",
      "--quiet",
      "--no-tags",
      "--no-recurse-submodules",
      "--no-write-fetch-head",
      "--end-of-options",
      remote.url,
      `+refs/heads/${branch}:${ref}`,
    ];
    try {
      await runGit(args, this.opts({ timeoutMs: this.fetchTimeoutMs, signal }));
    } catch (err) {
      const detail = (err as Error).message.split(remote.url).join(remote.display);
      throw SyncError.fetchFailed({ branch, remote: remote.display, detail }, { cause: err });
    }
    const { stdout } = await runGit(
      ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`],
      this.opts({ signal }),
    );
    return checkOid(stdout.toString("utf8").trim());
  }

  async commitInfo(sha: string): Promise<CommitInfo> {
    const { stdout } = await runGit(
      [
        "log",
        "-1",
        "--no-show-signature",
        "--format=%H%x00%an <%ae>%x00%ct%x00%B",
        "--end-of-options",
        checkOid(sha),
      ],
      this.opts(),
    );
    const [full = "", author = "", time = "0", ...rest] = stdout.toString("utf8").split("\0");
    return {
      sha: full,
      author,
      committedAt: Number(time) * 1000,
      message: rest.join("\0").replace(/\s+$/, ""),
    };
  }

  /** Entries of `dir` ("" for the root) at commit `sha`; a missing folder is empty. */
  async listFolder(sha: string, dir: string, opts: { recursive?: boolean } = {}): Promise<TreeEntry[]> {
    const args = ["ls-tree", "-l", "-z", ...(opts.recursive ? ["-r"] : []), checkOid(sha)];
    if (dir !== "") args.push("--", `${dir}/`);
    const { stdout } = await runGit(args, this.opts());
    const entries: TreeEntry[] = [];
    for (const record of stdout.toString("utf8").split("\0")) {
      if (record === "") continue;
      const tab = record.indexOf("\t");
      const [mode = "", type = "", oid = "", size = "-"] = record.slice(0, tab).split(/ +/);
      if (type !== "blob" && type !== "tree" && type !== "commit") continue;
      const entry: TreeEntry = { path: record.slice(tab + 1), mode, type, oid };
      if (size !== "-") entry.size = Number(size);
      entries.push(entry);
    }
    return entries;
  }

  /** Reads blobs in one `cat-file --batch`; callers check sizes first (listFolder gives them). */
  async readBlobs(oids: ReadonlyArray<string>): Promise<Map<string, Buffer>> {
    const blobs = new Map<string, Buffer>();
    if (oids.length === 0) return blobs;
    const input = `${oids.map(checkOid).join("\n")}\n`;
    const { stdout } = await runGit(["cat-file", "--batch"], this.opts({ input }));
    let at = 0;
    while (at < stdout.length) {
      const eol = stdout.indexOf(0x0a, at);
      if (eol === -1) break;
      const header = stdout.subarray(at, eol).toString("utf8").split(" ");
      at = eol + 1;
      if (header[1] === "missing" || header.length < 3) continue;
      const size = Number(header[2]);
      blobs.set(header[0] ?? "", stdout.subarray(at, at + size));
      at += size + 1;
    }
    return blobs;
  }

  private opts(extra: { timeoutMs?: number; signal?: AbortSignal | undefined; input?: string } = {}) {
    const o: { cwd: string; timeoutMs: number; signal?: AbortSignal; input?: string } = {
      cwd: this.dir,
      timeoutMs: extra.timeoutMs ?? this.timeoutMs,
    };
    if (extra.signal) o.signal = extra.signal;
    if (extra.input !== undefined) o.input = extra.input;
    return o;
  }
}

function checkOid(oid: string): string {
  if (!OID.test(oid))
    throw SyncError.gitFailed({ command: "rev-parse", detail: `unexpected object id "${oid}"` });
  return oid;
}
