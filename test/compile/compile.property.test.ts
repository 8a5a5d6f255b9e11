import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simpleRefs } from "../../src/compile/templates.js";
import { compileTemplate } from "../../src/template/index.js";
import { compileYaml, workflowYaml } from "./helpers.js";

/** A graph over n steps: for each step, the other steps it depends on, each by needs or by template. */
const graphArb = (opts: { acyclic: boolean }) =>
  fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.boolean()), { maxLength: n * 3 }).map((edges) => ({
      n,
      edges: edges
        .map(([a, b, viaNeeds]) =>
          opts.acyclic ? ([Math.max(a, b), Math.min(a, b), viaNeeds] as const) : ([a, b, viaNeeds] as const),
        )
        .filter(([a, b]) => !opts.acyclic || a !== b),
    })),
  );

function toYaml(n: number, edges: ReadonlyArray<readonly [number, number, boolean]>): string {
  const steps: Record<string, { needs: string[]; refs: string[] }> = {};
  for (let i = 0; i < n; i++) steps[`s${i}`] = { needs: [], refs: [] };
  for (const [from, to, viaNeeds] of edges) {
    const s = steps[`s${from}`] as { needs: string[]; refs: string[] };
    const list = viaNeeds ? s.needs : s.refs;
    if (!list.includes(`s${to}`)) list.push(`s${to}`);
  }
  return workflowYaml(steps);
}

/** Reference answer: Tarjan-free reachability closure (tiny graphs only). */
function cyclicGroups(n: number, edges: ReadonlyArray<readonly [number, number, boolean]>): string[][] {
  const reach = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  for (const [a, b] of edges) (reach[a] as boolean[])[b] = true;
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (reach[i]?.[k] && reach[k]?.[j]) (reach[i] as boolean[])[j] = true;
  const groups = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    const members = [];
    for (let j = 0; j < n; j++) if (i === j || (reach[i]?.[j] && reach[j]?.[i])) members.push(`s${j}`);
    if (members.length > 1) groups.set(members.join(","), members);
  }
  return [...groups.values()];
}

describe("compileWorkflow properties", () => {
  it("compiles every random DAG into waves that respect every edge", () => {
    fc.assert(
      fc.property(graphArb({ acyclic: true }), ({ n, edges }) => {
        const { plan, diagnostics } = compileYaml(toYaml(n, edges));
        expect(diagnostics).toEqual([]);
        const waveOf = new Map<string, number>();
        plan?.waves.forEach((wave, w) => {
          expect([...wave].sort()).toEqual(wave);
          for (const id of wave) waveOf.set(id, w);
        });
        expect(waveOf.size).toBe(n);
        for (const [from, to] of edges) {
          expect(waveOf.get(`s${from}`)).toBeGreaterThan(waveOf.get(`s${to}`) as number);
          expect(plan?.steps[`s${from}`]?.needs).toContain(`s${to}`);
          expect(plan?.dependents[`s${to}`]).toContain(`s${from}`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("reports every cycle: one loop per strongly connected component, and every self-loop", () => {
    fc.assert(
      fc.property(graphArb({ acyclic: false }), ({ n, edges }) => {
        const result = compileYaml(toYaml(n, edges));
        const selfLoops = new Set(edges.filter(([a, b]) => a === b).map(([a]) => `s${a}`));
        const reportedSelf = new Set(
          result.diagnostics.filter((d) => d.code === "WEFT_COMPILE_SELF_REFERENCE").map((d) => d.stepId),
        );
        expect(reportedSelf).toEqual(selfLoops);

        const cycles = result.diagnostics.filter((d) => d.code === "WEFT_COMPILE_CYCLE");
        const expected = cyclicGroups(n, edges);
        expect(cycles).toHaveLength(expected.length);
        for (const d of cycles) {
          const loop = (/loop: (.+?) \(/.exec(d.message)?.[1] ?? "").split(" → ");
          expect(loop[0]).toBe(loop[loop.length - 1]);
          const group = expected.find((g) => g.includes(loop[0] as string));
          expect(group).toBeDefined();
          for (const id of loop) expect(group).toContain(id);
          // Each consecutive pair in the printed loop is a real edge.
          for (let i = 0; i + 1 < loop.length; i++) {
            const [a, b] = [Number(loop[i]?.slice(1)), Number(loop[i + 1]?.slice(1))];
            expect(edges.some(([x, y]) => x === a && y === b)).toBe(true);
          }
        }
        expect(result.plan === undefined).toBe(selfLoops.size > 0 || expected.length > 0);
      }),
      { numRuns: 80 },
    );
  });

  it("reads plain references exactly as the template parser does", () => {
    const segment = fc.constantFrom(
      "fetch",
      "output",
      "status",
      "body",
      "a-b",
      "x_1",
      "total",
      "id",
      "TOKEN",
    );
    const root = fc.constantFrom("inputs", "steps", "item", "index", "run", "trigger", "secrets", "other");
    const mustache = fc
      .tuple(root, fc.array(segment, { maxLength: 4 }), fc.constantFrom("", " ", "  "))
      .map(([r, path, pad]) => `{{${pad}${[r, ...path].join(".")}${pad}}}`);
    const text = fc.constantFrom("", "total: ", " and ", "x", "-", "/");
    const template = fc
      .array(fc.tuple(text, mustache), { minLength: 1, maxLength: 3 })
      .map((parts) => parts.flat().join(""));
    fc.assert(
      fc.property(template, (source) => {
        const fast = simpleRefs(source);
        let parsed: Array<{ root: string; path: string[] }> | undefined;
        try {
          parsed = compileTemplate(source).refs.map((r) => ({ root: r.root, path: [...r.path] }));
        } catch {
          parsed = undefined;
        }
        // The fast path may decline (undefined), but when it answers it must agree, and it must
        // never accept a template the parser refuses.
        if (fast !== undefined) expect(fast).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });
});
