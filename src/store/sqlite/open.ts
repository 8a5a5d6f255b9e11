import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { defineError } from "../../errors.js";
import { SQLITE_MIGRATIONS } from "./migrations.js";

export type Synchronous = "FULL" | "NORMAL";

export interface SqliteOptions {
  /**
   * FULL (default): a committed transaction survives power loss. NORMAL: survives any
   * process crash, but the last commits may roll back on power loss. better-sqlite3 would
   * silently pick NORMAL for WAL databases, so we always set it explicitly.
   */
  synchronous?: Synchronous;
  /** How long a writer waits for a lock held by another process before failing. */
  busyTimeoutMs?: number;
}

const storeOpenFailed = defineError(
  "WEFT_STORE_OPEN_FAILED",
  "cannot open the store at {path}: {reason}. Check the path is writable, or pass --store / WEFT_STORE.",
);
const storeTooNew = defineError(
  "WEFT_STORE_TOO_NEW",
  "the store at {path} was written by a newer Weft (schema version {found}, this Weft knows {known}); upgrade Weft.",
);

export function openSqlite(path: string, opts: SqliteOptions = {}): Database.Database {
  let db: Database.Database;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { timeout: opts.busyTimeoutMs ?? 5000 });
  } catch (err) {
    throw storeOpenFailed({ path, reason: (err as Error).message }, { cause: err });
  }
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${opts.synchronous ?? "FULL"}`);
  db.pragma("foreign_keys = ON");
  // Checkpoint often enough that the WAL stays small, without stalling every commit.
  db.pragma("wal_autocheckpoint = 4000");
  migrate(db, path);
  return db;
}

function migrate(db: Database.Database, path: string): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS weft_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER)",
  );
  const row = db.prepare("SELECT max(version) AS v FROM weft_migrations").get() as { v: number | null };
  const current = row.v ?? 0;
  const known = SQLITE_MIGRATIONS.at(-1)?.version ?? 0;
  if (current > known) throw storeTooNew({ path, found: current, known });
  for (const m of SQLITE_MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare("INSERT INTO weft_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        m.version,
        m.name,
        Date.now(),
      );
    }).immediate();
  }
}
