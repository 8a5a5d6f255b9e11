import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRef, resolveCommit } from "../../src/review/git.js";
import { readWorkflowFiles } from "../../src/review/revision.js";
import { git, makeRepo, removeRepo } from "./git-repo.js";

const YAML = "name: a\nsteps:\n  s:\n    uses: log\n    with: { message: hi }\n";

describe("reading workflow files from Git objects", () => {
  let repo: string;
  beforeAll(() => {
    repo = makeRepo([
      {
        "workflows/plain.yaml": YAML,
        "workflows/with space é.yml": YAML,
        "workflows/case.test.yaml": YAML,
        "workflows/nested/deep.yaml": YAML,
        "workflows/readme.md": "not a workflow",
      },
    ]);
    writeFileSync(
      join(repo, "workflows", "latin1.yaml"),
      Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9]),
    );
    symlinkSync("plain.yaml", join(repo, "workflows", "link.yaml"));
    git(repo, ["add", "-A"]);
    git(repo, ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "more"]);
  });
  afterAll(() => removeRepo(repo));

  it("lists the folder's *.yaml/*.yml files (not nested, not *.test.yaml) with odd names intact", async () => {
    const files = await readWorkflowFiles(repo, await resolveCommit(repo, "HEAD"), "workflows");
    expect(files.map((f) => [f.path, f.source === YAML, f.problem?.code])).toEqual([
      ["workflows/latin1.yaml", false, "WEFT_SPEC_FILE_ENCODING"],
      ["workflows/link.yaml", false, "WEFT_SPEC_FILE_UNREADABLE"],
      ["workflows/plain.yaml", true, undefined],
      ["workflows/with space é.yml", true, undefined],
    ]);
  });

  it("reads the files as they were at an older commit", async () => {
    const files = await readWorkflowFiles(repo, await resolveCommit(repo, "HEAD~1"), "workflows/");
    expect(files.map((f) => f.path)).toEqual(["workflows/plain.yaml", "workflows/with space é.yml"]);
  });

  it("refuses option-like refs before Git sees them and names unknown refs", async () => {
    expect(() => checkRef("--upload-pack=touch /tmp/x")).toThrow(/starts with `-`/);
    await expect(resolveCommit(repo, "-h")).rejects.toMatchObject({ code: "WEFT_REVIEW_REF_OPTION" });
    await expect(resolveCommit(repo, "HEAD~5")).rejects.toMatchObject({ code: "WEFT_REVIEW_BAD_REF" });
    await expect(resolveCommit(repo, "HEAD:workflows")).rejects.toMatchObject({
      code: "WEFT_REVIEW_BAD_REF",
    });
  });
});
