/** docs/lints.md and docs/pull-requests.md stay true to the code and to real output. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LINT_RULES } from "../../src/review/lints/index.js";
import { ROOT } from "../cli/helpers.js";
import { GOLDEN } from "./helpers.js";

const SAMPLE = /<!-- sample:([\w.]+) -->\n(`{3,})\w*\n([\s\S]*?)\2\n<!-- \/sample -->/g;

describe("docs", () => {
  it("docs/lints.md lists every lint with its severity and summary, and a section for each", () => {
    const doc = readFileSync(join(ROOT, "docs", "lints.md"), "utf8");
    for (const rule of LINT_RULES) {
      expect(doc).toContain(`| [\`${rule.id}\`](#${rule.id}) | ${rule.severity} | ${rule.summary} |`);
      expect(doc).toContain(`\n## ${rule.id}\n`);
    }
  });

  it("the samples in docs/pull-requests.md are the golden output of the plan tests", () => {
    const path = join(ROOT, "docs", "pull-requests.md");
    const doc = readFileSync(path, "utf8");
    const samples = [...doc.matchAll(SAMPLE)];
    expect(samples.map((m) => m[1])).toEqual(["changes.markdown.golden", "broken.text.golden"]);
    if (process.env.WEFT_UPDATE_GOLDEN === "1") {
      const updated = doc.replace(SAMPLE, (_whole, name: string, fence: string) => {
        const golden = readFileSync(join(GOLDEN, name), "utf8");
        return `<!-- sample:${name} -->\n${fence}${name.includes(".markdown.") ? "markdown" : "text"}\n${golden}${fence}\n<!-- /sample -->`;
      });
      writeFileSync(path, updated);
      return;
    }
    for (const [, name, , body] of samples) {
      expect(body, name).toBe(readFileSync(join(GOLDEN, name as string), "utf8"));
    }
  });
});
