/**
 * examples/acme-greet as its users get it: Weft packed with `npm pack`, the example built with
 * tsc against that package (public entries only) and its own vitest suite run, the example
 * packed and installed offline into a workflow repository that lists it in weft.config.yaml,
 * then validated, run and tested there through the packed Weft's CLI.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../cli/helpers.js";

const NODE_MODULES = join(ROOT, "node_modules");
let work: string;
let weftTgz: string;

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function pack(dir: string): string {
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
    cwd: dir,
    encoding: "utf8",
  });
  return join(work, (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename);
}

/** Unpacks the Weft tarball as node_modules/weft; its own dependencies come from this checkout. */
function installWeft(project: string): void {
  const target = join(project, "node_modules", "weft");
  mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", weftTgz, "-C", target, "--strip-components=1"]);
  symlinkSync(NODE_MODULES, join(target, "node_modules"), "dir");
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "weft-example-"));
  weftTgz = pack(ROOT);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the example plugin package", () => {
  it("builds and passes its own tests, is packed, installed offline and runs in a workflow", {
    timeout: 180_000,
  }, () => {
    const example = join(work, "acme-greet");
    cpSync(join(ROOT, "examples", "acme-greet"), example, {
      recursive: true,
      filter: (src) => !/(node_modules|dist|\.tgz)$/.test(src),
    });
    installWeft(example);
    for (const dev of ["typescript", "vitest", "@types"]) {
      symlinkSync(join(NODE_MODULES, dev), join(example, "node_modules", dev), "dir");
    }
    const build = run(process.execPath, [join(NODE_MODULES, "typescript", "bin", "tsc"), "-p", "."], example);
    expect(build.out).toBe("");
    expect(build.code).toBe(0);
    const tests = run(process.execPath, [join(NODE_MODULES, "vitest", "vitest.mjs"), "run"], example, {
      CI: "",
    });
    expect(tests.out).toMatch(/Tests\s+6 passed/);
    expect(tests.code).toBe(0);
    const selfTest = run(
      process.execPath,
      [join(example, "node_modules", "weft", "bin", "weft.js"), "test"],
      example,
    );
    expect(selfTest.out).toContain("2 passed, 0 failed");
    expect(selfTest.code).toBe(0);

    const pluginTgz = pack(example);
    const repo = join(work, "repo");
    mkdirSync(join(repo, "workflows"), { recursive: true });
    writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "automation", private: true }));
    // --legacy-peer-deps: the peer (weft) is unpacked below rather than fetched.
    const install = run(
      "npm",
      ["install", "--offline", "--no-audit", "--no-fund", "--legacy-peer-deps", pluginTgz],
      repo,
    );
    expect(install.code, install.out).toBe(0);
    installWeft(repo);
    writeFileSync(join(repo, "weft.config.yaml"), "plugins: [acme-greet]\n");
    cpSync(join(example, "workflows"), join(repo, "workflows"), { recursive: true });
    const weft = (...args: string[]) =>
      run(process.execPath, [join(repo, "node_modules", "weft", "bin", "weft.js"), ...args], repo);

    expect(weft("validate").out).toContain("1 workflow valid");
    const ran = weft(
      "run",
      "workflows/welcome.yaml",
      "--input",
      "name=Ada",
      "--store",
      join(work, "weft.db"),
    );
    expect(ran.code, ran.out).toBe(0);
    expect(readFileSync(join(repo, "greetings.txt"), "utf8")).toMatch(/^\[.+:greet#0\] Welcome, Ada!\n$/);
    const tested = weft("test");
    expect(tested.out).toContain("2 passed, 0 failed");
    expect(weft("schema").out).toContain('"const": "acme/greet"');
  });
});
