import { describe, expect, it } from "vitest";
import { dryRunWorkflow, placeholderTree } from "../../src/compile/dry-run.js";
import { compileYaml, types } from "./helpers.js";

describe("dryRunWorkflow", () => {
  it("renders inputs, leaves step outputs, secrets, trigger data and items as placeholders", async () => {
    const { plan } = compileYaml(`name: dry
inputs:
  env: { type: string, default: dev }
idempotencyKey: "deploy-{{ trigger.body.id }}"
steps:
  list:
    uses: http
    with: { url: "https://example.com/{{ inputs.env }}", headers: { X-Token: "{{ secrets.TOKEN }}" } }
  each:
    forEach: "{{ steps.list.output.body.items }}"
    uses: log
    with: { message: "{{ item.name }} #{{ index }} for {{ trigger.body.user }}" }
  fixed:
    forEach: [{ name: first }, { name: second }]
    uses: log
    with: { message: "{{ item.name }}" }
`);
    if (!plan) throw new Error("no plan");
    const dry = await dryRunWorkflow(plan, { env: "prod" }, types);
    const byId = Object.fromEntries(dry.steps.map((s) => [s.id, s]));
    expect(byId.list?.with).toEqual({
      url: "https://example.com/prod",
      headers: { "X-Token": "<secret:TOKEN>" },
    });
    expect(byId.each?.forEach).toEqual({
      items: "{{ steps.list.output.body.items }}",
      value: "<steps.list.output.body.items>",
      concurrency: 4,
    });
    expect(byId.each?.with).toEqual({ message: "<item.name> #0 for <trigger.body.user>" });
    expect(byId.fixed?.forEach?.count).toBe(2);
    expect(byId.fixed?.with).toEqual({ message: "first" });
    expect(dry.idempotencyKey).toBe("deploy-<trigger.body.id>");
    expect(byId.list?.wouldDo).toBe("would send: GET https://example.com/prod");
  });

  it("reports a template that fails with the given inputs as the step's error", async () => {
    const { plan } = compileYaml(`name: fails
inputs:
  n: { type: string, default: abc }
steps:
  a:
    uses: log
    with: { message: "{{ toNumber inputs.n }}" }
`);
    if (!plan) throw new Error("no plan");
    const dry = await dryRunWorkflow(plan, { n: "abc" }, types);
    expect(dry.steps[0]?.error).toMatch(/toNumber/);
    expect(dry.steps[0]?.wouldDo).toBeUndefined();
  });

  it("builds placeholder trees from the paths templates read", () => {
    expect(
      placeholderTree("trigger", [
        { a: "{{ trigger.body.id }}", b: "{{ trigger.body.user.name }} {{ trigger.kind }}" },
      ]),
    ).toEqual({
      body: { id: "<trigger.body.id>", user: { name: "<trigger.body.user.name>" } },
      kind: "<trigger.kind>",
    });
    expect(placeholderTree("item", ["{{ item }}"])).toBe("<item>");
    expect(placeholderTree("item", ["plain"])).toEqual({});
  });
});
