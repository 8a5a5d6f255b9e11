/**
 * Webhook signatures in the GitHub style: `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256
 * of the exact raw request bytes. The body must never be parsed and re-serialised before this
 * check: the same JSON object written with other spacing or key order has other bytes.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-hub-signature-256";

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing" | "malformed" | "mismatch" };

const FORMAT = /^sha256=([0-9a-fA-F]{64})$/;

export function signBody(rawBody: Buffer, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

export function verifySignature(rawBody: Buffer, header: string | undefined, secret: string): SignatureCheck {
  if (header === undefined || header.trim() === "") return { ok: false, reason: "missing" };
  const hex = FORMAT.exec(header.trim())?.[1];
  if (hex === undefined) return { ok: false, reason: "malformed" };
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(hex, "hex");
  // Both are 32 bytes here (the pattern fixes the length), as timingSafeEqual requires.
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { ok: true }
    : { ok: false, reason: "mismatch" };
}
