import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  assertSafeBind,
  isConfigError,
  isLoopback,
  loadConfig,
  redactConfig,
  type WeftConfig,
} from "../../src/config/index.js";

function dir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), "weft-config-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, ".."), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

function errorOf(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error("expected an error");
}

const TOKEN = "tok-0123456789abcdef";

describe("loadConfig: layers and defaults", () => {
  it("uses the defaults when nothing is set: this directory as the repo, .weft/weft.db, loopback:8080", () => {
    const cwd = dir();
    const { config, sources, file } = loadConfig({ cwd, env: {} });
    expect(file).toBeNull();
    expect(config).toEqual({
      repo: cwd,
      branch: "main",
      pollMs: 30_000,
      store: join(cwd, ".weft", "weft.db"),
      dataDir: join(cwd, ".weft"),
      host: "127.0.0.1",
      port: 8080,
      apiTokens: [],
      plugins: [],
      logLevel: "info",
      shutdownGraceMs: 30_000,
      catchupMax: 100,
    });
    expect(new Set(Object.values(sources))).toEqual(new Set(["default"]));
  });

  it("defaults the branch to the one checked out in the local repository", () => {
    const cwd = dir({ ".git/HEAD": "ref: refs/heads/release-2\n" });
    expect(loadConfig({ cwd, env: {} }).config.branch).toBe("release-2");
    const detached = dir({ ".git/HEAD": "3f1c0a9e4b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e\n" });
    expect(loadConfig({ cwd: detached, env: {} }).config.branch).toBe("main");
  });

  it("flags beat WEFT_* variables, which beat the file, which beats the defaults", () => {
    const cwd = dir({
      "weft.config.yaml":
        "repo: https://example.com/a.git\nbranch: from-file\nport: 9000\npoll: 1m\nhost: 127.0.0.2\n",
    });
    const { config, sources, file } = loadConfig({
      cwd,
      env: { WEFT_BRANCH: "from-env", WEFT_PORT: "9100", WEFT_POLL: "2m" },
      flags: { port: "9200" },
    });
    expect(file).toBe(join(cwd, "weft.config.yaml"));
    expect(config).toMatchObject({
      repo: "https://example.com/a.git",
      branch: "from-env",
      port: 9200,
      pollMs: 120_000,
      host: "127.0.0.2",
      logLevel: "info",
    });
    expect(sources).toMatchObject({
      repo: "file",
      branch: "env",
      port: "flag",
      pollMs: "env",
      host: "file",
      logLevel: "default",
    });
  });

  it("reads WEFT_API_TOKEN as one token or a comma-separated list", () => {
    const cwd = dir();
    expect(loadConfig({ cwd, env: { WEFT_API_TOKEN: TOKEN } }).config.apiTokens).toEqual([TOKEN]);
    const two = loadConfig({ cwd, env: { WEFT_API_TOKEN: ` ${TOKEN}, ${TOKEN}-2 ,` } });
    expect(two.config.apiTokens).toEqual([TOKEN, `${TOKEN}-2`]);
    expect(two.sources.apiTokens).toBe("env");
  });

  it("resolves file paths against the file's folder and flag paths against cwd; keeps remotes as written", () => {
    const cwd = dir({ "conf/serve.yaml": "dataDir: state\nrepo: ../checkout\n" });
    const { config } = loadConfig({
      cwd,
      env: { WEFT_CONFIG: "conf/serve.yaml" },
      flags: { store: "db/w.db" },
    });
    expect(config.dataDir).toBe(join(cwd, "conf", "state"));
    expect(config.repo).toBe(join(cwd, "checkout"));
    expect(config.store).toBe(join(cwd, "db", "w.db"));
    const remote = loadConfig({
      cwd,
      env: {},
      flags: { repo: "git@github.com:acme/flows.git", dataDir: "d" },
    });
    expect(remote.config.repo).toBe("git@github.com:acme/flows.git");
    expect(remote.config.store).toBe(join(cwd, "d", "weft.db"));
  });

  it("--config beats WEFT_CONFIG, and a named file that does not exist is an error", () => {
    const cwd = dir({ "a.yaml": "port: 1111\n", "b.yaml": "port: 2222\n" });
    expect(loadConfig({ cwd, env: { WEFT_CONFIG: "b.yaml" }, flags: { config: "a.yaml" } }).config.port).toBe(
      1111,
    );
    const err = errorOf(() => loadConfig({ cwd, env: { WEFT_CONFIG: "missing.yaml" } }));
    expect(err.code).toBe("WEFT_CONFIG_NOT_FOUND");
    expect(err.message).toMatch(/missing\.yaml \(from WEFT_CONFIG\) does not exist/);
  });

  it("treats a file of comments only as empty", () => {
    const cwd = dir({ "weft.config.yaml": "# nothing yet\n\n" });
    expect(loadConfig({ cwd, env: {} }).config.port).toBe(8080);
  });
});

describe("loadConfig: validation", () => {
  it("reports every file problem with file:line:col, and env/flag problems by name", () => {
    const cwd = dir({
      "weft.config.yaml": "repo: ./r\nprot: 9090\nport: high\npoll: 30x\nlogLevel: verbose\n",
    });
    const err = errorOf(() => loadConfig({ cwd, env: { WEFT_PORT: "x1" }, flags: { grace: "soon" } }));
    expect(err.code).toBe("WEFT_CONFIG_INVALID");
    expect(isConfigError(err)).toBe(true);
    const file = join(cwd, "weft.config.yaml");
    const diags = isConfigError(err) ? err.diagnostics : [];
    expect(diags.map((d) => `${d.line}:${d.col} ${d.path}`)).toEqual([
      "2:1 prot",
      "3:7 port",
      "4:7 poll",
      "5:11 logLevel",
    ]);
    expect(err.message).toContain(
      `${file}:2:1 error WEFT_SPEC_UNKNOWN_KEY unknown key \`prot\` at the top level; did you mean \`port\`?`,
    );
    expect(err.message).toContain(`${file}:3:7`);
    expect(err.message).toMatch(/`logLevel` must be one of .*got the string "verbose"/);
    expect(err.message).toContain('WEFT_PORT must be a whole number, got the string "x1"');
    expect(err.message).toContain("--grace must be a duration such as 30s");
    // Text output carries a code frame pointing into the file.
    expect(err.message).toContain("> 2 | prot: 9090");
  });

  it("reports YAML syntax errors with their position", () => {
    const cwd = dir({ "weft.config.yaml": "port: 8080\nhost: [127.0.0.1\n" });
    const err = errorOf(() => loadConfig({ cwd, env: {} }));
    expect(err.code).toBe("WEFT_CONFIG_INVALID");
    expect(isConfigError(err) && err.diagnostics[0]?.line).toBe(2);
  });

  it("never quotes an API token in an error, not even in a code frame", () => {
    const cwd = dir({ "weft.config.yaml": "apiTokens: [sh0rt-t0ken]\n" });
    const err = errorOf(() => loadConfig({ cwd, env: {} }));
    expect(err.message).toMatch(/apiTokens\[0\]` must be at least 16 printable characters/);
    expect(err.message).not.toContain("sh0rt-t0ken");
    const fromEnv = errorOf(() => loadConfig({ cwd: dir(), env: { WEFT_API_TOKEN: "has space in it, x" } }));
    expect(fromEnv.message).toContain("WEFT_API_TOKEN (item 1) must be at least 16");
    expect(fromEnv.message).not.toContain("has space");
  });

  it("refuses a poll interval under one second and a repo or branch that looks like an option", () => {
    expect(errorOf(() => loadConfig({ cwd: dir(), env: { WEFT_POLL: "500ms" } })).message).toContain(
      "WEFT_POLL must be at least 1s",
    );
    expect(
      errorOf(() => loadConfig({ cwd: dir(), env: {}, flags: { repo: "--upload-pack=x" } })).message,
    ).toContain("--repo has an invalid value");
    expect(errorOf(() => loadConfig({ cwd: dir(), env: { WEFT_BRANCH: "-b" } })).message).toContain(
      "WEFT_BRANCH",
    );
  });
});

describe("redaction and safe binding", () => {
  const base = (over: Partial<WeftConfig>): WeftConfig => ({
    ...loadConfig({ cwd: dir(), env: {} }).config,
    ...over,
  });

  it("redactConfig masks tokens and credentials in URLs, and leaves the rest", () => {
    const config = base({
      apiTokens: [TOKEN, `${TOKEN}-2`],
      repo: "https://user:hunter2-secret@example.com/a.git",
      store: "postgres://weft:pg-secret@db/weft",
    });
    const shown = redactConfig(config);
    expect(shown.apiTokens).toEqual(["***", "***"]);
    expect(shown.repo).toBe("https://user:***@example.com/a.git");
    expect(shown.store).toBe("postgres://weft:***@db/weft");
    expect(JSON.stringify(shown)).not.toMatch(/hunter2|pg-secret|tok-0123/);
    expect(shown.port).toBe(config.port);
    expect(config.apiTokens).toEqual([TOKEN, `${TOKEN}-2`]); // the original is untouched
    expect(redactConfig(base({ repo: "https://ghp_abcdef123456@github.com/a/b.git" })).repo).toBe(
      "https://***@github.com/a/b.git",
    );
  });

  it("refuses a non-loopback host without a token, naming how to set one", () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "example.com"]) {
      const err = errorOf(() => assertSafeBind({ host, apiTokens: [] }));
      expect(err.code).toBe("WEFT_CONFIG_TOKEN_REQUIRED");
      expect(err.message).toContain("WEFT_API_TOKEN");
      expect(() => assertSafeBind({ host, apiTokens: [TOKEN] })).not.toThrow();
    }
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) {
      expect(isLoopback(host)).toBe(true);
      expect(() => assertSafeBind({ host, apiTokens: [] })).not.toThrow();
    }
  });
});
