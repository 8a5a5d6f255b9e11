import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

describe("docs/workflow-reference.md", () => {
  it("matches what scripts/gen-reference.mjs generates from the schema (run `npm run docs` to update)", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "gen-reference.mjs"), "--check"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
