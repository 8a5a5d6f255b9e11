/** loadWorkflowFile against real files in a temp directory. */
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { LOAD_LIMITS } from "../../src/spec/load.js";
import { loadWorkflowFile } from "../../src/spec/workflow-file.js";
import { testRegistry } from "./registry.js";

const dir = mkdtempSync(join(tmpdir(), "weft-spec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const types = testRegistry();

describe("loadWorkflowFile", () => {
  test("reads, parses and validates a file, labelling diagnostics with its path", async () => {
    const path = join(dir, "ok.yaml");
    writeFileSync(path, "name: ok\nsteps:\n  a: { uses: log, with: { message: hi } }\n");
    const result = await loadWorkflowFile(path, types);
    expect(result.diagnostics).toEqual([]);
    expect(result.spec?.name).toBe("ok");
    expect(result.doc?.file).toBe(path);
    expect(result.source).toContain("name: ok");

    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "name: bad\nsteps:\n  a: { uses: lgo }\n");
    const failed = await loadWorkflowFile(bad, types);
    expect(failed.spec).toBeUndefined();
    expect(failed.diagnostics).toMatchObject([
      { file: bad, line: 3, col: 14, code: "WEFT_SPEC_UNKNOWN_STEP_TYPE" },
    ]);
  });

  test("a file over 1 MiB is refused from its size, quickly, even if it is huge", async () => {
    const path = join(dir, "huge.yaml");
    const fd = openSync(path, "w");
    ftruncateSync(fd, 512 * 1024 * 1024); // sparse: 512 MiB that would take long to read
    closeSync(fd);
    const started = performance.now();
    const result = await loadWorkflowFile(path, types);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.diagnostics).toMatchObject([
      { code: "WEFT_SPEC_FILE_TOO_LARGE", file: path, line: 1, col: 1 },
    ]);
    expect(result.diagnostics[0]?.message).toContain(String(512 * 1024 * 1024));
  });

  test("exactly the limit is accepted by the reader", async () => {
    const path = join(dir, "limit.yaml");
    const head = "name: limit\nsteps:\n  a: { uses: log, with: { message: hi } }\n# ";
    writeFileSync(path, head + "x".repeat(LOAD_LIMITS.maxBytes - head.length));
    const result = await loadWorkflowFile(path, types);
    expect(result.diagnostics).toEqual([]);
  });

  test("missing files, directories and invalid UTF-8 are diagnostics, not exceptions", async () => {
    const missing = await loadWorkflowFile(join(dir, "nope.yaml"), types);
    expect(missing.diagnostics).toMatchObject([{ code: "WEFT_SPEC_FILE_UNREADABLE" }]);
    expect(missing.diagnostics[0]?.message).toContain("no such file");

    const sub = join(dir, "sub.yaml");
    mkdirSync(sub);
    expect((await loadWorkflowFile(sub, types)).diagnostics).toMatchObject([
      { code: "WEFT_SPEC_FILE_UNREADABLE" },
    ]);

    const latin1 = join(dir, "latin1.yaml");
    writeFileSync(latin1, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    expect((await loadWorkflowFile(latin1, types)).diagnostics).toMatchObject([
      { code: "WEFT_SPEC_FILE_ENCODING" },
    ]);
  });
});
