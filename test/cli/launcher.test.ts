/**
 * bin/weft.js as a shell runs it: through its shebang (with the V8 flags Weft is tuned
 * for), and into a pipe whose reader leaves early.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, WEFT } from "./helpers.js";

function shebangFlags(): string[] {
  const first = readFileSync(WEFT, "utf8").split("\n", 1)[0] ?? "";
  const m = /^#!\/usr\/bin\/env -S node(?<flags>( --[\w-]+(=\S+)?)*)$/.exec(first);
  if (!m) throw new Error(`unexpected shebang in bin/weft.js: ${first}`);
  return m.groups!.flags!.trim().split(/\s+/).filter(Boolean);
}

describe("the weft launcher", () => {
  it("runs directly through its shebang, with V8 flags that npm start uses too", () => {
    const flags = shebangFlags();
    expect(flags).toEqual(["--v8-pool-size=1"]);
    const r = spawnSync(WEFT, ["--version"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.scripts.start).toBe(`node ${flags.join(" ")} bin/weft.js serve`);
  });

  it("stops quietly when the reader of its output goes away (weft … | head)", async () => {
    // The read end is closed before the CLI writes: its first write fails with EPIPE.
    const child = spawn(process.execPath, [WEFT, "schema"], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
