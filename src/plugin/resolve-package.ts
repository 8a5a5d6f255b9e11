/**
 * Finds the ES module entry of an npm package installed for the workflow repository, the way
 * `import "name"` from the repository root would: node_modules folders walking up from the
 * root, then the package's `exports` (conditions "import", "node", "default") or `main`.
 * Written out because require.resolve applies the "require" condition and ESM-only packages
 * have none, and import.meta.resolve takes no parent URL on Node 20.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const CONDITIONS = ["import", "node", "default"];

export interface ResolvedPackage {
  /** Absolute path of the entry module. */
  entry: string;
  /** The package's folder and its package.json fields. */
  dir: string;
  version: string;
}

/** Throws an Error saying what was looked for when the package or its entry is missing. */
export function resolvePackage(name: string, cwd: string): ResolvedPackage {
  const dir = findPackageDir(name, cwd);
  if (!dir) {
    throw new Error(`package "${name}" is not installed under ${cwd}; run \`npm install ${name}\` there`);
  }
  return packageEntry(dir, name);
}

/** The entry of the package in `dir` (a node_modules folder or a package named by path). */
export function packageEntry(dir: string, name: string): ResolvedPackage {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    exports?: unknown;
    main?: unknown;
    version?: unknown;
  };
  const target = pkg.exports !== undefined ? fromExports(pkg.exports) : mainOf(pkg.main);
  if (!target) {
    throw new Error(
      `package "${name}" has no ES module entry for "." in its exports (conditions ${CONDITIONS.join(", ")})`,
    );
  }
  const entry = resolve(dir, target);
  if (!existsSync(entry)) throw new Error(`package "${name}" names ${target} as its entry, which is missing`);
  return { entry, dir, version: typeof pkg.version === "string" ? pkg.version : "0.0.0" };
}

function findPackageDir(name: string, cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function mainOf(main: unknown): string {
  return typeof main === "string" && main !== "" ? main : "index.js";
}

/** The "." target of an exports field: a string, a conditions object, or a subpath map. */
function fromExports(exports: unknown): string | undefined {
  if (typeof exports === "string") return exports;
  if (!exports || typeof exports !== "object" || Array.isArray(exports)) return undefined;
  const map = exports as Record<string, unknown>;
  const keys = Object.keys(map);
  if (keys.some((k) => k.startsWith("."))) return pickCondition(map["."]);
  return pickCondition(map);
}

function pickCondition(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const conditions = value as Record<string, unknown>;
  // Object key order is the package author's priority order, as in Node's own resolver.
  for (const [key, target] of Object.entries(conditions)) {
    if (!CONDITIONS.includes(key)) continue;
    const found = pickCondition(target);
    if (found) return found;
  }
  return undefined;
}
