import { describe, expect, it } from "vitest";
import { codes, lintYaml } from "./helpers.js";

describe("http-no-timeout and step-no-timeout", () => {
  const steps = `steps:
  fetch:
    uses: http
    with:
      url: "https://api.example.com/x"
  bounded:
    uses: http
    with:
      url: "https://api.example.com/y"
      timeout: 5s
  run:
    uses: shell
    with:
      command: ["./x.sh"]
  said:
    uses: log
    with:
      message: hi
`;

  it("warns about an http step and a shell step with no timeout when the workflow has no default", () => {
    const found = lintYaml(`name: w\n${steps}`);
    expect(codes(found)).toEqual(["http-no-timeout@3:3", "step-no-timeout@12:3"]);
    expect(found.every((f) => f.severity === "warning")).toBe(true);
    expect(found[1]?.message).toBe(
      "step `run` (shell) has no timeout and the workflow sets no default: a hung attempt runs for 1h",
    );
  });

  it("is satisfied by defaults.timeout", () => {
    expect(lintYaml(`name: w\ndefaults:\n  timeout: 2m\n${steps}`)).toEqual([]);
  });
});

describe("secret-not-provided", () => {
  const yaml = `name: w
on:
  webhook: { secret: HOOK_KEY }
defaults:
  timeout: 1m
steps:
  fetch:
    uses: http
    with:
      url: "https://api.example.com/x"
      headers:
        Authorization: "Bearer {{ secrets.API_TOKEN }}"
`;

  it("warns for each secret the environment provider does not hold, where it is used", () => {
    const found = lintYaml(yaml);
    expect(codes(found)).toEqual(["secret-not-provided@3:22", "secret-not-provided@12:24"]);
    expect(found[1]?.message).toBe(
      "secret `API_TOKEN` is not provided: the environment has no WEFT_SECRET_API_TOKEN",
    );
  });

  it("is quiet when WEFT_SECRET_<NAME> is set", () => {
    const env = { WEFT_SECRET_API_TOKEN: "t", WEFT_SECRET_HOOK_KEY: "k" };
    expect(lintYaml(yaml, { env })).toEqual([]);
  });
});
