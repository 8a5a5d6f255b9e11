import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signBody, verifySignature } from "../../src/trigger/signature.js";

const SECRET = "hook-secret-0123456789";
const body = Buffer.from('{"action":"opened","number":7}');
const good = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;

describe("webhook signatures (HMAC-SHA256 over the raw bytes)", () => {
  it("accepts the GitHub-style header for the exact bytes, in either hex case", () => {
    expect(signBody(body, SECRET)).toBe(good);
    expect(verifySignature(body, good, SECRET)).toEqual({ ok: true });
    expect(verifySignature(body, `sha256=${good.slice(7).toUpperCase()}`, SECRET)).toEqual({ ok: true });
  });

  it("reports a missing header", () => {
    expect(verifySignature(body, undefined, SECRET)).toEqual({ ok: false, reason: "missing" });
    expect(verifySignature(body, "  ", SECRET)).toEqual({ ok: false, reason: "missing" });
  });

  it("reports malformed headers without comparing anything", () => {
    for (const header of [
      good.slice(7), // no scheme
      `sha1=${createHmac("sha1", SECRET).update(body).digest("hex")}`,
      `sha256=${good.slice(7, 70)}`, // too short
      `sha256=${good.slice(7)}00`, // too long
      `sha256=${"z".repeat(64)}`,
      `${good},${good}`,
    ]) {
      expect(verifySignature(body, header, SECRET)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("rejects another secret, a changed byte, and the same JSON re-serialised", () => {
    expect(verifySignature(body, signBody(body, "another-secret-value"), SECRET).ok).toBe(false);
    const changed = Buffer.from(body);
    changed[changed.length - 2] = "8".charCodeAt(0);
    expect(verifySignature(changed, good, SECRET)).toEqual({ ok: false, reason: "mismatch" });
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    expect(JSON.parse(reserialised.toString())).toEqual(JSON.parse(body.toString()));
    expect(verifySignature(reserialised, good, SECRET)).toEqual({ ok: false, reason: "mismatch" });
  });
});
