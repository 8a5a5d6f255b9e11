import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { weft } from "../cli/helpers.js";

const WORKFLOW = `name: greet
inputs:
  name: { type: string, default: world }
steps:
  greet:
    uses: log
    with: { message: "Hello, {{ inputs.name }}!" }
  post:
    uses: http
    with: { url: "https://hooks.example.com/greeted" }
    retry: { attempts: 2 }
`;

function repo(testYaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "weft-test-cli-"));
  writeFileSync(join(dir, "greet.yaml"), WORKFLOW);
  writeFileSync(join(dir, "greet.test.yaml"), testYaml);
  return dir;
}

describe("weft test", () => {
  it("passes the example workflows' tests: one line per case and a closing count, exit 0", () => {
    const r = weft(["test", "workflows/"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^workflows\/hello\.test\.yaml\n {2}✔ greets the given name/);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("3 passed, 0 failed");
  });

  it("shows each failed assertion's position in the test file with expected and actual values, exit 1", () => {
    const dir = repo(`workflow: ./greet.yaml
cases:
  - name: retries the hook once, then succeeds
    inputs: { name: Ada }
    mocks:
      post:
        sequence:
          - error: { message: "502 Bad Gateway" }
          - output: { status: 200, body: ok }
    expect:
      status: succeeded
      steps:
        post: { status: succeeded, attempts: 2 }
  - name: a wrong expectation
    inputs: { name: Ada }
    mocks:
      post: { output: { status: 200 } }
    expect:
      steps:
        greet:
          output: { message: "Hello, Bob!" }
        post: { attempts: 3 }
`);
    const r = weft(["test", dir], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("  ✔ retries the hook once, then succeeds");
    expect(r.stdout).toContain("  ✖ a wrong expectation");
    expect(r.stdout).toContain(
      [
        "    greet.test.yaml:21:30 steps.greet.output.message",
        '      expected: "Hello, Bob!"',
        '      actual:   "Hello, Ada!"',
      ].join("\n"),
    );
    expect(r.stdout).toContain(
      ["    greet.test.yaml:22:27 steps.post.attempts", "      expected: 3", "      actual:   1"].join("\n"),
    );
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("1 passed, 1 failed");
  });

  it("reports an invalid test file at file:line:col and runs none of its cases", () => {
    const dir = repo(`workflow: ./greet.yaml
cases:
  - name: typos
    mocks:
      pots: { output: {} }
    expect:
      status: succeded
`);
    const r = weft(["test", "greet.test.yaml"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("greet.test.yaml:7:15");
    expect(r.stderr).toContain('`cases.0.expect.status` must be one of "queued", "running", "succeeded"');
    const again = weft(["test", "greet.test.yaml"], {
      cwd: repo(
        "workflow: ./greet.yaml\ncases:\n  - name: typo\n    mocks:\n      pots: { output: {} }\n    expect: {}\n",
      ),
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("greet.test.yaml:5:7");
    expect(again.stderr).toContain("workflow greet has no step `pots`; did you mean `post`?");
    expect(again.stdout).not.toContain("✔");
  });

  it("exits 2 when there is no test file", () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-test-cli-"));
    const r = weft(["test"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("workflows/ does not exist");
  });
});
