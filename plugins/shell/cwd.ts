import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { NonRetryableError } from "../../src/plugin/index.js";

/**
 * The real directory a shell step runs in. Resolved through symlinks, then required to be the
 * workspace or below it, so neither `..` nor a symlink can lead a step out of the repository.
 */
export function resolveCwd(workspace: string, cwd: string | undefined): string {
  const requested = cwd ?? ".";
  if (requested.includes("\0")) throw refuse(requested, "it contains a NUL byte");
  const root = realpathSync(workspace);
  const target = isAbsolute(requested) ? requested : resolve(root, requested);
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    throw refuse(requested, "the directory does not exist");
  }
  if (!isInside(root, real)) throw refuse(requested, `it resolves to ${real}, outside the workspace ${root}`);
  return real;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function refuse(cwd: string, why: string): NonRetryableError {
  return new NonRetryableError(
    `shell: cwd "${cwd}" is refused: ${why}; use a directory inside the workspace`,
    {
      code: "WEFT_SHELL_CWD_REFUSED",
    },
  );
}
