import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { WeftError } from "../../src/errors.js";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import { GitMirror } from "../../src/sync/mirror.js";
import { Syncer } from "../../src/sync/syncer.js";
import { goodWorkflow, makeRemote, tempDir } from "./helpers.js";

const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as WeftError).code;
  }
  return undefined;
}

describe("Syncer refuses repository specs and branches that git would execute or parse as options", () => {
  it("refuses ext::, fd:: and option-looking URLs before running anything", () => {
    const dir = tempDir();
    const marker = join(dir, "pwned");
    const store = new SqliteStore(join(dir, "weft.db"));
    stores.push(store);
    const attempts = [
      `ext::sh -c touch% ${marker}`,
      `ext::sh -c "touch ${marker}"`,
      "fd::3",
      `--upload-pack=touch ${marker}`,
      `-u touch ${marker}`,
      `ssh://-oProxyCommand=touch%20${marker}/x`,
      `-oProxyCommand=touch ${marker}:x`,
      "http://example.com/repo.git",
      "git://example.com/repo.git",
      "https://example.com/repo\n.git",
    ];
    for (const repo of attempts) {
      const code = codeOf(() => new Syncer({ store, repo, branch: "main", dataDir: join(dir, "data") }));
      expect({ repo, code }).toEqual({ repo, code: "WEFT_SYNC_BAD_REMOTE" });
    }
    expect(existsSync(marker)).toBe(false);
    // Nothing was even initialised: refusal happens before git runs.
    expect(existsSync(join(dir, "data"))).toBe(false);
  });

  it("refuses branch names that are options or not branch names", () => {
    const remote = makeRemote();
    const store = remote.store();
    stores.push(store);
    for (const branch of [
      "--config=core.sshCommand=touch /tmp/x",
      "-x",
      "--upload-pack=touch",
      "a..b",
      "main.lock",
      "x y",
      "a:b",
      "",
    ]) {
      const code = codeOf(
        () => new Syncer({ store, repo: remote.bare, branch, dataDir: join(remote.root, "d") }),
      );
      expect({ branch, code }).toEqual({ branch, code: "WEFT_SYNC_BAD_BRANCH" });
    }
  });

  it("refuses a workflows folder outside the repository", () => {
    const remote = makeRemote();
    const store = remote.store();
    stores.push(store);
    for (const workflowsDir of ["../elsewhere", "/etc", "--output=x", ":(glob)**"]) {
      const code = codeOf(
        () =>
          new Syncer({
            store,
            repo: remote.bare,
            branch: "main",
            workflowsDir,
            dataDir: join(remote.root, "d"),
          }),
      );
      expect({ workflowsDir, code }).toEqual({ workflowsDir, code: "WEFT_SYNC_BAD_WORKFLOWS_DIR" });
    }
  });

  it("git refuses ext:: and options even when the spec check is bypassed and the user's config allows ext", async () => {
    const dir = tempDir();
    const marker = join(dir, "pwned");
    // A global config that would let plain git run ext:: commands.
    writeFileSync(join(dir, ".gitconfig"), '[protocol "ext"]\n\tallow = always\n');
    const home = process.env.HOME;
    process.env.HOME = dir;
    try {
      const mirror = new GitMirror(join(dir, "repo.git"));
      const ext = { kind: "https" as const, url: `ext::sh -c touch% ${marker}`, display: "ext" };
      await expect(mirror.fetch(ext, "main")).rejects.toMatchObject({
        code: "WEFT_SYNC_FETCH_FAILED",
        message: expect.stringContaining("not allowed"),
      });
      const opt = { kind: "https" as const, url: `--upload-pack=touch ${marker}`, display: "opt" };
      await expect(mirror.fetch(opt, "main")).rejects.toMatchObject({ code: "WEFT_SYNC_FETCH_FAILED" });
    } finally {
      process.env.HOME = home;
    }
    expect(existsSync(marker)).toBe(false);
  });

  it("still syncs from a valid remote after refusing bad ones", async () => {
    const remote = makeRemote();
    const store = remote.store();
    stores.push(store);
    const sha = remote.commit({ "workflows/a.yaml": goodWorkflow("a") });
    const syncer = new Syncer({
      store,
      repo: `file://${remote.bare}`,
      branch: "main",
      dataDir: join(remote.root, "d"),
    });
    expect(await syncer.syncOnce()).toMatchObject({ outcome: "deployed", commit: sha });
  });
});
