import { NonRetryableError } from "../../src/plugin/index.js";

/** True when `status` matches one of the accepted codes or classes ("2xx"). */
export function isAccepted(status: number, accept: Array<number | string>): boolean {
  return accept.some((rule) => {
    const text = String(rule);
    if (/^[1-5]xx$/.test(text)) return Math.floor(status / 100) === Number(text[0]);
    return Number(text) === status;
  });
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or bad. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Reads at most `limit` bytes; a larger body is refused rather than cut (a cut JSON is useless). */
export async function readBody(res: Response, limit: number): Promise<Buffer> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel();
    throw tooLarge(limit);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): NonRetryableError {
  return new NonRetryableError(
    `http: the response body is larger than maxBodyBytes (${limit}); raise maxBodyBytes`,
    {
      code: "WEFT_HTTP_BODY_TOO_LARGE",
    },
  );
}

/** JSON bodies (application/json, *+json) parsed; other bodies as text; empty as null. */
export function decodeBody(bytes: Buffer, contentType: string | null): unknown {
  if (bytes.length === 0) return null;
  const text = bytes.toString("utf8");
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json" || type.endsWith("+json")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export function excerpt(body: unknown): string {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  if (!text) return "(empty body)";
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
