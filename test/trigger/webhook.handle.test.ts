import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { staticSecrets } from "../../src/engine/secrets.js";
import type { ActiveWorkflow } from "../../src/store/types.js";
import { signBody } from "../../src/trigger/signature.js";
import { handleWebhook } from "../../src/trigger/webhook.js";
import { compileYaml, type Harness, harness } from "../engine/harness.js";

const SECRET = "hook-secret-0123456789";
const secrets = staticSecrets({ HOOK_SECRET: SECRET });

const HOOKED = `
name: hooked
on:
  webhook: { secret: HOOK_SECRET }
steps:
  hello: { uses: log, with: { message: "{{ trigger.payload.action }}" } }
`;
const NO_HOOK = `
name: plain
steps:
  hello: { uses: log, with: { message: hi } }
`;
const UNSET_SECRET = `
name: unset
on:
  webhook: { secret: NOT_CONFIGURED }
steps:
  hello: { uses: log, with: { message: hi } }
`;

let h: Harness;
let active: Map<string, ActiveWorkflow>;
let delivery = 0;

beforeAll(async () => {
  h = await harness({ secrets: { HOOK_SECRET: SECRET } });
  const versions = [HOOKED, NO_HOOK, UNSET_SECRET].map((yaml) => {
    const plan = compileYaml(yaml, h.types);
    return { workflow: plan.name, hash: plan.hash, plan, source: yaml };
  });
  await h.store.recordDeployment({ commit: "c1", result: "deployed", versions });
  active = new Map((await h.store.activeWorkflows()).map((w) => [w.workflow, w]));
});
afterAll(async () => h.close());

let deliveryId: string;
beforeEach(() => {
  deliveryId = `d-${++delivery}-${Date.now()}`;
});

function post(
  workflow: string,
  rawBody: Buffer,
  headers: Record<string, string | undefined>,
): ReturnType<typeof handleWebhook> {
  return handleWebhook({
    store: h.store,
    engine: h.engine,
    active: active.get(workflow)!,
    rawBody,
    headers,
    secrets,
  });
}

function signed(payload: unknown, extra: Record<string, string> = {}) {
  const rawBody = Buffer.from(JSON.stringify(payload));
  return { rawBody, headers: { "X-Hub-Signature-256": signBody(rawBody, SECRET), ...extra } };
}

async function runsOf(workflow: string) {
  return h.store.listRuns({ workflow, limit: 1000 });
}

describe("handleWebhook", () => {
  it("starts a run with the body as trigger.payload and a safe subset of headers", async () => {
    const before = (await runsOf("hooked")).length;
    const { rawBody, headers } = signed(
      { action: "opened", n: 1 },
      {
        "X-GitHub-Delivery": deliveryId,
        "X-GitHub-Event": "pull_request",
        "Content-Type": "application/json",
        Authorization: "Bearer should-not-be-kept",
      },
    );
    const res = await post("hooked", rawBody, headers);
    expect(res.status).toBe(202);
    expect(res.body.duplicate).toBeUndefined();
    const run = await h.store.getRun(res.body.runId!);
    expect(run?.trigger).toEqual({
      kind: "webhook",
      payload: { action: "opened", n: 1 },
      deliveryId,
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": deliveryId,
      },
    });
    expect(await h.store.triggerRun("webhook", "hooked", deliveryId)).toBe(run?.id);
    expect(await runsOf("hooked")).toHaveLength(before + 1);
    const done = await h.engine.waitForRun(run!.id);
    expect(done.status).toBe("succeeded");
  });

  it("answers 401 and starts nothing for a bad, missing, malformed or re-serialised signature", async () => {
    const before = (await runsOf("hooked")).length;
    const { rawBody, headers } = signed({ action: "opened", list: [1, 2] });
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(rawBody.toString()), null, 1));
    const cases: Array<[Buffer, Record<string, string | undefined>]> = [
      [rawBody, { "X-Hub-Signature-256": signBody(rawBody, "wrong-secret-value") }],
      [rawBody, {}],
      [rawBody, { "X-Hub-Signature-256": "sha256=abc" }],
      [reserialised, headers],
    ];
    const reasons: string[] = [];
    for (const [body, hdrs] of cases) {
      const res = await post("hooked", body, {
        ...hdrs,
        "X-GitHub-Delivery": `${deliveryId}-${reasons.length}`,
      });
      expect(res.status).toBe(401);
      expect(res.body.error?.code).toBe("WEFT_WEBHOOK_SIGNATURE");
      expect(res.body.runId).toBeUndefined();
      reasons.push(res.body.error?.message ?? "");
    }
    expect(reasons[0]).toMatch(/does not match/);
    expect(reasons[1]).toMatch(/missing/);
    expect(reasons[2]).toMatch(/64 hex digits/);
    expect(await runsOf("hooked")).toHaveLength(before);
    // A refused delivery does not use up its id: the sender may retry it correctly signed.
    expect(await h.store.triggerRun("webhook", "hooked", `${deliveryId}-0`)).toBeUndefined();
  });

  it("answers 400 for a signed body that is not JSON", async () => {
    const rawBody = Buffer.from("action=opened");
    const res = await post("hooked", rawBody, { "X-Hub-Signature-256": signBody(rawBody, SECRET) });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("WEFT_WEBHOOK_BODY");
  });

  it("answers 404 for a workflow without a webhook trigger, 500 when its secret is not set", async () => {
    const { rawBody, headers } = signed({});
    const none = await post("plain", rawBody, headers);
    expect(none.status).toBe(404);
    expect(none.body.error?.code).toBe("WEFT_WEBHOOK_NOT_ENABLED");
    const unset = await post("unset", rawBody, headers);
    expect(unset.status).toBe(500);
    expect(unset.body.error?.message).toMatch(
      /secret NOT_CONFIGURED is not set; set WEFT_SECRET_NOT_CONFIGURED/,
    );
  });

  it("a redelivered id gets the original run back, marked duplicate", async () => {
    const before = (await runsOf("hooked")).length;
    const { rawBody, headers } = signed({ action: "x" }, { "X-GitHub-Delivery": deliveryId });
    const first = await post("hooked", rawBody, headers);
    const second = await post("hooked", rawBody, headers);
    expect(first.status).toBe(202);
    expect(second).toEqual({ status: 200, body: { runId: first.body.runId, duplicate: true } });
    expect(await runsOf("hooked")).toHaveLength(before + 1);
  });

  it("ten concurrent deliveries with one id start one run, and every answer names it", async () => {
    const before = (await runsOf("hooked")).length;
    const { rawBody, headers } = signed({ action: "burst" }, { "X-Weft-Delivery": deliveryId });
    const answers = await Promise.all(Array.from({ length: 10 }, () => post("hooked", rawBody, headers)));
    expect(await runsOf("hooked")).toHaveLength(before + 1);
    expect(new Set(answers.map((a) => a.body.runId)).size).toBe(1);
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200 && a.body.duplicate)).toHaveLength(9);
  });

  it("without a delivery id each delivery runs (nothing to dedupe by)", async () => {
    const before = (await runsOf("hooked")).length;
    const { rawBody, headers } = signed({ action: "anon" });
    const a = await post("hooked", rawBody, headers);
    const b = await post("hooked", rawBody, headers);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.runId).not.toBe(b.body.runId);
    expect(await runsOf("hooked")).toHaveLength(before + 2);
  });

  it("uses the trigger's deliveryHeader when the plan carries one", async () => {
    const w = active.get("hooked")!;
    const plan = structuredClone(w.version.plan);
    plan.triggers = plan.triggers.map((t) =>
      t.kind === "webhook" ? { ...t, deliveryHeader: "X-Custom-Id" } : t,
    );
    const custom: ActiveWorkflow = { ...w, version: { ...w.version, plan } };
    const { rawBody, headers } = signed(
      { action: "c" },
      { "X-Custom-Id": deliveryId, "X-Request-Id": "ignored" },
    );
    const call = () =>
      handleWebhook({ store: h.store, engine: h.engine, active: custom, rawBody, headers, secrets });
    const first = await call();
    const second = await call();
    expect(second.body).toEqual({ runId: first.body.runId, duplicate: true });
    const run = await h.store.getRun(first.body.runId!);
    expect(run?.trigger).toMatchObject({ deliveryId, headers: { "x-custom-id": deliveryId } });
  });
});
