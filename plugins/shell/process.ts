import { spawn } from "node:child_process";
import type { StepLogger } from "../../src/plugin/index.js";
import { Capture, LineLogger } from "./capture.js";

/** Between SIGTERM and SIGKILL; shorter than the pool's grace so the kill lands first. */
const KILL_GRACE_MS = 1000;

export interface SpawnSpec {
  file: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  input: string | undefined;
  maxOutputBytes: number;
  timeoutMs: number | undefined;
  signal: AbortSignal;
  log: StepLogger;
}

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  stoppedBy: "timeout" | "abort" | undefined;
  /** Set when the program could not be started at all (ENOENT, EACCES…). */
  spawnError: NodeJS.ErrnoException | undefined;
}

/**
 * Runs one program as the leader of its own process group. Stopping (timeout, abort) and
 * finishing both signal the whole group, so background children never outlive the step.
 */
export function runProcess(spec: SpawnSpec): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const stdout = new Capture(spec.maxOutputBytes);
    const stderr = new Capture(spec.maxOutputBytes);
    const lines = new LineLogger(spec.log);
    const timers: NodeJS.Timeout[] = [];
    let stoppedBy: ProcessResult["stoppedBy"];
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

    const child = spawn(spec.file, spec.argv, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      shell: false,
      stdio: [spec.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });

    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // ESRCH: the whole group is gone already.
      }
    };
    const stop = (why: "timeout" | "abort") => {
      if (stoppedBy || exit) return;
      stoppedBy = why;
      killGroup("SIGTERM");
      timers.push(setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS));
    };
    const onAbort = () => stop("abort");
    let done = false;
    const finish = (spawnError?: NodeJS.ErrnoException) => {
      if (done) return;
      done = true;
      for (const timer of timers) clearTimeout(timer);
      spec.signal.removeEventListener("abort", onAbort);
      lines.flush();
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stdout: stdout.text(),
        stderr: stderr.text(),
        truncated: stdout.truncated || stderr.truncated,
        stoppedBy,
        spawnError,
      });
    };

    child.stdout?.on("data", (chunk: Buffer) => {
      stdout.push(chunk);
      lines.write("stdout", chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr.push(chunk);
      lines.write("stderr", chunk);
    });
    child.stdin?.on("error", () => {
      // EPIPE: the program exited without reading its input; its exit code tells the story.
    });
    child.stdin?.end(spec.input);

    child.on("error", (err: NodeJS.ErrnoException) => {
      if (child.pid === undefined) finish(err);
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      // Leftover background children still hold the pipes; end them so 'close' can follow.
      killGroup("SIGTERM");
      timers.push(
        setTimeout(() => {
          killGroup("SIGKILL");
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, KILL_GRACE_MS),
      );
    });
    child.on("close", () => finish());

    if (spec.signal.aborted) stop("abort");
    else spec.signal.addEventListener("abort", onAbort, { once: true });
    if (spec.timeoutMs !== undefined) timers.push(setTimeout(() => stop("timeout"), spec.timeoutMs));
  });
}
