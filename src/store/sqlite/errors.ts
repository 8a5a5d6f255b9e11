/** The SQLite store's coded errors, and how SQLite's own codes are told apart. */
import { defineError } from "../../errors.js";

export const checkpointTooLarge = defineError(
  "WEFT_STORE_CHECKPOINT_TOO_LARGE",
  "checkpoint of step {stepId} is {size} bytes, over the {limit}-byte limit; save a smaller state (e.g. a cursor, not the data).",
);
export const MAX_CHECKPOINT_BYTES = 4 * 1024 * 1024;

/** SQLITE_FULL as a coded error: the transaction was rolled back, nothing of it is stored. */
export const storeFull = defineError(
  "WEFT_STORE_FULL",
  "the store at {path} cannot grow: the disk (or its quota) is full, so this write was rolled back and nothing of it was stored. Free space on that filesystem; Weft retries its own writes.",
);

export const leaseLost = defineError(
  "WEFT_STEP_LEASE_LOST",
  "checkpoint of step {stepId} was not saved: this attempt's claim (epoch {epoch}) is no longer current, because its lease expired and the step was taken over or closed. This attempt's result will be discarded too.",
);

export const storeBusy = defineError(
  "WEFT_STORE_BUSY",
  "the store at {path} stayed locked by another writer for {waitedMs} ms; the checkpoint was not saved. Find the process holding the lock (a long transaction, a backup) and retry.",
);
/** How long a checkpoint save keeps retrying a locked store (between attempts, not blocking). */
export const CHECKPOINT_BUSY_RETRY_MS = 10_000;

export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/** better-sqlite3 reports SQLITE_FULL (and its extended codes) on the error's `code`. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_FULL");
}
