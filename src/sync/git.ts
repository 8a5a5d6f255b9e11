/**
 * Runs git as a child process with a fixed, hardened environment: only https, ssh and file
 * transports, no prompts, no system config, no hooks, no submodules. Arguments are always an
 * argv array; strings that came from config are placed after `--end-of-options` or checked
 * by remote.ts first, never passed where git reads options. Each command has a timeout that
 * kills its whole process group (ssh and remote helpers included).
 */
import { spawn } from "node:child_process";
import { SyncError } from "./errors.js";

export interface GitRunOptions {
  /** The repository (`git -C`); omitted for commands that do not need one. */
  cwd?: string;
  timeoutMs?: number;
  /** Written to stdin, then stdin is closed. */
  input?: string | Buffer;
  /** stdout beyond this many bytes fails the command (bounds memory). */
  maxOutputBytes?: number;
  signal?: AbortSignal;
}

export interface GitOutput {
  stdout: Buffer;
  stderr: string;
}

export const GIT_DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
const MAX_STDERR = 16 * 1024;

/** Config set on every command line: constants only, never anything a user wrote. */
const HARDENING = [
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "submodule.recurse=false",
  "-c",
  "fetch.recurseSubmodules=false",
  "-c",
  "protocol.ext.allow=never",
  "-c",
  "protocol.fd.allow=never",
  "-c",
  "gc.autoDetach=false",
  "-c",
  "maintenance.autoDetach=false",
  "-c",
  "core.fsmonitor=false",
  "--literal-pathspecs",
];

/** Inherited GIT_* variables that may stay (transport settings an operator sets on purpose). */
const KEPT_GIT_ENV = new Set([
  "GIT_SSH",
  "GIT_SSH_COMMAND",
  "GIT_SSL_CAINFO",
  "GIT_SSL_CAPATH",
  "GIT_SSL_NO_VERIFY",
]);

/** The environment every git command runs with. */
export function gitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    // GIT_DIR, GIT_CONFIG_PARAMETERS, GIT_EXEC_PATH… from a parent git (a hook, a test
    // runner) would redirect or reconfigure our commands.
    if (key.startsWith("GIT_") && !KEPT_GIT_ENV.has(key)) continue;
    env[key] = value;
  }
  env.GIT_ALLOW_PROTOCOL = "https:ssh:file";
  env.GIT_TERMINAL_PROMPT = "0";
  env.GIT_CONFIG_NOSYSTEM = "1";
  env.GIT_NO_REPLACE_OBJECTS = "1";
  // Refuse interactive host-key and password prompts: a stuck prompt would hang the sync.
  env.GIT_SSH_COMMAND ??= "ssh -o BatchMode=yes";
  env.LC_ALL = "C";
  return env;
}

/** Runs `git <args>`; resolves with its output or rejects with a coded error. */
export function runGit(args: string[], opts: GitRunOptions = {}): Promise<GitOutput> {
  const timeoutMs = opts.timeoutMs ?? GIT_DEFAULT_TIMEOUT_MS;
  const maxOut = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const argv = [...(opts.cwd === undefined ? [] : ["-C", opts.cwd]), ...HARDENING, ...args];
  const command = args[0] ?? "";
  return new Promise<GitOutput>((resolvePromise, reject) => {
    const child = spawn("git", argv, {
      env: gitEnv(),
      stdio: ["pipe", "pipe", "pipe"],
      // Its own process group, so a timeout can stop ssh or a remote helper it started too.
      detached: true,
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = "";
    let failure: Error | undefined;
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => {
      failure ??= SyncError.gitTimeout({ command, ms: timeoutMs });
      killGroup();
    }, timeoutMs);
    const onAbort = () => {
      failure ??= SyncError.gitFailed({ command, detail: "stopped because sync is shutting down" });
      killGroup();
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();

    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOut) {
        failure ??= SyncError.gitFailed({ command, detail: `more than ${maxOut} bytes of output` });
        killGroup();
        return;
      }
      out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString("utf8");
    });
    child.stdin.on("error", () => {
      // git may exit before reading all of stdin; its exit status says what happened.
    });
    child.on("error", (err: NodeJS.ErrnoException) => {
      failure ??=
        err.code === "ENOENT"
          ? SyncError.gitMissing({ reason: "git was not found" })
          : SyncError.gitMissing({ reason: err.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      if (failure) return reject(failure);
      if (code !== 0) return reject(SyncError.gitFailed({ command, detail: summarise(stderr, code) }));
      resolvePromise({ stdout: Buffer.concat(out), stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** The last meaningful stderr lines, which is where git says what went wrong. */
function summarise(stderr: string, code: number | null): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("hint:"));
  const tail = lines.slice(-3).join("; ");
  return tail === "" ? `exit status ${code ?? "unknown"}` : tail;
}
