import { describe, expect, it } from "vitest";
import { compileWorkflow } from "../../src/compile/compile.js";
import { loadWorkflow } from "../../src/spec/workflow-file.js";
import { compileYaml, summarize, types } from "./helpers.js";

describe("compileWorkflow: edges and references", () => {
  it("makes edges from needs and from template references in with, if and forEach", () => {
    const { plan, diagnostics } = compileYaml(`name: edges
steps:
  fetch:
    uses: http
    with: { url: "https://example.com" }
  regions:
    uses: log
    with: { message: "static" }
  each:
    forEach: "{{ steps.regions.output.message }}"
    uses: log
    with: { message: "{{ item }}" }
  post:
    needs: [each]
    if: "{{ gt steps.fetch.output.body.total 0 }}"
    uses: log
    with:
      message:
        nested: ["{{ steps.fetch.output.status }}", "{{ secrets.TOKEN }}"]
`);
    expect(diagnostics).toEqual([]);
    expect(plan?.steps.each?.needs).toEqual(["regions"]);
    expect(plan?.steps.post?.needs).toEqual(["each", "fetch"]);
    expect(plan?.steps.post?.explicitNeeds).toEqual(["each"]);
    expect(plan?.dependents).toMatchObject({ fetch: ["post"], regions: ["each"], each: ["post"], post: [] });
    expect(plan?.secrets).toEqual(["TOKEN"]);
  });

  it("reports an unknown step id in a template with a did-you-mean hint at the string's position", () => {
    const result = compileYaml(`name: typo
steps:
  fetch:
    uses: log
    with: { message: hi }
  post:
    uses: log
    with:
      message: "total {{ steps.fetsh.output.total }}"
`);
    expect(result.plan).toBeUndefined();
    expect(summarize(result)).toEqual([
      'WEFT_COMPILE_UNKNOWN_STEP 9:16 step "post" refers (in with.message) to "fetsh", which is not a step of this workflow',
    ]);
    expect(result.diagnostics[0]).toMatchObject({
      hint: 'did you mean "fetch"?',
      stepId: "post",
      path: "steps.post.with.message",
    });
  });

  it("refuses a step that references itself, through needs or a template", () => {
    const result = compileYaml(`name: self
steps:
  a:
    uses: log
    needs: [a]
    with: { message: "{{ steps.a.status }}" }
`);
    expect(summarize(result)).toEqual([
      'WEFT_COMPILE_SELF_REFERENCE 5:13 step "a" needs itself; a step can only use the outputs of other steps',
      'WEFT_COMPILE_SELF_REFERENCE 6:22 step "a" refers (in with.message) to itself; a step can only use the outputs of other steps',
    ]);
  });

  it("refuses item and index outside the with of a forEach step", () => {
    const result = compileYaml(`name: items
steps:
  plain:
    uses: log
    with: { message: "{{ item.id }}" }
  loop:
    forEach: [1, 2]
    if: "{{ eq index 0 }}"
    uses: log
    with: { message: "{{ item }} {{ index }}" }
`);
    expect(summarize(result)).toEqual([
      'WEFT_COMPILE_ITEM_OUTSIDE_FOREACH 5:22 "item" is only defined in the `with` of a step that has `forEach`; step "plain" uses it in with.message',
      'WEFT_COMPILE_ITEM_OUTSIDE_FOREACH 8:9 "index" is only defined in the `with` of a step that has `forEach`; step "loop" uses it in if',
    ]);
  });

  it("requires if to be a template, even when handed a spec that skipped validation", () => {
    const source = `name: cond
steps:
  a:
    if: "{{ true }}"
    uses: log
    with: { message: hi }
`;
    const loaded = loadWorkflow(source, "wf.yaml", types);
    if (!loaded.spec || !loaded.doc) throw new Error("fixture must load");
    const spec = structuredClone(loaded.spec);
    (spec.steps.a as { if?: string }).if = "true";
    const result = compileWorkflow(spec, loaded.doc, types);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["WEFT_COMPILE_IF_NOT_TEMPLATE"]);
    expect(result.diagnostics[0]).toMatchObject({ line: 4, col: 9, stepId: "a" });
  });

  it("reports template syntax errors, unknown helpers and undeclared inputs with the step id", () => {
    const result = compileYaml(`name: bad-templates
inputs:
  day: { type: string, default: today }
steps:
  a:
    uses: log
    with: { message: "{{ steps.b.output" }
  b:
    uses: log
    with: { message: "{{ shout inputs.day }}" }
  c:
    uses: log
    with: { message: "{{ inputs.dya }}" }
`);
    const byStep = Object.fromEntries(result.diagnostics.map((d) => [d.stepId, d]));
    expect(byStep.a?.code).toBe("WEFT_TEMPLATE_SYNTAX");
    expect(byStep.a).toMatchObject({ line: 7, col: 22 });
    expect(byStep.b?.code).toBe("WEFT_TEMPLATE_UNKNOWN_HELPER");
    expect(byStep.c).toMatchObject({
      code: "WEFT_COMPILE_UNKNOWN_INPUT",
      hint: 'did you mean "day"?',
      line: 13,
    });
  });

  it("lets onFailure steps read main steps but not main steps read onFailure steps", () => {
    const result = compileYaml(`name: failure
steps:
  work:
    uses: log
    with: { message: "{{ steps.alert.status }}" }
onFailure:
  alert:
    uses: log
    with: { message: "work ended {{ steps.work.status }}" }
  page:
    uses: log
    with: { message: "{{ steps.alert.output.message }}" }
`);
    expect(summarize(result)).toEqual([
      'WEFT_COMPILE_ONFAILURE_REFERENCE 5:22 step "work" refers (in with.message) to "alert", an onFailure step; onFailure steps run only after the main steps failed, so main steps cannot use them',
    ]);
    const ok = compileYaml(`name: failure
steps:
  work:
    uses: log
    with: { message: hi }
onFailure:
  alert:
    uses: log
    with: { message: "work ended {{ steps.work.status }}" }
  page:
    uses: log
    with: { message: "{{ steps.alert.output.message }}" }
`);
    expect(ok.plan?.onFailure.alert?.needs).toEqual([]);
    expect(ok.plan?.onFailure.page?.needs).toEqual(["alert"]);
    expect(ok.plan?.onFailureWaves).toEqual([["alert"], ["page"]]);
    expect(ok.plan?.waves).toEqual([["work"]]);
    expect(ok.plan?.dependents.work).toEqual([]);
  });

  it("checks templates in idempotencyKey and concurrency.key, which run before any step", () => {
    const result = compileYaml(`name: keys
idempotencyKey: "{{ steps.a.output.id }}"
concurrency: { limit: 1, key: "{{ trigger.body.env }}" }
steps:
  a:
    uses: log
    with: { message: hi }
`);
    expect(summarize(result)).toEqual([
      'WEFT_COMPILE_STEP_REF_NOT_ALLOWED 2:17 idempotencyKey is evaluated before any step runs, so it cannot use "steps.<id>"',
    ]);
  });
});
