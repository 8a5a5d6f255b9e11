import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { WeftError } from "../../src/errors.js";
import { checkBranch, checkWorkflowsDir, findLocalRepository, parseRemote } from "../../src/sync/remote.js";
import { Syncer } from "../../src/sync/syncer.js";
import { git, goodWorkflow, makeRemote, tempDir } from "./helpers.js";

function refusal(fn: () => unknown): { code: string; message: string } | undefined {
  try {
    fn();
  } catch (err) {
    return { code: (err as WeftError).code, message: (err as Error).message };
  }
  return undefined;
}

describe("parseRemote", () => {
  it("accepts https, ssh, scp-like, file and local specs", () => {
    const dir = tempDir();
    expect(parseRemote("https://github.com/acme/flows.git")).toMatchObject({ kind: "https" });
    expect(parseRemote("ssh://git@github.com:22/acme/flows.git")).toMatchObject({ kind: "ssh" });
    expect(parseRemote("git@github.com:acme/flows.git")).toMatchObject({ kind: "ssh" });
    expect(parseRemote("github.com:acme/flows.git")).toMatchObject({ kind: "ssh" });
    expect(parseRemote("file:///srv/git/flows.git")).toMatchObject({
      kind: "file",
      url: "file:///srv/git/flows.git",
    });
    expect(parseRemote(dir)).toEqual({ kind: "local", url: dir, display: dir });
    mkdirSync(join(dir, "repo"));
    expect(parseRemote("./repo", dir)).toMatchObject({ kind: "local", url: join(dir, "repo") });
  });

  it("masks credentials in what it shows but hands the full URL to git", () => {
    const r = parseRemote("https://x-access-token:s3cret@github.com/acme/flows.git");
    expect(r.url).toContain("s3cret");
    expect(r.display).toBe("https://***@github.com/acme/flows.git");
  });

  it.each([
    ["ext::sh -c touch% /tmp/pwned", /remote helpers/],
    ["--upload-pack=touch /tmp/x", /begins with "-"/],
    ["-x", /begins with "-"/],
    ["http://example.com/r.git", /not encrypted/],
    ["ftp://example.com/r.git", /ftp:\/\/ scheme is not allowed/],
    ["ssh://-oProxyCommand=x/r", /not a valid host name/],
    ["-oProxyCommand=x:r", /begins with "-"/],
    ["host:-r", /repository path begins with "-"/],
    ["https://example.com/a\u0007b", /control characters/],
    ["https://exa mple.com/r", /spaces/],
    ["https://example.com", /no repository path/],
    ["file://otherhost/r.git", /local path/],
    ["", /empty/],
  ])("refuses %j", (spec, why) => {
    const r = refusal(() => parseRemote(spec));
    expect(r?.code).toBe("WEFT_SYNC_BAD_REMOTE");
    expect(r?.message).toMatch(why);
    expect(r?.message).toMatch(/Use an https:\/\//);
  });

  it("refuses a local path that does not exist", () => {
    const r = refusal(() => parseRemote("./nope", tempDir()));
    expect(r?.code).toBe("WEFT_SYNC_LOCAL_PATH_MISSING");
  });
});

describe("checkBranch and checkWorkflowsDir", () => {
  it("accepts ordinary branch names", () => {
    for (const b of ["main", "release/2024-06", "feature/x_y.z", "v1.2"]) expect(checkBranch(b)).toBe(b);
  });

  it.each([
    "-x",
    "--config=x",
    "a..b",
    "a@{1}",
    "@",
    "HEAD",
    "x/",
    "/x",
    "a//b",
    "x.",
    ".x",
    "a/.b",
    "x.lock",
    "a b",
    "a~1",
    "a^",
    "a:b",
    "a?",
    "a*",
    "a[",
    "a\\b",
    "refs/heads/main",
    "a\tb",
  ])("refuses branch %j", (b) => {
    expect(refusal(() => checkBranch(b))?.code).toBe("WEFT_SYNC_BAD_BRANCH");
  });

  it("normalises the workflows folder and refuses ones outside the repository", () => {
    expect(checkWorkflowsDir("workflows/")).toBe("workflows");
    expect(checkWorkflowsDir("./ops//flows")).toBe("ops/flows");
    expect(checkWorkflowsDir(".")).toBe("");
    for (const bad of ["..", "../x", "a/../../x", "/abs", "-x", ":(glob)*", "a\\b"]) {
      expect(refusal(() => checkWorkflowsDir(bad))?.code).toBe("WEFT_SYNC_BAD_WORKFLOWS_DIR");
    }
  });
});

describe("findLocalRepository (weft serve without --repo)", () => {
  it("finds the repository and its current branch from a sub-folder, and syncs from its commits", async () => {
    const remote = makeRemote();
    const sha = remote.commit({ "workflows/a.yaml": goodWorkflow("a") });
    git(remote.work, "checkout", "--quiet", "-b", "ops");
    mkdirSync(join(remote.work, "deep", "er"), { recursive: true });
    const found = findLocalRepository(join(remote.work, "deep", "er"));
    expect(found).toEqual({ root: remote.work, branch: "ops" });

    const store = remote.store();
    try {
      const syncer = new Syncer({
        store,
        repo: found.root,
        branch: found.branch ?? "main",
        dataDir: join(remote.root, "data"),
      });
      expect(await syncer.syncOnce()).toMatchObject({ outcome: "deployed", commit: sha });
    } finally {
      await store.close();
    }
  });

  it("says clearly when the folder is not in a Git repository", () => {
    const r = refusal(() => findLocalRepository(tempDir()));
    expect(r?.code).toBe("WEFT_SYNC_NOT_A_REPOSITORY");
    expect(r?.message).toMatch(/pass --repo/);
  });
});
