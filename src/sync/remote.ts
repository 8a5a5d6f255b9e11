/**
 * What Weft agrees to fetch from. Repository specs and branch names come from config and
 * flags, and git has a history of turning such strings into commands (`ext::sh -c …`,
 * `--upload-pack=…`, `ssh://-oProxyCommand=…`), so everything is checked here before git sees
 * it: only https, ssh (URL or scp-like) and file remotes or an existing local folder pass.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, posix, resolve } from "node:path";
import { SyncError } from "./errors.js";

export type RemoteKind = "https" | "ssh" | "file" | "local";

export interface RemoteSpec {
  kind: RemoteKind;
  /** The argument handed to git: the URL, or an absolute path for a local repository. */
  url: string;
  /** For logs, the API and error messages: credentials masked. */
  display: string;
}

const WHITESPACE = /\s/;
/** `<transport>::<address>` makes git run `git-remote-<transport>`; `ext::` runs any command. */
const HELPER = /^[A-Za-z][A-Za-z0-9+.-]*::/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9._-]*)|\[[0-9A-Fa-f:.]+\])$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9._~+-]*$/;
const MAX_SPEC = 4096;

/** Checks a repository spec and says how git will reach it. Throws WEFT_SYNC_BAD_REMOTE. */
export function parseRemote(spec: string, cwd: string = process.cwd()): RemoteSpec {
  const refuse = (reason: string, shown = JSON.stringify(spec)) =>
    SyncError.badRemote({ remote: shown, reason });
  if (spec.length === 0) throw refuse("it is empty");
  if (spec.length > MAX_SPEC) throw refuse(`it is longer than ${MAX_SPEC} characters`, "(too long)");
  if (hasControl(spec)) throw refuse("it contains control characters");
  if (spec.startsWith("-")) throw refuse('it begins with "-", which git would read as an option');
  if (HELPER.test(spec)) {
    throw refuse('"<transport>::" remote helpers (such as ext::, which runs commands) are not allowed');
  }
  const scheme = SCHEME.exec(spec)?.[1]?.toLowerCase();
  if (scheme !== undefined) return parseUrl(spec, scheme, refuse);
  const colon = spec.indexOf(":");
  const slash = spec.indexOf("/");
  // git's own rule: a colon before any slash makes `host:path` an scp-like ssh address.
  if (colon > 0 && (slash === -1 || slash > colon)) return parseScpLike(spec, colon, refuse);
  return parseLocal(spec, cwd);
}

type Refuse = (reason: string, shown?: string) => Error;

function parseUrl(spec: string, scheme: string, refuse: Refuse): RemoteSpec {
  if (scheme !== "https" && scheme !== "ssh" && scheme !== "file") {
    const why = scheme === "http" || scheme === "git" ? ` (${scheme}:// is not encrypted)` : "";
    throw refuse(`the ${scheme}:// scheme is not allowed${why}`);
  }
  if (WHITESPACE.test(spec)) throw refuse("URLs must not contain spaces; percent-encode them");
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw refuse("it is not a valid URL");
  }
  if (scheme === "file") {
    if (url.host !== "" && url.host !== "localhost")
      throw refuse("file:// URLs must name a local path (file:///…)");
    if (url.pathname === "/" || url.pathname === "") throw refuse("the file:// URL has no path");
    return { kind: "file", url: spec, display: spec };
  }
  const host = url.hostname;
  if (host === "") throw refuse("the URL has no host");
  if (!HOST.test(host)) throw refuse(`host "${host}" is not a valid host name`);
  if (url.username !== "" && decodeURIComponent(url.username).startsWith("-")) {
    throw refuse('the user name begins with "-"');
  }
  const display = maskCredentials(url);
  const shown = JSON.stringify(display);
  if (url.pathname === "/" || url.pathname === "") throw refuse("the URL has no repository path", shown);
  return { kind: scheme, url: spec, display };
}

function parseScpLike(spec: string, colon: number, refuse: Refuse): RemoteSpec {
  const userHost = spec.slice(0, colon);
  const path = spec.slice(colon + 1);
  const at = userHost.lastIndexOf("@");
  const user = at === -1 ? undefined : userHost.slice(0, at);
  const host = at === -1 ? userHost : userHost.slice(at + 1);
  if (user !== undefined && !USER.test(user)) throw refuse(`user "${user}" is not a valid ssh user name`);
  if (!HOST.test(host)) throw refuse(`host "${host}" is not a valid host name`);
  if (path === "") throw refuse("the ssh address has no repository path after the colon");
  if (path.startsWith("-")) throw refuse('the repository path begins with "-"');
  if (WHITESPACE.test(spec)) throw refuse("ssh addresses must not contain spaces");
  return { kind: "ssh", url: spec, display: spec };
}

function parseLocal(spec: string, cwd: string): RemoteSpec {
  const path = resolve(cwd, spec);
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw SyncError.localPathMissing({ path });
  return { kind: "local", url: path, display: path };
}

/** Any C0 control character or DEL (a regex over them trips the linter for good reason). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function maskCredentials(url: URL): string {
  if (url.username === "" && url.password === "") return url.href;
  const copy = new URL(url.href);
  copy.username = "***";
  copy.password = "";
  return copy.href;
}

/**
 * Branch names follow `git check-ref-format --branch`, and may not begin with "-". Returns the
 * name; throws WEFT_SYNC_BAD_BRANCH.
 */
export function checkBranch(branch: string): string {
  const refuse = (reason: string) =>
    SyncError.badBranch({ branch: JSON.stringify(branch).slice(1, -1), reason });
  if (branch.length === 0) throw refuse("it is empty");
  if (branch.length > 255) throw refuse("it is longer than 255 characters");
  if (branch.startsWith("-")) throw refuse('it begins with "-", which git would read as an option');
  if (hasControl(branch) || /[ ~^:?*[\\]/.test(branch)) {
    throw refuse("it contains a space, a control character or one of ~ ^ : ? * [ \\");
  }
  if (branch.includes("..")) throw refuse('it contains ".."');
  if (branch.includes("@{")) throw refuse('it contains "@{"');
  if (branch === "@" || branch === "HEAD") throw refuse(`"${branch}" is not a branch name`);
  if (branch.startsWith("refs/")) throw refuse('pass the short name without "refs/heads/"');
  if (branch.startsWith("/") || branch.endsWith("/") || branch.includes("//")) {
    throw refuse('it begins or ends with "/" or has an empty part');
  }
  if (branch.endsWith(".")) throw refuse('it ends with "."');
  for (const part of branch.split("/")) {
    if (part.startsWith(".")) throw refuse('a part of it begins with "."');
    if (part.endsWith(".lock")) throw refuse('a part of it ends with ".lock"');
  }
  return branch;
}

/** A folder inside the repository, as a normalised relative path ("" for the root). */
export function checkWorkflowsDir(dir: string): string {
  const refuse = (reason: string) => SyncError.badWorkflowsDir({ dir, reason });
  if (hasControl(dir)) throw refuse("it contains control characters");
  if (dir.startsWith("/") || /^[A-Za-z]:[\\/]/.test(dir))
    throw refuse("it must be relative to the repository root");
  if (dir.includes("\\")) throw refuse('use "/" between folder names');
  if (dir.startsWith("-") || dir.startsWith(":")) throw refuse('it begins with "-" or ":"');
  const normal = posix.normalize(dir === "" ? "." : dir).replace(/\/+$/, "");
  if (normal === ".." || normal.startsWith("../")) throw refuse("it leaves the repository");
  return normal === "." ? "" : normal;
}

export interface LocalRepository {
  /** The top folder of the working tree (or the bare repository itself). */
  root: string;
  /** The branch HEAD points at, when it is not detached. */
  branch?: string;
}

/**
 * For `weft serve` without `--repo`: the repository the process was started in, found by
 * looking for `.git` upwards from `start` (no git command runs in it). Throws
 * WEFT_SYNC_NOT_A_REPOSITORY.
 */
export function findLocalRepository(start: string = process.cwd()): LocalRepository {
  const from = resolve(start);
  let dir = from;
  for (;;) {
    const dotGit = join(dir, ".git");
    if (existsSync(dotGit)) {
      const gitDir = resolveGitDir(dotGit, dir);
      if (gitDir) return withBranch({ root: dir }, gitDir);
    } else if (looksBare(dir)) {
      return withBranch({ root: dir }, dir);
    }
    const up = dirname(dir);
    if (up === dir) throw SyncError.notARepository({ path: from });
    dir = up;
  }
}

function resolveGitDir(dotGit: string, dir: string): string | undefined {
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    // Worktrees and submodules have a `.git` file: "gitdir: <path>".
    const match = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, "utf8"));
    return match?.[1] ? resolve(dir, match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function looksBare(dir: string): boolean {
  return ["HEAD", "objects", "refs"].every((name) => existsSync(join(dir, name)));
}

function withBranch(repo: LocalRepository, gitDir: string): LocalRepository {
  try {
    const head = readFileSync(join(gitDir, "HEAD"), "utf8");
    const match = /^ref: refs\/heads\/(.+?)\s*$/.exec(head);
    if (match?.[1]) repo.branch = match[1];
  } catch {
    // A missing or unreadable HEAD leaves the branch to the caller.
  }
  return repo;
}
