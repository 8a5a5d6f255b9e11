/**
 * Disk full during a checkpoint (RELIABILITY.md): the store lives on a small tmpfs, a step
 * saves ever larger checkpoints until the filesystem is full. The failing save rejects with
 * WEFT_STORE_FULL, the step's attempt fails with that message, the database stays intact,
 * the last saved checkpoint is whole and everything committed before is still there. Once
 * space is freed, the engine's own retries record the rest (the failed step, the failed run).
 *
 * Needs root to mount the tmpfs; it fails (never skips) when it cannot.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/engine.js";
import { staticSecrets } from "../../src/engine/secrets.js";
import { StepPool } from "../../src/pool/index.js";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import { compileYaml, fixtureRegistry } from "./harness.js";

const CHUNK = 16 * 1024;

const root = mkdtempSync(join(tmpdir(), "weft-disk-full-"));
const mnt = join(root, "small");
const acks = join(root, "acks.txt");
const filler = join(mnt, "filler");
const FILLER_BYTES = 128 * 1024;

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
let mounted = false;
let store: SqliteStore | undefined;
let pool: StepPool | undefined;
let engine: Engine | undefined;

beforeAll(() => {
  if (process.getuid?.() !== 0) {
    throw new Error(`disk-full test must run as root to mount a tmpfs (uid ${process.getuid?.()})`);
  }
  mkdirSync(mnt);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1024k", "tmpfs", mnt], { stdio: "pipe" });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`cannot mount a tmpfs at ${mnt}: ${e.stderr?.toString().trim() || e.message}`);
  }
  mounted = true;
});

afterAll(async () => {
  await engine?.stop(500).catch(() => {});
  await pool?.destroy().catch(() => {});
  // Closing checkpoints the WAL into the database, which may itself hit the full disk.
  await store?.close().catch(() => {});
  if (mounted) {
    try {
      execFileSync("umount", [mnt], { stdio: "pipe" });
    } catch {
      // a busy or already gone mount is not this test's concern
    }
  }
});

const SMALL = `name: small
steps:
  one:
    uses: log
    with: { message: before the disk filled }
`;

const GROWING = `name: growing
steps:
  grow:
    uses: test/big-checkpoint
    with: { acks: "${acks}", chunk: ${CHUNK}, max: 200 }
`;

describe("disk full during a checkpoint", () => {
  it("refuses the save cleanly, fails the attempt, and keeps the database and last checkpoint whole", async () => {
    const types = await fixtureRegistry();
    writeFileSync(acks, "");
    store = new SqliteStore(join(mnt, "weft.db"));
    pool = new StepPool({ size: 1, graceMs: 300 });
    engine = new Engine({ store, pool, types, workspace: root, pollMs: 20, secrets: staticSecrets({}) });
    engine.start();

    const startRun = async (yaml: string) => {
      const plan = compileYaml(yaml, types);
      const version = await (engine as Engine).deploy(plan, yaml);
      const { run } = await (engine as Engine).startRun({ version, inputs: {}, trigger: { kind: "test" } });
      return (engine as Engine).waitForRun(run.id);
    };

    const before = await startRun(SMALL);
    expect(before.status).toBe("succeeded");

    // Whether the run's final status still fits after the failed save depends on a few
    // hundred bytes. So the operator's part is played out: once the engine reports the full
    // store (or the run ended regardless), space is freed, and Weft's own retries must then
    // record whatever is left (the failed step, the failed run).
    writeFileSync(filler, Buffer.alloc(FILLER_BYTES));
    let ended = false;
    const grownDone = startRun(GROWING).finally(() => {
      ended = true;
    });
    await until(() => ended || (engine as Engine).storeError !== undefined, 20_000);
    if (!ended) expect((engine as Engine).storeError?.message).toMatch(/cannot grow: the disk .* is full/);
    unlinkSync(filler);
    const grown = await grownDone;
    expect(grown.status).toBe("failed");
    const [row] = await store.listSteps(grown.id);
    expect(row?.status).toBe("failed");
    expect(row?.error?.code).toBe("WEFT_STORE_FULL");
    expect(row?.error?.message).toMatch(
      /checkpoint\.save failed: the store at .* cannot grow: the disk .* is full/,
    );
    expect(row?.error?.message).not.toMatch(/SQLITE_FULL|database or disk is full/);

    const db = store.connection;
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");

    // The last checkpoint acknowledged to the step is the stored one, whole.
    const acked = readFileSync(acks, "utf8").trim().split("\n").filter(Boolean).map(Number);
    expect(acked.length).toBeGreaterThan(0);
    expect(acked.length).toBeLessThan(200);
    const last = acked.at(-1) as number;
    const saved = (await store.getCheckpoint({ runId: grown.id, stepId: "grow", item: -1 })) as {
      n: number;
      data: string;
    };
    expect(saved.n).toBe(last);
    expect(saved.data.length).toBe(last * CHUNK);
    expect(/^x*$/.test(saved.data)).toBe(true);

    // What was committed before the disk filled is all there.
    expect((await store.getRun(before.id))?.status).toBe("succeeded");
    const steps = await store.listSteps(before.id);
    expect(steps.map((s) => [s.stepId, s.status])).toEqual([["one", "succeeded"]]);
    const attempts = await store.listAttempts(grown.id);
    expect(attempts.map((a) => a.status)).toEqual(["failed"]);
  }, 30_000);
});
