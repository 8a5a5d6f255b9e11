import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/spec/types.js";
import type { Store } from "../../src/store/types.js";
import { checkoutPath } from "../../src/sync/checkout.js";
import { Syncer } from "../../src/sync/syncer.js";
import { goodWorkflow, makeRemote, type TestRemote, tempDir } from "./helpers.js";

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function setup(remoteRepo?: (r: TestRemote) => string) {
  const remote = makeRemote();
  const store = remote.store();
  stores.push(store);
  const dataDir = join(remote.root, "data");
  const syncer = new Syncer({
    store,
    repo: remoteRepo ? remoteRepo(remote) : remote.bare,
    branch: "main",
    dataDir,
  });
  return { remote, store, syncer, dataDir };
}

async function activeNames(store: Store): Promise<string[]> {
  return (await store.activeWorkflows()).map((a) => a.workflow).sort();
}

function where(errors: unknown[] | null): string[] {
  return ((errors ?? []) as Diagnostic[]).map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`);
}

describe("Syncer deploys commits atomically", () => {
  it("deploys a good commit with its author, message and time in the history", async () => {
    const { remote, store, syncer } = setup();
    const sha = remote.commit({ "workflows/hello.yaml": goodWorkflow("hello") }, "add hello");
    const result = await syncer.syncOnce();
    expect(result).toMatchObject({ outcome: "deployed", commit: sha });
    const [active] = await store.activeWorkflows();
    expect(active?.workflow).toBe("hello");
    expect(active?.version.commit).toBe(sha);
    expect(active?.version.source).toBe(goodWorkflow("hello"));
    expect(active?.version.plan.file).toBe("workflows/hello.yaml");
    const [d] = await store.listDeployments();
    expect(d).toMatchObject({ commit: sha, author: "T <t@e>", message: "add hello", result: "deployed" });
    expect(d?.workflows).toEqual(["hello"]);
    expect(Math.abs((d?.committedAt ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(syncer.status).toMatchObject({ head: sha, consecutiveFailures: 0 });
  });

  it("records a commit once: later polls of the same head write nothing", async () => {
    const { remote, store, syncer } = setup();
    const sha = remote.commit({ "workflows/hello.yaml": goodWorkflow("hello") });
    await syncer.syncOnce();
    expect(await syncer.syncOnce()).toEqual({ outcome: "unchanged", commit: sha });
    expect(await syncer.syncOnce()).toEqual({ outcome: "unchanged", commit: sha });
    expect(await store.listDeployments()).toHaveLength(1);

    // A restarted process reads the last recorded commit from the store.
    const again = new Syncer({
      store,
      repo: remote.bare,
      branch: "main",
      dataDir: join(remote.root, "data"),
    });
    expect(await again.syncOnce()).toEqual({ outcome: "unchanged", commit: sha });
    expect(await store.listDeployments()).toHaveLength(1);
  });

  const BAD: Array<[what: string, source: string, expected: string]> = [
    [
      "a schema error",
      "name: broken\nsteps:\n  say:\n    uses: log\n    wiht: { message: hi }\n",
      "workflows/broken.yaml:5:5 WEFT_SPEC_UNKNOWN_KEY",
    ],
    [
      "a cycle",
      "name: broken\nsteps:\n  a:\n    uses: log\n    needs: [b]\n    with: { message: hi }\n  b:\n    uses: log\n    needs: [a]\n    with: { message: hi }\n",
      "workflows/broken.yaml:3:3 WEFT_COMPILE_CYCLE",
    ],
    [
      "an unknown step reference",
      'name: broken\nsteps:\n  a:\n    uses: log\n    with: { message: "{{ steps.nope.output }}" }\n',
      "workflows/broken.yaml:5:",
    ],
  ];

  it("refuses commits with a schema error, a cycle or an unknown reference, keeps the last good version, then deploys the next good commit", async () => {
    const { remote, store, syncer } = setup();
    const good = remote.commit({ "workflows/hello.yaml": goodWorkflow("hello") });
    await syncer.syncOnce();
    const before = await store.activeWorkflows();

    for (const [what, bad, expected] of BAD) {
      const badSha = remote.commit(
        { "workflows/hello.yaml": goodWorkflow("hello", "changed"), "workflows/broken.yaml": bad },
        `break it with ${what}`,
      );
      const result = await syncer.syncOnce();
      expect(result).toMatchObject({ outcome: "failed", commit: badSha });
      const [failed] = await store.listDeployments();
      expect(failed).toMatchObject({ commit: badSha, result: "failed", message: `break it with ${what}` });
      const errors = where(failed?.errors ?? null);
      expect(
        errors.some((e) => e.startsWith(expected)),
        `${what}: ${errors.join(", ")}`,
      ).toBe(true);
      for (const e of (failed?.errors ?? []) as Diagnostic[]) expect(e.severity).toBe("error");
      // Nothing of the bad commit is active, not even its valid change to hello.yaml.
      expect(await store.activeWorkflows()).toEqual(before);
      expect((await store.activeWorkflows())[0]?.version.commit).toBe(good);
      // The failed head is not recorded again on the next poll.
      expect(await syncer.syncOnce()).toMatchObject({ outcome: "unchanged", commit: badSha });
    }
    expect((await store.listDeployments()).map((d) => d.result)).toEqual([
      "failed",
      "failed",
      "failed",
      "deployed",
    ]);

    const fixed = remote.commit({ "workflows/broken.yaml": null }, "fix it");
    expect(await syncer.syncOnce()).toMatchObject({ outcome: "deployed", commit: fixed });
    const [active] = await store.activeWorkflows();
    expect(active?.version.commit).toBe(fixed);
    expect(active?.version.source).toContain("changed");
  });

  it("refuses two files that declare the same workflow name", async () => {
    const { remote, store, syncer } = setup();
    remote.commit({ "workflows/a.yaml": goodWorkflow("same"), "workflows/b.yaml": goodWorkflow("same") });
    expect(await syncer.syncOnce()).toMatchObject({ outcome: "failed" });
    const [d] = await store.listDeployments();
    expect(where(d?.errors ?? null)).toEqual(["workflows/b.yaml:1:7 WEFT_COMPILE_DUPLICATE_NAME"]);
    expect(await store.activeWorkflows()).toEqual([]);
  });

  it("drops a workflow whose file was removed and keeps the others", async () => {
    const { remote, store, syncer } = setup();
    remote.commit({ "workflows/a.yaml": goodWorkflow("a"), "workflows/b.yml": goodWorkflow("b") });
    await syncer.syncOnce();
    expect(await activeNames(store)).toEqual(["a", "b"]);
    remote.commit({ "workflows/b.yml": null }, "remove b");
    expect(await syncer.syncOnce()).toMatchObject({ outcome: "deployed" });
    expect(await activeNames(store)).toEqual(["a"]);
  });

  it("deploys an empty set when every workflow is removed, with a warning in the record", async () => {
    const { remote, store, syncer } = setup();
    remote.commit({ "workflows/a.yaml": goodWorkflow("a"), "README.md": "hi\n" });
    await syncer.syncOnce();
    remote.commit({ "workflows/a.yaml": null }, "remove all");
    expect(await syncer.syncOnce()).toMatchObject({ outcome: "deployed" });
    expect(await store.activeWorkflows()).toEqual([]);
    const [d] = await store.listDeployments();
    expect(d?.workflows).toEqual([]);
    expect(d?.errors).toEqual([
      expect.objectContaining({ code: "WEFT_SYNC_NO_WORKFLOWS", severity: "warning" }),
    ]);
  });

  it("deploys a commit that changes no workflow file as new versions pinned to that commit", async () => {
    const { remote, store, syncer } = setup();
    remote.commit({ "workflows/a.yaml": goodWorkflow("a") });
    await syncer.syncOnce();
    const [before] = await store.activeWorkflows();
    const docs = remote.commit({ "scripts/post.sh": "echo changed\n" }, "script only");
    const result = await syncer.syncOnce();
    expect(result).toMatchObject({ outcome: "deployed", commit: docs });
    const [after] = await store.activeWorkflows();
    expect(after!.version.commit).toBe(docs);
    expect(after!.version.id).not.toBe(before!.version.id);
    expect(after!.version.plan.hash).toBe(before!.version.plan.hash);
    expect((await store.listDeployments()).map((d) => d.result)).toEqual(["deployed", "deployed"]);
  });

  it("exports each deployed commit's files as the runs' workspace", async () => {
    const { remote, syncer, dataDir } = setup();
    const sha = remote.commit({ "workflows/a.yaml": goodWorkflow("a"), "scripts/hi.sh": "echo hi\n" });
    await syncer.syncOnce();
    const dir = checkoutPath(dataDir, sha);
    expect(readFileSync(join(dir, "scripts", "hi.sh"), "utf8")).toBe("echo hi\n");
    expect(readFileSync(join(dir, "workflows", "a.yaml"), "utf8")).toBe(goodWorkflow("a"));
  });

  it("reads only the workflows folder: sub-folders, test fixtures and other files are ignored", async () => {
    const { remote, store, syncer } = setup();
    remote.commit({
      "workflows/a.yaml": goodWorkflow("a"),
      "workflows/a.test.yaml": "not: a workflow\n",
      "workflows/nested/b.yaml": "this is not even yaml: [\n",
      "other/c.yaml": goodWorkflow("c"),
    });
    expect(await syncer.syncOnce()).toMatchObject({ outcome: "deployed" });
    expect(await activeNames(store)).toEqual(["a"]);
  });

  it("reads committed objects, not the working tree: uncommitted edits are ignored", async () => {
    const { remote, store, syncer } = setup((r) => r.work);
    const sha = remote.commit({ "workflows/a.yaml": goodWorkflow("a") });
    writeFileSync(join(remote.work, "workflows", "a.yaml"), "name: a\nsteps: [broken\n");
    writeFileSync(join(remote.work, "workflows", "extra.yaml"), goodWorkflow("extra"));
    expect(await syncer.syncOnce()).toMatchObject({ outcome: "deployed", commit: sha });
    const active = await store.activeWorkflows();
    expect(active.map((a) => [a.workflow, a.version.source])).toEqual([["a", goodWorkflow("a")]]);
  });

  it("refuses symlinked, oversized and non-UTF-8 workflow files without following or reading them", async () => {
    const { remote, store, syncer } = setup();
    remote.commit({
      "other/c.yaml": goodWorkflow("c"),
      "workflows/big.yaml": `# ${"x".repeat(1024 * 1024)}\n`,
    });
    symlinkSync("../other/c.yaml", join(remote.work, "workflows", "link.yaml"));
    writeFileSync(
      join(remote.work, "workflows", "latin1.yaml"),
      Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]),
    );
    remote.commit({}, "add odd files");
    expect(await syncer.syncOnce()).toMatchObject({ outcome: "failed" });
    const [d] = await store.listDeployments();
    const errors = (d?.errors ?? []) as Diagnostic[];
    expect(errors.map((e) => `${e.file} ${e.code}`)).toEqual([
      "workflows/big.yaml WEFT_SPEC_FILE_TOO_LARGE",
      "workflows/latin1.yaml WEFT_SPEC_FILE_ENCODING",
      "workflows/link.yaml WEFT_SPEC_FILE_UNREADABLE",
    ]);
    expect(errors[2]?.message).toMatch(/symbolic link/);
  });

  it("fails a commit whose step types cannot be loaded, with the reason", async () => {
    const remote = makeRemote();
    const store = remote.store();
    stores.push(store);
    const syncer = new Syncer({
      store,
      repo: remote.bare,
      branch: "main",
      dataDir: join(tempDir(), "data"),
      typesFor: async () => {
        throw new Error("plugins/slack/index.js does not export a step type");
      },
    });
    remote.commit({ "workflows/a.yaml": goodWorkflow("a") });
    expect(await syncer.syncOnce()).toMatchObject({ outcome: "failed" });
    const [d] = await store.listDeployments();
    expect(d?.errors).toEqual([
      expect.objectContaining({
        code: "WEFT_SYNC_PLUGINS",
        message: expect.stringContaining("plugins/slack"),
      }),
    ]);
  });

  it("prunes exported commits after a deploy, keeping active, unfinished runs' and recent ones", async () => {
    const { remote, store, syncer, dataDir } = setup();
    const shas: string[] = [];
    for (let i = 0; i < 6; i++) {
      shas.push(remote.commit({ "workflows/hello.yaml": goodWorkflow("hello", `v${i}`) }, `v${i}`));
      expect((await syncer.syncOnce()).outcome).toBe("deployed");
      if (i === 0) {
        // A run pinned to the first commit is still going: its files must stay.
        const [active] = await store.activeWorkflows();
        await store.createRun({
          id: "old-run",
          workflow: "hello",
          versionId: active!.version.id,
          status: "running",
          inputs: {},
          trigger: { kind: "manual" },
          steps: [{ stepId: "say", status: "queued", depsRemaining: 0 }],
        });
      }
    }
    const kept = (sha: string) => existsSync(checkoutPath(dataDir, sha));
    // shas[5] is active; shas[3..5] are the last three deploys; shas[0] has an unfinished run.
    expect(shas.map(kept)).toEqual([true, false, false, true, true, true]);

    // Once that run is over, the next deploy lets its commit go.
    await store.commit([{ type: "runStatus", runId: "old-run", status: "cancelled", from: ["running"] }]);
    shas.push(remote.commit({ "workflows/hello.yaml": goodWorkflow("hello", "v6") }, "v6"));
    expect((await syncer.syncOnce()).outcome).toBe("deployed");
    expect(shas.map(kept)).toEqual([false, false, false, false, true, true, true]);
  });
});
