import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRedactor, MIN_SECRET_LENGTH, secretForms } from "../../src/observe/redact.js";

const SECRET = 's3cr3t/p@ss+wörd=?&"x';
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const b64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

describe("redactText", () => {
  const r = createRedactor([SECRET, "other-token-1234"]);

  it("masks the raw value wherever it appears", () => {
    expect(r.redactText(`token=${SECRET} and again ${SECRET}`)).toBe("token=*** and again ***");
    expect(r.redactText("nothing here")).toBe("nothing here");
  });

  it.each([
    ["base64", b64(SECRET)],
    ["base64 without padding", b64(SECRET).replace(/=+$/, "")],
    ["base64url", b64url(SECRET)],
    ["URL-encoded", encodeURIComponent(SECRET)],
    ["form-encoded", new URLSearchParams({ q: SECRET }).toString().slice(2)],
    ["JSON-escaped", JSON.stringify(SECRET).slice(1, -1)],
    ["ASCII-only JSON", 's3cr3t/p@ss+w\\u00f6rd=?&\\"x'],
  ])("masks the %s form", (_label, form) => {
    expect(form).not.toBe(SECRET);
    const out = r.redactText(`before ${form} after`);
    expect(out).toBe("before *** after");
  });

  it("masks a secret inside a URL query", () => {
    const url = `https://api.example/cb?user=bob&key=${encodeURIComponent(SECRET)}&x=1`;
    expect(r.redactText(url)).toBe("https://api.example/cb?user=bob&key=***&x=1");
  });

  it("masks a secret base64-encoded at any offset inside a larger payload", () => {
    for (const prefix of ["", "u:", "usr:", "user:"]) {
      const header = `Basic ${b64(`${prefix}${SECRET}`)}`;
      const out = r.redactText(header);
      expect(out, prefix).toContain("***");
      // What is left visible cannot be decoded back into the secret.
      expect(
        Buffer.from(out.replace("Basic ", "").replace("***", ""), "base64").toString("utf8"),
      ).not.toContain(SECRET.slice(2, -2));
    }
  });

  it("masks overlapping secrets completely", () => {
    const o = createRedactor(["abcdef", "defghi"]);
    expect(o.redactText("xxabcdefghixx")).toBe("xx***xx");
  });

  it("prefers the longest secret when one contains another", () => {
    const o = createRedactor({ SHORT: "pass", LONG: "password123" });
    expect(o.redactText("password123 pass")).toBe("[REDACTED:LONG] [REDACTED:SHORT]");
  });

  it("ignores empty and very short values", () => {
    const o = createRedactor(["", "ab", "x".repeat(MIN_SECRET_LENGTH - 1)]);
    expect(o.redactText("ab xxx")).toBe("ab xxx");
  });

  it("treats regex metacharacters in secrets literally", () => {
    const o = createRedactor(["a.b*c(d)[e]|f$^\\"]);
    expect(o.redactText("aXbbbcd a.b*c(d)[e]|f$^\\")).toBe("aXbbbcd ***");
  });

  it("stays fast with many secrets and long text", () => {
    const secrets = Array.from({ length: 500 }, (_, i) => `secret-value-${i}-${"k".repeat(i % 20)}`);
    const o = createRedactor(secrets);
    const text = `${"lorem ipsum ".repeat(50_000)}${secrets[250]}`;
    const start = performance.now();
    expect(o.redactText(text).endsWith("***")).toBe(true);
    expect(performance.now() - start).toBeLessThan(2_000);
  });

  it("never leaves the raw secret in the output (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: MIN_SECRET_LENGTH }), fc.string(), fc.string(), (secret, a, b) => {
        const out = createRedactor([secret]).redactText(a + secret + b);
        expect(out).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });
});

describe("redactValue", () => {
  const r = createRedactor({ API_TOKEN: SECRET });

  it("redacts strings deep in objects and arrays, keeping keys and non-strings", () => {
    const value = {
      headers: { authorization: `Bearer ${SECRET}`, [SECRET]: "key stays" },
      list: [1, true, null, [`x${b64(SECRET)}x`]],
      nested: { deeper: { url: `https://h/?t=${encodeURIComponent(SECRET)}` } },
    };
    const out = r.redactValue(value);
    expect(out).toEqual({
      headers: { authorization: "Bearer [REDACTED:API_TOKEN]", [SECRET]: "key stays" },
      list: [1, true, null, ["x[REDACTED:API_TOKEN]x"]],
      nested: { deeper: { url: "https://h/?t=[REDACTED:API_TOKEN]" } },
    });
    expect(value.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(out.headers).not.toBe(value.headers);
  });

  it("copies cyclic structures without looping", () => {
    const a: Record<string, unknown> = { s: SECRET };
    a.self = a;
    const out = r.redactValue(a) as Record<string, unknown>;
    expect(out.s).toBe("[REDACTED:API_TOKEN]");
    expect(out.self).toBe(out);
  });

  it("turns Error instances into redacted plain data", () => {
    const out = r.redactValue({ err: new Error(`failed with ${SECRET}`) });
    expect(out.err).not.toBeInstanceOf(Error);
    expect(out.err.message).toBe("failed with [REDACTED:API_TOKEN]");
    expect(String(out.err.stack)).not.toContain(SECRET);
  });

  it("redacts error data including causes", () => {
    const out = r.redactErrorData({
      code: "WEFT_STEP_ERROR",
      name: "Error",
      message: `HTTP 401 for token ${SECRET}`,
      cause: { code: "X", name: "Error", message: `inner ${b64(SECRET)}` },
    });
    expect(out.message).toBe("HTTP 401 for token [REDACTED:API_TOKEN]");
    expect(out.cause?.message).toBe("inner [REDACTED:API_TOKEN]");
    expect(out.code).toBe("WEFT_STEP_ERROR");
  });

  it("is a plain copy when there are no secrets", () => {
    const none = createRedactor([]);
    const v = { a: ["x"] };
    expect(none.redactValue(v)).toEqual(v);
    expect(none.redactValue(v)).not.toBe(v);
    expect(none.redactText("abc")).toBe("abc");
  });
});

describe("secretForms", () => {
  it("lists the raw value and its encodings without duplicates", () => {
    const forms = secretForms("plainvalue");
    expect(forms[0]).toBe("plainvalue");
    expect(new Set(forms).size).toBe(forms.length);
    expect(forms).toContain(b64("plainvalue"));
  });
});
