import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import shell from "../../plugins/shell/index.js";
import type { ShellInput } from "../../plugins/shell/schema.js";
import { makeContext } from "./context.js";

const run = (input: ShellInput, workspace?: string) => shell.run(makeContext(input, { workspace }).ctx);

/** Alive means a real process, not a zombie waiting for a reaper. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return stat !== "" && !stat.startsWith("Z");
  } catch {
    return false;
  }
}

describe("shell step", () => {
  it("runs an argv command without a shell", async () => {
    const out = await run({
      command: ["node", "-e", "console.log(process.argv.slice(1).join('|'))", "a b", "$HOME"],
    });
    expect(out).toEqual({ exitCode: 0, stdout: "a b|$HOME\n", stderr: "", truncated: false });
  });

  it("passes env and args to a literal script and sets the WEFT_ variables", async () => {
    const { ctx } = makeContext<ShellInput>({
      script: 'printf "%s|%s|%s|%s|%s" "$TOTAL" "$1" "$#" "$WEFT_IDEMPOTENCY_KEY" "$WEFT_ATTEMPT"',
      args: ["first", "second"],
      env: { TOTAL: "42" },
    });
    const out = await shell.run(ctx);
    expect(out.stdout).toBe("42|first|2|run-1:step-a|1");
  });

  it("keeps an injection attempt inert when it arrives through env or args", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-shell-"));
    const evil = `"; touch ${join(dir, "pwned")}; #`;
    const out = await run({
      script: 'printf "%s\\n" "$PAYLOAD"; printf "%s\\n" "$#"; printf "%s\\n" "$1"',
      args: [evil],
      env: { PAYLOAD: evil },
      parseJson: false,
    });
    expect(out.stdout).toBe(`${evil}\n1\n${evil}\n`);
    expect(() => readFileSync(join(dir, "pwned"))).toThrow();
  });

  it("does not leak the engine's environment (secrets) unless passed", async () => {
    process.env.WEFT_SECRET_TOKEN = "s3cret";
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not JS
      const out = await run({ script: 'printf "%s" "${WEFT_SECRET_TOKEN:-unset}"' });
      expect(out.stdout).toBe("unset");
    } finally {
      delete process.env.WEFT_SECRET_TOKEN;
    }
  });

  it("parses JSON stdout and writes stdin", async () => {
    const out = await run({
      command: ["node", "-e", "process.stdin.pipe(process.stdout)"],
      input: '{"n":3}',
      parseJson: true,
    });
    expect(out.json).toEqual({ n: 3 });
  });

  it("fails retryably on a non-zero exit, quoting the end of stderr", async () => {
    await expect(run({ script: "echo first >&2; echo 'disk full' >&2; exit 3" })).rejects.toMatchObject({
      message: expect.stringMatching(/exited with code 3.*disk full/s),
    });
    const err = await run({ script: "exit 3" }).catch((e: unknown) => e);
    expect((err as { retryable?: boolean }).retryable).toBeUndefined();
  });

  it("fails non-retryably when the program is not found (127 or ENOENT)", async () => {
    await expect(run({ script: "no-such-program-xyz" })).rejects.toMatchObject({
      retryable: false,
      message: /127/,
    });
    await expect(run({ command: ["no-such-program-xyz"] })).rejects.toMatchObject({
      retryable: false,
      message: /command not found/,
    });
  });

  it("refuses cwd traversal, absolute paths outside and escaping symlinks", async () => {
    const ws = mkdtempSync(join(tmpdir(), "weft-ws-"));
    mkdirSync(join(ws, "sub"));
    symlinkSync(tmpdir(), join(ws, "escape"));
    for (const cwd of ["..", "../..", "/etc", "escape", "sub/../..", "a\0b"]) {
      await expect(run({ command: ["pwd"], cwd }, ws)).rejects.toMatchObject({
        retryable: false,
        code: "WEFT_SHELL_CWD_REFUSED",
      });
    }
    const out = await run({ command: ["pwd"], cwd: "sub" }, ws);
    expect(out.stdout.trim().endsWith("/sub")).toBe(true);
  });

  it("keeps the head of a 20 MB output and flags it truncated", async () => {
    const start = process.memoryUsage().rss;
    const out = await run({ script: "head -c 20000000 /dev/zero | tr '\\0' x", maxOutputBytes: 1000 });
    expect(out.stdout).toBe("x".repeat(1000));
    expect(out.truncated).toBe(true);
    expect(process.memoryUsage().rss - start).toBeLessThan(100 * 1024 * 1024);
  });

  it("kills the whole process group on timeout, leaving no background child", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-shell-"));
    const pidFile = join(dir, "pid");
    const started = Date.now();
    await expect(run({ script: `sleep 100 & echo $! > ${pidFile}; wait`, timeout: "300ms" })).rejects.toThrow(
      /timed out after 300ms/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    const pid = Number(readFileSync(pidFile, "utf8"));
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(false);
  });

  it("stops promptly on abort and ends background children that outlive the script", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-shell-"));
    const pidFile = join(dir, "pid");
    const { ctx, controller } = makeContext<ShellInput>({
      script: `sleep 100 & echo $! > ${pidFile}; sleep 100`,
    });
    const pending = shell.run(ctx);
    setTimeout(() => controller.abort(new Error("cancelled by test")), 200);
    await expect(pending).rejects.toThrow("cancelled by test");
    expect(isAlive(Number(readFileSync(pidFile, "utf8")))).toBe(false);

    writeFileSync(pidFile, "");
    const out = await run({ script: `sleep 100 & echo $! > ${pidFile}; echo done` });
    expect(out.stdout).toBe("done\n");
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(Number(readFileSync(pidFile, "utf8")))).toBe(false);
  });

  it("streams output lines to the step log and describes a dry run", async () => {
    const { ctx, logs } = makeContext<ShellInput>({ script: "echo one; echo two >&2" });
    await shell.run(ctx);
    expect(logs).toEqual([
      { level: "info", message: "one" },
      { level: "warn", message: "two" },
    ]);
    expect(
      shell.dryRun?.({ input: { command: ["./post.sh"], env: { TOTAL: "1" } }, step: { id: "s" } }),
    ).toBe('would run: ["./post.sh"] in . with env TOTAL');
  });
});
