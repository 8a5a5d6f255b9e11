import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "../../plugins/http/index.js";
import { retryAfterMs } from "../../plugins/http/response.js";
import type { HttpInput } from "../../plugins/http/schema.js";
import { makeContext } from "./context.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];

function route(req: IncomingMessage, res: ServerResponse, body: string): void {
  seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(value));
  };
  const text = (value: string) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(value);
  };
  switch (new URL(req.url ?? "/", "http://x").pathname) {
    case "/echo":
      json(200, { method: req.method, url: req.url, body });
      break;
    case "/text":
      text("hello");
      break;
    case "/busy":
      json(429, { error: "slow down" }, { "retry-after": "7" });
      break;
    case "/boom":
      json(500, { error: "internal" });
      break;
    case "/missing":
      json(404, { error: "no such thing" });
      break;
    case "/big":
      text("x".repeat(5000));
      break;
    case "/slow":
      setTimeout(() => json(200, {}), 2000);
      break;
    default:
      json(400, { error: "unknown route" });
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      body += c;
    });
    req.on("end", () => route(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const call = (input: HttpInput) => http.run(makeContext(input).ctx);

describe("http step", () => {
  it("sends query, headers, a JSON body and an Idempotency-Key, and parses the JSON reply", async () => {
    const out = await call({
      url: `${base}/echo`,
      method: "POST",
      query: { day: "2024-01-02", region: ["eu", "us"], n: 3 },
      headers: { "X-Trace": "t1" },
      body: { total: 42 },
    });
    expect(out.status).toBe(200);
    expect(out.headers["content-type"]).toMatch(/application\/json/);
    expect(out.body).toEqual({
      method: "POST",
      url: "/echo?day=2024-01-02&region=eu&region=us&n=3",
      body: '{"total":42}',
    });
    const req = seen.at(-1);
    expect(req?.headers["idempotency-key"]).toBe("run-1:step-a");
    expect(req?.headers["x-trace"]).toBe("t1");
    expect(req?.headers["content-type"]).toBe("application/json");
  });

  it("keeps a caller's own Idempotency-Key and sends string bodies as text", async () => {
    await call({ url: `${base}/echo`, method: "PUT", headers: { "Idempotency-Key": "mine" }, body: "plain" });
    const req = seen.at(-1);
    expect(req?.headers["idempotency-key"]).toBe("mine");
    expect(req?.headers["content-type"]).toMatch(/^text\/plain/);
    expect(req?.body).toBe("plain");
  });

  it("returns text bodies as strings", async () => {
    expect((await call({ url: `${base}/text` })).body).toBe("hello");
  });

  it("turns 429 into a retryable error carrying Retry-After", async () => {
    await expect(call({ url: `${base}/busy` })).rejects.toMatchObject({
      retryable: true,
      retryAfterMs: 7000,
    });
  });

  it("retries 5xx and refuses other statuses with the status and a body excerpt", async () => {
    await expect(call({ url: `${base}/boom` })).rejects.toMatchObject({
      retryable: true,
      message: /500.*internal/,
    });
    await expect(call({ url: `${base}/missing` })).rejects.toMatchObject({
      retryable: false,
      message: /404.*no such thing/,
    });
    expect((await call({ url: `${base}/missing`, accept: ["2xx", 404] })).status).toBe(404);
  });

  it("times out retryably", async () => {
    const started = Date.now();
    await expect(call({ url: `${base}/slow`, timeout: "200ms" })).rejects.toMatchObject({
      retryable: true,
      code: "WEFT_HTTP_TIMEOUT",
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("refuses non-http URLs, GET bodies and oversized responses without retrying", async () => {
    await expect(call({ url: "file:///etc/passwd" })).rejects.toMatchObject({ retryable: false });
    await expect(call({ url: `${base}/echo`, body: { a: 1 } })).rejects.toMatchObject({ retryable: false });
    await expect(call({ url: `${base}/big`, maxBodyBytes: 100 })).rejects.toMatchObject({
      retryable: false,
      code: "WEFT_HTTP_BODY_TOO_LARGE",
    });
  });

  it("treats a refused connection as retryable", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(call({ url: `http://127.0.0.1:${port}/` })).rejects.toMatchObject({
      retryable: true,
      code: "WEFT_HTTP_NETWORK",
    });
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2024-01-01T00:00:00Z");
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Mon, 01 Jan 2024 00:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
