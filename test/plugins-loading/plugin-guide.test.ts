import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../cli/helpers.js";

const GUIDE = readFileSync(join(ROOT, "docs", "plugins.md"), "utf8");
const EXAMPLE = join(ROOT, "examples", "acme-greet");

/** Each `<!-- example: PATH -->` marker and the fenced block right after it. */
function markedBlocks(): Array<{ path: string; code: string }> {
  const re = /<!-- example: (\S+) -->\n```\w*\n([\s\S]*?)```/g;
  return [...GUIDE.matchAll(re)].map((m) => ({ path: m[1]!, code: m[2]! }));
}

describe("docs/plugins.md", () => {
  it("takes every marked code block verbatim from examples/acme-greet", () => {
    const blocks = markedBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const { path, code } of blocks) {
      const file = readFileSync(join(EXAMPLE, path), "utf8");
      expect(file.includes(code), `${path} should contain:\n${code}`).toBe(true);
    }
  });

  it("marks every TypeScript and JavaScript block, so none can drift from the example", () => {
    const all = [...GUIDE.matchAll(/(<!-- example: \S+ -->\n)?```(ts|js)\n/g)];
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((m) => m[1] === undefined)).toEqual([]);
  });

  it("the example imports only the public entries weft/plugin and weft/testing", () => {
    for (const path of ["src/index.ts", "src/greet.ts", "test/greet.test.ts"]) {
      const text = readFileSync(join(EXAMPLE, path), "utf8");
      const weftImports = [...text.matchAll(/from "(weft[^"]*|\.\.\/\.\.\/[^"]*)"/g)].map((m) => m[1]);
      for (const spec of weftImports)
        expect(["weft/plugin", "weft/testing"], `${path}: ${spec}`).toContain(spec);
    }
  });
});
