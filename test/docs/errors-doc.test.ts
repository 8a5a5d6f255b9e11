/** docs/errors.md lists every coded error; it is generated and must not drift. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import "../../src/cli/commands/run.js";
import "../../src/server/service.js";
import "../../src/cli/commands/plan.js";
import "../../src/cli/commands/check.js";
import "../../src/cli/commands/test.js";
import "../../src/testing/index.js";
import { registeredErrors } from "../../src/errors.js";

const ROOT = join(import.meta.dirname, "..", "..");

describe("docs/errors.md", () => {
  it("matches the generator", () => {
    execFileSync(process.execPath, [join(ROOT, "scripts", "gen-errors.mjs"), "--check"], { cwd: ROOT });
  });

  it("lists every error code registered at run time", () => {
    const doc = readFileSync(join(ROOT, "docs", "errors.md"), "utf8");
    const codes = registeredErrors().map((e) => e.code);
    expect(codes.length).toBeGreaterThan(100);
    expect(codes.filter((c) => !doc.includes(`\`${c}\``))).toEqual([]);
  });
});
