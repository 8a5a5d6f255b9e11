import { describe, expect, it } from "vitest";
import { lintYaml } from "./helpers.js";

const wf = (body: string) => `name: w
defaults:
  timeout: 1m
steps:
  fetch:
    uses: http
    with:
      url: "https://api.example.com/x"
  run:
    uses: shell
    with:
      command: ["./x.sh"]
      parseJson: true
  each:
    forEach: ["a", "b"]
    uses: shell
    with:
      command: ["./x.sh"]
      args: ["{{ item }}"]
${body}
`;

const fieldFindings = (body: string) => lintYaml(wf(body)).filter((f) => f.code === "unknown-output-field");

const use = (template: string) => `  use:
    uses: log
    with:
      message: "${template}"`;

describe("unknown-output-field", () => {
  it("reports a misspelt field of a closed output, with a suggestion, as an error", () => {
    const [f, ...rest] = fieldFindings(use("{{ steps.fetch.output.bdy.total }}"));
    expect(rest).toEqual([]);
    expect(f?.severity).toBe("error");
    expect(f?.message).toBe(
      "`steps.fetch.output.bdy`: the output has no field `bdy` (it has `status`, `headers`, `body`)",
    );
    expect(f?.hint).toBe("did you mean `body`?");
    expect(f?.path).toBe("steps.use.with.message");
    expect([f?.line, f?.col]).toEqual([23, 16]);
  });

  it("accepts declared fields and any path under an open value", () => {
    for (const t of [
      "{{ steps.fetch.output.status }}",
      "{{ steps.fetch.output.body.deep.er }}",
      "{{ steps.fetch.output.headers.etag }}",
      "{{ steps.run.output.json.items }}",
      "{{ steps.each.output.[1].stdout }}",
      "{{ steps.fetch.status }}",
    ]) {
      expect(fieldFindings(use(t)), t).toEqual([]);
    }
  });

  it("reports a field under a value the schema types as a string", () => {
    const [f] = fieldFindings(use("{{ steps.run.output.stdout.lines }}"));
    expect(f?.message).toBe("`steps.run.output.stdout.lines`: `stdout` is a string and has no field `lines`");
  });

  it("reports an object field read from a forEach step, whose output is a list", () => {
    const [f] = fieldFindings(use("{{ steps.each.output.stdout }}"));
    expect(f?.message).toContain("step `each` runs forEach, so its output is a list");
    expect(f?.hint).toContain("steps.each.output.[0].stdout");
  });

  it("checks if, forEach and onFailure templates too", () => {
    const found = fieldFindings(`  gate:
    if: "{{ eq steps.run.output.exitcode 0 }}"
    uses: log
    with:
      message: ok
onFailure:
  alert:
    uses: log
    with:
      message: "{{ steps.fetch.output.stauts }}"`);
    expect(found.map((f) => [f.path, f.hint])).toEqual([
      ["steps.gate.if", "did you mean `exitCode`?"],
      ["onFailure.alert.with.message", "did you mean `status`?"],
    ]);
  });
});
