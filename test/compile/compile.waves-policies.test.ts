import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS } from "../../src/compile/defaults.js";
import { compileYaml } from "./helpers.js";

describe("compileWorkflow: waves", () => {
  it("puts each step in the wave after its last dependency, sorted by id within a wave", () => {
    const { plan } = compileYaml(`name: waves
steps:
  zeta:
    uses: log
    with: { message: hi }
  alpha:
    uses: log
    with: { message: hi }
  mid:
    uses: log
    needs: [zeta]
    with: { message: hi }
  last:
    uses: log
    with: { message: "{{ steps.mid.status }} {{ steps.alpha.status }}" }
  also:
    uses: log
    needs: [alpha]
    with: { message: hi }
`);
    expect(plan?.waves).toEqual([["alpha", "zeta"], ["also", "mid"], ["last"]]);
  });
});

describe("compileWorkflow: policies", () => {
  it("merges step settings over workflow defaults over built-in defaults, in milliseconds", () => {
    const { plan } = compileYaml(`name: policies
defaults:
  retry: { attempts: 3, delay: 2s, jitter: true }
  timeout: 10m
steps:
  inherits:
    uses: log
    with: { message: hi }
  overrides:
    uses: log
    with: { message: hi }
    retry: { attempts: 5, backoff: fixed, maxDelay: 1h30m, jitter: 0.25 }
    timeout: 45s
`);
    expect(plan?.steps.inherits?.retry).toEqual({
      attempts: 3,
      backoff: "exponential",
      delayMs: 2_000,
      maxDelayMs: 300_000,
      jitter: 1,
    });
    expect(plan?.steps.inherits?.timeoutMs).toBe(600_000);
    expect(plan?.steps.overrides?.retry).toEqual({
      attempts: 5,
      backoff: "fixed",
      delayMs: 2_000,
      maxDelayMs: 5_400_000,
      jitter: 0.25,
    });
    expect(plan?.steps.overrides?.timeoutMs).toBe(45_000);
  });

  it("uses the built-in defaults when the workflow sets none", () => {
    const { plan } = compileYaml(`name: bare
steps:
  a:
    uses: log
    with: { message: hi }
  each:
    forEach: [1, 2]
    uses: log
    with: { message: "{{ item }}" }
`);
    expect(plan?.steps.a?.retry).toEqual(DEFAULT_RETRY);
    expect(plan?.steps.a?.timeoutMs).toBe(DEFAULT_TIMEOUT_MS);
    expect(DEFAULT_RETRY).toEqual({
      attempts: 1,
      backoff: "exponential",
      delayMs: 1000,
      maxDelayMs: 300_000,
      jitter: 0,
    });
    expect(DEFAULT_TIMEOUT_MS).toBe(3_600_000);
    expect(plan?.steps.each?.forEach).toEqual({ items: [1, 2], concurrency: 4 });
    expect(plan?.steps.a?.continueOnError).toBe(false);
  });

  it("hashes the source text and keeps workflow-level settings", () => {
    const source = `name: meta
description: Meta data
concurrency: { limit: 2, key: "{{ inputs.env }}" }
idempotencyKey: "{{ trigger.body.id }}"
inputs:
  env: { type: string, default: dev }
steps:
  a:
    uses: log
    with: { message: hi }
`;
    const { plan } = compileYaml(source);
    const { createHash } = require("node:crypto") as typeof import("node:crypto");
    expect(plan?.hash).toBe(createHash("sha256").update(source).digest("hex"));
    expect(plan?.concurrency).toEqual({ limit: 2, key: "{{ inputs.env }}", onLimit: "queue" });
    expect(plan?.idempotencyKey).toBe("{{ trigger.body.id }}");
    expect(plan?.description).toBe("Meta data");
    expect(plan?.steps.a?.location).toEqual({ file: "wf.yaml", line: 8, col: 3 });
  });
});
