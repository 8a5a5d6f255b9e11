import { renameSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/types.js";
import { backoffDelay, Syncer } from "../../src/sync/syncer.js";
import { deployments, goodWorkflow, makeRemote, waitFor } from "./helpers.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(extra: { minBackoffMs?: number; maxBackoffMs?: number } = {}) {
  const remote = makeRemote();
  const store: Store = remote.store();
  const seen = deployments();
  const errors: Array<{ err: Error; attempt: number; at: number }> = [];
  const syncer = new Syncer({
    store,
    repo: remote.bare,
    branch: "main",
    dataDir: join(remote.root, "data"),
    onDeploy: seen.onDeploy,
    onError: (err, attempt) => errors.push({ err, attempt, at: Date.now() }),
    ...extra,
  });
  cleanups.push(() => store.close());
  cleanups.push(() => syncer.stop());
  return { remote, store, syncer, seen, errors };
}

describe("Syncer polling", () => {
  it("deploys each new commit within the poll interval", async () => {
    const { remote, store, syncer, seen } = setup();
    const first = remote.commit({ "workflows/a.yaml": goodWorkflow("a") });
    syncer.start(100);
    await seen.next((d) => d.commit === first);
    const second = remote.commit({ "workflows/b.yaml": goodWorkflow("b") });
    const pushedAt = Date.now();
    const d = await seen.next((x) => x.commit === second);
    expect(d.result).toBe("deployed");
    // Poll interval plus the time git needs on a busy machine.
    expect(Date.now() - pushedAt).toBeLessThan(5000);
    expect((await store.activeWorkflows()).map((a) => a.workflow).sort()).toEqual(["a", "b"]);
    expect(syncer.status.nextAttemptAt).toBeGreaterThan(0);
  });

  it("follows a force-push to an unrelated history and deploys the new head", async () => {
    const { remote, store, syncer, seen } = setup();
    const old = remote.commit({ "workflows/a.yaml": goodWorkflow("a") });
    syncer.start(100);
    await seen.next((d) => d.commit === old);
    const rewritten = remote.forcePushUnrelated({ "workflows/z.yaml": goodWorkflow("z") });
    const d = await seen.next((x) => x.commit === rewritten);
    expect(d.result).toBe("deployed");
    const active = await store.activeWorkflows();
    expect(active.map((a) => [a.workflow, a.version.commit])).toEqual([["z", rewritten]]);
  });

  it("keeps serving while the remote is unreachable, backs off, and recovers", async () => {
    const { remote, store, syncer, seen, errors } = setup({ minBackoffMs: 50, maxBackoffMs: 400 });
    const good = remote.commit({ "workflows/a.yaml": goodWorkflow("a") });
    syncer.start(50);
    await seen.next((d) => d.commit === good);
    const before = await store.activeWorkflows();

    const hidden = `${remote.bare}.gone`;
    renameSync(remote.bare, hidden);
    await waitFor(() => errors.length >= 4, 10_000);
    expect(errors.map((e) => e.attempt).slice(0, 4)).toEqual([1, 2, 3, 4]);
    expect((errors[0]?.err as { code?: string } | undefined)?.code).toBe("WEFT_SYNC_FETCH_FAILED");
    expect(syncer.status.lastError).toMatch(/cannot fetch branch main/);
    expect(syncer.status.consecutiveFailures).toBeGreaterThanOrEqual(4);
    // The gap between attempts grows (50, 100, 200 ms…), so a dead remote is not hammered.
    const gaps = errors.slice(1, 4).map((e, i) => e.at - (errors[i]?.at ?? 0));
    expect(gaps[2] ?? 0).toBeGreaterThanOrEqual(180);
    expect(await store.activeWorkflows()).toEqual(before);
    expect(await store.listDeployments()).toHaveLength(1);

    renameSync(hidden, remote.bare);
    const next = remote.commit({ "workflows/b.yaml": goodWorkflow("b") });
    await seen.next((d) => d.commit === next, 10_000);
    expect(syncer.status.consecutiveFailures).toBe(0);
    expect(syncer.status.lastError).toBeUndefined();
    expect((await store.activeWorkflows()).map((a) => a.workflow).sort()).toEqual(["a", "b"]);
  });

  it("reports a missing repository path as a fetch error without touching the store", async () => {
    const { remote, store, errors } = setup();
    const syncer = new Syncer({
      store,
      repo: `file://${join(remote.root, "missing.git")}`,
      branch: "main",
      dataDir: join(remote.root, "data2"),
      onError: (err, attempt) => errors.push({ err, attempt, at: Date.now() }),
    });
    const result = await syncer.syncOnce();
    expect(result.outcome).toBe("error");
    expect(errors).toHaveLength(1);
    expect(await store.listDeployments()).toEqual([]);
  });

  it("coalesces concurrent sync requests into one follow-up sync", async () => {
    const { remote, store, syncer } = setup();
    const sha = remote.commit({ "workflows/a.yaml": goodWorkflow("a") });
    const [r1, r2, r3] = await Promise.all([
      syncer.requestSync(),
      syncer.requestSync(),
      syncer.requestSync(),
    ]);
    expect(r1).toMatchObject({ outcome: "deployed", commit: sha });
    // The second and third asked while the first ran: they share one later sync.
    expect(r2).toEqual({ outcome: "unchanged", commit: sha });
    expect(r3).toBe(r2);
    expect(await store.listDeployments()).toHaveLength(1);
  });

  it("stop() ends polling and waits for the running attempt", async () => {
    const { remote, syncer, seen } = setup();
    remote.commit({ "workflows/a.yaml": goodWorkflow("a") });
    syncer.start(50);
    await seen.next(() => true);
    await syncer.stop();
    const attempts = syncer.status.lastAttemptAt;
    remote.commit({ "workflows/b.yaml": goodWorkflow("b") });
    await new Promise((r) => setTimeout(r, 300));
    expect(syncer.status.lastAttemptAt).toBe(attempts);
    expect(syncer.status.nextAttemptAt).toBeUndefined();
    expect(seen.seen).toHaveLength(1);
  });
});

describe("backoffDelay", () => {
  it("doubles from the minimum up to the maximum", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 10_000))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(backoffDelay(1000, 1000, 300_000)).toBe(300_000);
  });
});
