import { describe, expect, it } from "vitest";
import { cyclicComponents, loopThrough, topologicalWaves } from "../../src/compile/graph.js";
import { compileYaml, summarize } from "./helpers.js";

describe("compileWorkflow: cycles", () => {
  it("prints the whole loop and every step's position", () => {
    const result = compileYaml(
      `name: loop
steps:
  a:
    uses: log
    needs: [c]
    with: { message: hi }
  b:
    uses: log
    with: { message: "{{ steps.a.output }}" }
  c:
    uses: log
    needs: [b]
    with: { message: hi }
  free:
    uses: log
    with: { message: hi }
`,
      { file: "workflows/loop.yaml" },
    );
    expect(result.plan).toBeUndefined();
    expect(summarize(result)).toEqual([
      "WEFT_COMPILE_CYCLE 3:3 steps wait for each other in a loop: a → c → b → a " +
        "(a at workflows/loop.yaml:3:3, c at workflows/loop.yaml:10:3, b at workflows/loop.yaml:7:3); " +
        "remove one of these needs or references",
    ]);
    expect(result.diagnostics[0]).toMatchObject({ stepId: "a", path: "steps.a" });
  });

  it("reports one loop for each strongly connected component", () => {
    const result = compileYaml(`name: two-loops
steps:
  x:
    uses: log
    needs: [y]
    with: { message: hi }
  y:
    uses: log
    needs: [x]
    with: { message: hi }
  p:
    uses: log
    with: { message: "{{ steps.q.status }}" }
  q:
    uses: log
    with: { message: "{{ steps.r.status }}" }
  r:
    uses: log
    with: { message: "{{ steps.p.status }} {{ steps.x.status }}" }
`);
    const loops = result.diagnostics.map((d) => /loop: ([^(]+) \(/.exec(d.message)?.[1]);
    expect(loops.sort()).toEqual(["p → q → r → p", "x → y → x"]);
  });

  it("handles a 12,000-step chain closed into one loop without overflowing the stack", () => {
    const n = 12_000;
    const lines = ["name: long-loop", "steps:"];
    for (let i = 0; i < n; i++)
      lines.push(`  s${i}: {uses: log, needs: [s${(i + 1) % n}], with: {message: x}}`);
    const result = compileYaml(`${lines.join("\n")}\n`);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]?.message).toContain("s0 → s1 → s2 → ");
    expect(result.diagnostics[0]?.message).toContain(`s${n - 1} → s0 (`);
  });
});

describe("graph algorithms at scale", () => {
  it("finds the one component of a 100,000-node ring iteratively and walks the whole loop", () => {
    const n = 100_000;
    const deps = Array.from({ length: n }, (_, i) => [(i + 1) % n]);
    const components = cyclicComponents(deps);
    expect(components).toHaveLength(1);
    expect(components[0]).toHaveLength(n);
    const loop = loopThrough(0, components[0] as number[], deps);
    expect(loop).toHaveLength(n + 1);
    expect(loop[0]).toBe(0);
    expect(loop[n]).toBe(0);
    expect(topologicalWaves(deps, (a, b) => a - b)).toBeUndefined();
  });

  it("puts a 100,000-node chain into 100,000 waves", () => {
    const n = 100_000;
    const deps = Array.from({ length: n }, (_, i) => (i === 0 ? [] : [i - 1]));
    expect(cyclicComponents(deps)).toEqual([]);
    const waves = topologicalWaves(deps, (a, b) => a - b);
    expect(waves).toHaveLength(n);
    expect(waves?.[n - 1]).toEqual([n - 1]);
  });
});
