import {
  defineStep,
  NonRetryableError,
  parseDuration,
  RetryableError,
  type StepContext,
} from "../../src/plugin/index.js";
import { decodeBody, excerpt, isAccepted, readBody, retryAfterMs } from "./response.js";
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TIMEOUT,
  type HttpInput,
  type HttpOutput,
  inputSchema,
  outputSchema,
} from "./schema.js";

export default defineStep<HttpInput, HttpOutput>({
  name: "http",
  description:
    "Send an HTTP request; JSON responses are parsed. 429 and 5xx are retried (honouring Retry-After), other unaccepted statuses fail.",
  inputSchema,
  outputSchema,
  examples: [
    {
      title: "Fetch JSON with a bearer token",
      yaml: 'uses: http\nwith:\n  url: "https://api.example.com/sales"\n  query: { day: "{{ inputs.day }}" }\n  headers: { Authorization: "Bearer {{ secrets.SALES_TOKEN }}" }',
    },
    {
      title: "Post a JSON body, accepting 409 as already done",
      yaml: 'uses: http\nwith:\n  url: "https://hooks.example.com/alert"\n  method: POST\n  body: { text: "sales run {{ run.id }} failed" }\n  accept: ["2xx", 409]',
    },
  ],
  async run(ctx: StepContext<HttpInput>): Promise<HttpOutput> {
    const input = ctx.input;
    const url = buildUrl(input);
    const method = (input.method ?? "GET").toUpperCase();
    const timeoutMs = parseDuration(input.timeout ?? DEFAULT_TIMEOUT);
    const headers = new Headers(input.headers);
    if (!headers.has("idempotency-key")) headers.set("idempotency-key", ctx.idempotencyKey);
    const body = encodeBody(input.body, method, headers);

    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]);
    const started = Date.now();
    let res: Response;
    let bytes: Buffer;
    try {
      res = await fetch(url, { method, headers, body, signal, redirect: "follow" });
      bytes = await readBody(res, input.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    } catch (err) {
      throw requestFailure(err, ctx.signal, method, url, input.timeout ?? DEFAULT_TIMEOUT);
    }
    const responseBody = method === "HEAD" ? null : decodeBody(bytes, res.headers.get("content-type"));
    ctx.log.info(`${method} ${url.origin}${url.pathname} → ${res.status} in ${Date.now() - started}ms`);

    if (!isAccepted(res.status, input.accept ?? ["2xx"])) {
      const message = `http: ${method} ${url.origin}${url.pathname} returned ${res.status}: ${excerpt(responseBody)}`;
      if (res.status === 429 || res.status >= 500) {
        const after = retryAfterMs(res.headers.get("retry-after"));
        throw new RetryableError(message, {
          code: "WEFT_HTTP_STATUS",
          ...(after === undefined ? {} : { retryAfterMs: after }),
        });
      }
      throw new NonRetryableError(message, { code: "WEFT_HTTP_STATUS" });
    }
    return { status: res.status, headers: Object.fromEntries(res.headers), body: responseBody };
  },
  dryRun({ input }) {
    return `would send: ${(input.method ?? "GET").toUpperCase()} ${input.url}`;
  },
});

function buildUrl(input: HttpInput): URL {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw new NonRetryableError(`http: "${input.url}" is not a valid absolute URL`, {
      code: "WEFT_HTTP_URL_INVALID",
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new NonRetryableError(`http: only http and https URLs are allowed, not ${url.protocol}`, {
      code: "WEFT_HTTP_URL_INVALID",
    });
  }
  for (const [name, value] of Object.entries(input.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
  }
  return url;
}

function encodeBody(body: unknown, method: string, headers: Headers): string | undefined {
  if (body === undefined) return undefined;
  if (method === "GET" || method === "HEAD") {
    throw new NonRetryableError(`http: a ${method} request cannot have a body; use POST, PUT or PATCH`, {
      code: "WEFT_HTTP_BODY_NOT_ALLOWED",
    });
  }
  if (typeof body === "string") {
    if (!headers.has("content-type")) headers.set("content-type", "text/plain; charset=utf-8");
    return body;
  }
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  return JSON.stringify(body);
}

function requestFailure(
  err: unknown,
  stepSignal: AbortSignal,
  method: string,
  url: URL,
  timeout: string,
): Error {
  if (stepSignal.aborted)
    return stepSignal.reason instanceof Error ? stepSignal.reason : new Error("http: aborted");
  if (err instanceof NonRetryableError) return err;
  const name = (err as { name?: unknown })?.name;
  const where = `${method} ${url.origin}${url.pathname}`;
  if (name === "TimeoutError")
    return new RetryableError(`http: ${where} timed out after ${timeout}`, { code: "WEFT_HTTP_TIMEOUT" });
  const cause = (err as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
  return new RetryableError(`http: ${where} failed: ${String(detail)}`, {
    code: "WEFT_HTTP_NETWORK",
    cause: err,
  });
}
