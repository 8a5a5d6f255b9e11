import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import { storeConformance } from "./conformance.js";

storeConformance("sqlite", async (now) => {
  const dir = mkdtempSync(join(tmpdir(), "weft-store-"));
  return new SqliteStore(join(dir, "weft.db"), now ? { now } : {});
});
