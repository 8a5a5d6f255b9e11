/**
 * Reads workflow files at a revision straight from Git objects (never the working tree), so a
 * plan describes exactly what a commit holds. Every call is a `git` child process with
 * arguments passed as an array; refs starting with `-` are refused before Git sees them.
 */
import { execFile, spawn } from "node:child_process";
import { WeftError } from "../errors.js";
import { ReviewError } from "./errors.js";

export interface TreeEntry {
  /** Path from the repository root, e.g. `workflows/nightly.yaml`. */
  path: string;
  mode: string;
  type: string;
  /** Object id of the blob. */
  oid: string;
  /** Size in bytes (blobs only; -1 otherwise). */
  size: number;
}

const MAX_LISTING_BYTES = 64 * 1024 * 1024;

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { cwd, maxBuffer: MAX_LISTING_BYTES, encoding: "utf8", env: gitEnv() },
      (err, stdout, stderr) => {
        if (err) reject(Object.assign(err, { stderr: String(stderr) }));
        else resolve(stdout);
      },
    );
  });
}

/** No prompts, no pager, messages in English so failures read the same everywhere. */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C" };
}

function firstLine(err: unknown): string {
  const stderr = (err as { stderr?: string }).stderr ?? "";
  const line = stderr.split("\n").find((l) => l.trim() !== "");
  return (line ?? (err as Error).message).replace(/^fatal:\s*/, "").trim();
}

/** Throws WEFT_REVIEW_NOT_GIT unless `cwd` is inside a work tree or a bare repository. */
export async function assertGitRepository(cwd: string): Promise<void> {
  try {
    await git(cwd, ["rev-parse", "--git-dir"]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw ReviewError.gitFailed({ command: "rev-parse", reason: "git is not installed or not on PATH" });
    }
    throw ReviewError.notGit({ dir: cwd });
  }
}

/** Refuses option-like and malformed refs before any Git command sees them. */
export function checkRef(ref: string): void {
  if (ref.startsWith("-")) throw ReviewError.refOption({ ref });
  if (ref === "" || /[\0\n\r]/.test(ref)) throw ReviewError.badRef({ ref: JSON.stringify(ref) });
}

/** The full commit id a ref names, or WEFT_REVIEW_BAD_REF. */
export async function resolveCommit(cwd: string, ref: string): Promise<string> {
  checkRef(ref);
  try {
    const out = await git(cwd, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
    const oid = out.trim();
    if (!/^[0-9a-f]{40,64}$/.test(oid)) throw new Error(`unexpected rev-parse output ${oid}`);
    return oid;
  } catch (err) {
    if (err instanceof WeftError) throw err;
    throw ReviewError.badRef({ ref }, { cause: err });
  }
}

/**
 * Entries of `dir` at `commit` (paths from the repository root). Not recursive unless asked,
 * like `weft validate` reading a folder. A missing folder is an empty list.
 */
export async function listTree(
  cwd: string,
  commit: string,
  dir: string,
  opts: { recursive?: boolean } = {},
): Promise<TreeEntry[]> {
  const args = ["ls-tree", "-z", "-l", "--full-tree"];
  if (opts.recursive) args.push("-r");
  args.push(commit, "--", `${dir.replace(/\/+$/, "")}/`);
  let out: string;
  try {
    out = await git(cwd, args);
  } catch (err) {
    throw ReviewError.gitFailed({ command: "ls-tree", reason: firstLine(err) }, { cause: err });
  }
  const entries: TreeEntry[] = [];
  for (const record of out.split("\0")) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    const [mode = "", type = "", oid = "", size = "-"] = record.slice(0, tab).split(/\s+/);
    entries.push({ path: record.slice(tab + 1), mode, type, oid, size: size === "-" ? -1 : Number(size) });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Contents of the given blobs, read with one `git cat-file --batch` process. */
export function readBlobs(cwd: string, oids: ReadonlyArray<string>): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  if (unique.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd, env: gitEnv() });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    child.on("error", (err) => reject(ReviewError.gitFailed({ command: "cat-file", reason: err.message })));
    child.on("close", (code) => {
      if (code !== 0) {
        reject(ReviewError.gitFailed({ command: "cat-file", reason: stderr.trim() || `exit ${code}` }));
        return;
      }
      try {
        resolve(parseBatch(Buffer.concat(chunks)));
      } catch (err) {
        reject(ReviewError.gitFailed({ command: "cat-file", reason: (err as Error).message }));
      }
    });
    child.stdin.end(`${unique.join("\n")}\n`);
  });
}

/** `<oid> <type> <size>\n<content>\n` records; `<oid> missing` for absent objects. */
function parseBatch(out: Buffer): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) throw new Error("truncated cat-file header");
    const header = out.subarray(at, eol).toString("utf8").split(" ");
    at = eol + 1;
    if (header[1] === "missing") continue;
    const size = Number(header[2]);
    if (!Number.isSafeInteger(size)) throw new Error(`bad cat-file header ${header.join(" ")}`);
    blobs.set(header[0] ?? "", out.subarray(at, at + size));
    at += size + 1;
  }
  return blobs;
}
