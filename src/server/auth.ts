/**
 * Bearer-token auth for `/api/*`. Tokens are compared as SHA-256 digests with
 * `timingSafeEqual`, so neither the content nor the length of a configured token leaks
 * through response timing; every configured token is checked, whichever matches first.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { apiErrors, sendError } from "./errors.js";

const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

export function tokenMatcher(tokens: ReadonlyArray<string>): (presented: string) => boolean {
  const known = tokens.filter((t) => t.length > 0).map(digest);
  return (presented) => {
    const d = digest(presented);
    let ok = false;
    for (const k of known) ok = timingSafeEqual(d, k) || ok;
    return ok;
  };
}

/**
 * Requires a valid bearer token on every request under /api. With no token configured the
 * API is open, which `assertSafeBind` (src/config) allows on loopback addresses only.
 */
export function installAuth(app: FastifyInstance, tokens: ReadonlyArray<string>): void {
  if (tokens.filter((t) => t.length > 0).length === 0) return;
  const matches = tokenMatcher(tokens);
  app.addHook("onRequest", async (req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    if (path !== "/api" && !path.startsWith("/api/")) return;
    const header = req.headers.authorization ?? "";
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m || !matches(m[1]!)) {
      reply.header("www-authenticate", 'Bearer realm="weft"');
      return sendError(reply, apiErrors.unauthorized());
    }
  });
}
