import { describe, expect, it } from "vitest";
import { envSecrets } from "../../src/engine/secrets.js";
import { createRedactor } from "../../src/observe/redact.js";
import { builtinRegistry } from "../../src/plugin/builtins.js";
import { diffWorkflow } from "../../src/review/diff.js";
import { pairWorkflows } from "../../src/review/match.js";
import { loadRevision, type RevisionFile } from "../../src/review/revision.js";
import { viewOf } from "../../src/review/view.js";

const load = (files: RevisionFile[]) =>
  loadRevision(files, builtinRegistry(), { now: new Date("2026-01-01T00:00:00Z") });
const file = (path: string, oid: string, source: string): RevisionFile => ({ path, oid, source });
const simple = (name: string, message = "hi") =>
  `name: ${name}\nsteps:\n  say:\n    uses: log\n    with:\n      message: ${message}\n`;

describe("pairWorkflows", () => {
  it("calls identical content under a new path a rename, and a moved and edited file a change", () => {
    const base = load([file("w/a.yaml", "1", simple("a")), file("w/b.yaml", "2", simple("b"))]);
    const head = load([file("w/a2.yaml", "1", simple("a")), file("w/b2.yaml", "3", simple("b", "bye"))]);
    expect(pairWorkflows(base, head).map((p) => [p.name, p.status, p.base?.file, p.head?.file])).toEqual([
      ["a", "renamed", "w/a.yaml", "w/a2.yaml"],
      ["b", "changed", "w/b.yaml", "w/b2.yaml"],
    ]);
  });

  it("treats a new `name:` as a new workflow, and pairs an unreadable file by its path", () => {
    const base = load([file("w/a.yaml", "1", simple("a")), file("w/c.yaml", "4", simple("c"))]);
    const head = load([file("w/a.yaml", "5", simple("renamed")), file("w/c.yaml", "6", "name: [c")]);
    expect(pairWorkflows(base, head).map((p) => [p.name, p.status])).toEqual([
      ["a", "removed"],
      ["c", "changed"],
      ["renamed", "added"],
    ]);
  });
});

describe("diffWorkflow", () => {
  it("masks literal credentials in `with` but still sees them change", () => {
    const yaml = (password: string) => `name: w
steps:
  call:
    uses: http
    with:
      url: "https://api.example.com"
      headers:
        X-Api-Key: ${password}
        Authorization: "Bearer {{ secrets.TOKEN }}"
`;
    const [b] = load([file("w.yaml", "1", yaml("hunter2"))]);
    const [h] = load([file("w.yaml", "2", yaml("swordfish"))]);
    if (!b || !h) throw new Error("not loaded");
    const diff = diffWorkflow(viewOf(b, "plan"), viewOf(h, "plan"));
    expect(diff.steps.changed).toEqual([
      {
        id: "call",
        uses: "http",
        group: "steps",
        fields: [{ field: "with.headers.X-Api-Key", before: '"***"', after: '"***"' }],
      },
    ]);
    expect(JSON.stringify(diff)).not.toMatch(/hunter2|swordfish/);
  });

  it("redacts values the secret provider holds wherever they appear", () => {
    const yaml = (url: string) =>
      `name: w\nsteps:\n  call:\n    uses: http\n    with:\n      url: "${url}"\n`;
    const [b] = load([file("w.yaml", "1", yaml("https://api.example.com/?k=old"))]);
    const [h] = load([file("w.yaml", "2", yaml("https://api.example.com/?k=s3cr3t-value"))]);
    if (!b || !h) throw new Error("not loaded");
    const redactor = createRedactor(envSecrets({ WEFT_SECRET_KEY: "s3cr3t-value" }).values());
    const mask = (t: string) => redactor.redactText(t);
    const diff = diffWorkflow(viewOf(b, "plan", mask), viewOf(h, "plan", mask));
    expect(diff.steps.changed[0]?.fields).toEqual([
      {
        field: "with.url",
        before: '"https://api.example.com/?k=old"',
        after: '"https://api.example.com/?k=***"',
      },
    ]);
  });

  it("shows effective policies, so a new workflow default changes every step that inherits it", () => {
    const [b] = load([file("w.yaml", "1", simple("w"))]);
    const [h] = load([
      file("w.yaml", "2", simple("w").replace("steps:", "defaults:\n  timeout: 5m\nsteps:")),
    ]);
    if (!b || !h) throw new Error("not loaded");
    const diff = diffWorkflow(viewOf(b, "plan"), viewOf(h, "plan"));
    expect(diff.steps.changed[0]?.fields).toEqual([{ field: "timeout", before: '"1h"', after: '"5m"' }]);
  });
});
