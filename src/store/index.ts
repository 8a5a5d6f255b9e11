import { isAbsolute, resolve } from "node:path";
import { SqliteStore, type SqliteStoreOptions } from "./sqlite/store.js";
import type { Store } from "./types.js";

export type { Store } from "./types.js";

/** Default store location under the working directory; `--store` and `WEFT_STORE` override. */
export function defaultStorePath(cwd: string = process.cwd()): string {
  return resolve(cwd, ".weft", "weft.db");
}

export async function openStore(
  location: string | undefined,
  opts: SqliteStoreOptions & { cwd?: string } = {},
): Promise<Store> {
  const cwd = opts.cwd ?? process.cwd();
  const where = location ?? process.env.WEFT_STORE ?? defaultStorePath(cwd);
  if (/^postgres(ql)?:\/\//.test(where)) {
    throw new Error("PostgreSQL stores are not available yet; use a SQLite file path");
  }
  const path = where === ":memory:" || isAbsolute(where) ? where : resolve(cwd, where);
  return new SqliteStore(path, opts);
}
