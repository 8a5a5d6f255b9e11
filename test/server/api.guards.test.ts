/**
 * What the API refuses and how: requests without or with a wrong token, a non-loopback bind
 * without a token, oversized and malformed bodies; Idempotency-Key semantics (also under
 * concurrency); signed webhooks (good, bad, missing signature, replayed delivery).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/server/service.js";
import { signBody } from "../../src/trigger/index.js";
import { serveRepo, type TestServer, TOKEN } from "./helpers.js";
import { HELLO, HOOKED } from "./workflows.js";

const HOOK_SECRET = "hook-secret-value-42";
let s: TestServer;

beforeAll(async () => {
  s = await serveRepo(
    { "workflows/hello.yaml": HELLO, "workflows/hooked.yaml": HOOKED },
    { bodyLimit: 4096, secrets: { HOOK_SECRET } },
  );
}, 30_000);
afterAll(async () => s?.close());

describe("auth", () => {
  it("refuses /api without a token or with a wrong one, with a JSON error", async () => {
    for (const token of [null, "wrong", `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const res = await s.api("GET", "/api/runs", { token });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe("WEFT_API_UNAUTHORIZED");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    const basic = await s.api("GET", "/api/runs", {
      token: null,
      headers: { authorization: `Basic ${TOKEN}` },
    });
    expect(basic.status).toBe(401);
    expect((await s.api("GET", "/api/runs")).status).toBe(200);
  });

  it("refuses to listen on a non-loopback address without a token", async () => {
    await expect(
      startService({
        repo: s.dir,
        branch: "main",
        pollMs: 1000,
        store: ":memory:",
        host: "0.0.0.0",
        port: 0,
        dataDir: s.dir,
        tokens: [],
        graceMs: 100,
        workspace: s.dir,
        cwd: s.dir,
        env: {},
      }),
    ).rejects.toMatchObject({ code: "WEFT_CONFIG_TOKEN_REQUIRED" });
  });
});

describe("request hygiene", () => {
  it("refuses an oversized body with 413 and malformed JSON with 400, as JSON errors", async () => {
    const big = await s.api("POST", "/api/workflows/hello/runs", {
      body: { inputs: { name: "x".repeat(8000) } },
    });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe("WEFT_API_BODY_TOO_LARGE");
    const bad = await s.api("POST", "/api/workflows/hello/runs", {
      raw: '{"inputs": {',
      headers: { "content-type": "application/json" },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("WEFT_API_BAD_JSON");
    const text = await s.api("POST", "/api/workflows/hello/runs", {
      raw: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(text.status).toBe(415);
    expect(text.json.error.code).toBe("WEFT_API_UNSUPPORTED_MEDIA_TYPE");
    const route = await s.api("GET", "/api/nothing-here");
    expect(route.status).toBe(404);
    expect(route.json.error.code).toBe("WEFT_API_NOT_FOUND");
  });
});

describe("Idempotency-Key", () => {
  it("returns the same run for a repeated request and 409 for a different one", async () => {
    const headers = { "idempotency-key": "order-1" };
    const first = await s.api("POST", "/api/workflows/hello/runs", {
      body: { inputs: { name: "A" } },
      headers,
    });
    expect(first.status).toBe(201);
    const again = await s.api("POST", "/api/workflows/hello/runs", {
      body: { inputs: { name: "A" } },
      headers,
    });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ created: false, run: { id: first.json.run.id } });
    const other = await s.api("POST", "/api/workflows/hello/runs", {
      body: { inputs: { name: "B" } },
      headers,
    });
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe("WEFT_API_IDEMPOTENCY_CONFLICT");
    expect(other.json.error.message).toContain(first.json.run.id);
  });

  it("starts one run for many concurrent requests with one key", async () => {
    const headers = { "idempotency-key": "burst-7" };
    const body = { inputs: { name: "burst" } };
    const all = await Promise.all(
      Array.from({ length: 20 }, () => s.api("POST", "/api/workflows/hello/runs", { body, headers })),
    );
    const ids = new Set(all.map((r) => r.json.run.id));
    expect(ids.size).toBe(1);
    expect(all.filter((r) => r.status === 201)).toHaveLength(1);
    expect(all.filter((r) => r.status === 200)).toHaveLength(19);
    const listed = await s.api("GET", "/api/runs?workflow=hello&limit=200");
    expect(
      listed.json.runs.filter((r: { idempotencyKey: string }) => r.idempotencyKey === "burst-7"),
    ).toHaveLength(1);
  });
});

describe("webhooks", () => {
  const post = (body: string, headers: Record<string, string>) =>
    s.api("POST", "/hooks/hooked", {
      raw: body,
      token: null,
      headers: { "content-type": "application/json", ...headers },
    });

  it("starts a run for a good signature, once per delivery id", async () => {
    const body = '{"ref":"refs/heads/main"}';
    const sig = signBody(Buffer.from(body), HOOK_SECRET);
    const good = await post(body, { "x-hub-signature-256": sig, "x-github-delivery": "d-1" });
    expect(good.status, good.text).toBe(202);
    const runId = good.json.runId as string;
    const done = await s.waitForRun(runId);
    expect(done.run.status).toBe("succeeded");
    expect(done.run.trigger).toMatchObject({ kind: "webhook", deliveryId: "d-1" });
    const replayed = await post(body, { "x-hub-signature-256": sig, "x-github-delivery": "d-1" });
    expect(replayed.status).toBe(200);
    expect(replayed.json).toEqual({ runId, duplicate: true });
  });

  it("refuses a bad or missing signature, and a body re-serialised after signing", async () => {
    const body = '{"ref":"x"}';
    const bad = await post(body, {
      "x-hub-signature-256": signBody(Buffer.from(body), "other"),
      "x-github-delivery": "d-2",
    });
    expect(bad.status).toBe(401);
    expect(bad.json.error.code).toBe("WEFT_WEBHOOK_SIGNATURE");
    const missing = await post(body, { "x-github-delivery": "d-3" });
    expect(missing.status).toBe(401);
    const spaced = await post('{ "ref": "x" }', {
      "x-hub-signature-256": signBody(Buffer.from(body), HOOK_SECRET),
      "x-github-delivery": "d-4",
    });
    expect(spaced.status).toBe(401);
    const unknown = await s.api("POST", "/hooks/nope", { raw: body, token: null });
    expect(unknown.status).toBe(404);
  });

  it("never writes the webhook secret or the API token into the log", async () => {
    const joined = s.logs.join("");
    expect(joined).not.toContain(HOOK_SECRET);
    expect(joined).not.toContain(TOKEN);
  });
});
