import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const WEFT = join(ROOT, "bin", "weft.js");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (dist/, built by `npm test`) as a real child process. */
export function weft(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Run {
  const env = { ...process.env, ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const r = spawnSync(process.execPath, [WEFT, ...args], { cwd: opts.cwd ?? ROOT, env, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI under a pseudo-terminal (util-linux `script`), so stdout and stderr are TTYs. */
export function weftInTty(args: string[], env: Record<string, string | undefined>, cwd = ROOT): Run {
  const quoted = [process.execPath, WEFT, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const full = { ...process.env, ...env };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  const r = spawnSync("script", ["-qec", quoted, "/dev/null"], { cwd, env: full, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
