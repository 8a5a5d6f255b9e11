/** `weft` as a real child process whose combined output can be watched while it runs. */
import { type ChildProcess, spawn } from "node:child_process";
import { constants } from "node:os";
import { join } from "node:path";

const BIN = join(import.meta.dirname, "..", "..", "bin", "weft.js");

export interface WeftProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  out(): string;
  /** The exit code; 128 + the signal number when killed. */
  exited: Promise<number>;
}

export function startWeft(args: string[], cwd: string): WeftProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  child.stdout!.on("data", (d) => {
    out += d;
  });
  child.stderr!.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<number>((resolve) =>
    child.on("exit", (code, signal) =>
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)),
    ),
  );
  return { child, out: () => out, exited };
}
