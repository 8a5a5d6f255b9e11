import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root (the folder holding Weft's package.json), found from this module. */
export const PACKAGE_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "schemas"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("weft: cannot find the package root");
    dir = up;
  }
})();

/**
 * Worker threads load compiled JavaScript only (tests run the TypeScript sources through
 * vitest, which a plain worker cannot import), so thread entry points always come from dist/.
 */
export function distPath(...segments: string[]): string {
  return join(PACKAGE_ROOT, "dist", ...segments);
}
