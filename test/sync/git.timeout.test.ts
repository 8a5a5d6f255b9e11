import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitEnv } from "../../src/sync/git.js";
import { GitMirror } from "../../src/sync/mirror.js";
import { parseRemote } from "../../src/sync/remote.js";
import { tempDir } from "./helpers.js";

describe("git commands", () => {
  it("a fetch that hangs is stopped at its timeout, together with the ssh it started", async () => {
    const dir = tempDir();
    const marker = join(dir, "ssh-still-ran");
    // A stand-in for ssh to a host that never answers.
    const fakeSsh = join(dir, "slow-ssh");
    writeFileSync(fakeSsh, `#!/bin/sh\nsleep 1\ntouch "${marker}"\n`);
    chmodSync(fakeSsh, 0o755);
    const saved = process.env.GIT_SSH_COMMAND;
    process.env.GIT_SSH_COMMAND = fakeSsh;
    try {
      const mirror = new GitMirror(join(dir, "repo.git"), { fetchTimeoutMs: 300 });
      const started = Date.now();
      await expect(
        mirror.fetch(parseRemote("ssh://git@example.invalid/r.git"), "main"),
      ).rejects.toMatchObject({
        code: "WEFT_SYNC_FETCH_FAILED",
        message: expect.stringContaining("did not finish within 300 ms"),
      });
      expect(Date.now() - started).toBeLessThan(900);
    } finally {
      if (saved === undefined) delete process.env.GIT_SSH_COMMAND;
      else process.env.GIT_SSH_COMMAND = saved;
    }
    await new Promise((r) => setTimeout(r, 1300));
    expect(existsSync(marker)).toBe(false);
  });

  it("runs with a hardened environment that ignores a parent git's variables", () => {
    const env = gitEnv({
      PATH: "/bin",
      GIT_DIR: "/elsewhere",
      GIT_CONFIG_PARAMETERS: "'core.sshCommand'='x'",
      GIT_SSH_COMMAND: "ssh -i key",
    });
    expect(env).toMatchObject({
      PATH: "/bin",
      GIT_ALLOW_PROTOCOL: "https:ssh:file",
      GIT_TERMINAL_PROMPT: "0",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_SSH_COMMAND: "ssh -i key",
    });
    expect(env.GIT_DIR).toBeUndefined();
    expect(env.GIT_CONFIG_PARAMETERS).toBeUndefined();
  });
});
