/**
 * What the server checks before listening, and what is safe to log. API tokens never appear
 * in logs; neither does a password written into the repository URL.
 */
import { isIP } from "node:net";
import { tokenRequired } from "./errors.js";
import type { WeftConfig } from "./types.js";

export const REDACTED = "***";

export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (h.startsWith("::ffff:")) return isIP(h.slice(7)) === 4 && h.slice(7).startsWith("127.");
  return h === "::1" || h === "0:0:0:0:0:0:0:1";
}

/** Throws WEFT_CONFIG_TOKEN_REQUIRED when the server would listen off loopback without a token. */
export function assertSafeBind(config: Pick<WeftConfig, "host" | "apiTokens">): void {
  if (!isLoopback(config.host) && config.apiTokens.length === 0) throw tokenRequired({ host: config.host });
}

/** A copy fit for the start-up log: tokens masked, URL credentials removed. */
export function redactConfig(config: WeftConfig): WeftConfig {
  return {
    ...config,
    repo: redactUrlPassword(config.repo),
    store: redactUrlPassword(config.store),
    apiTokens: config.apiTokens.map(() => REDACTED),
    plugins: [...config.plugins],
  };
}

function redactUrlPassword(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const url = new URL(value);
    // Over http(s) a lone user name is often a token (`https://<token>@host/…`).
    const userIsSecret = /^https?:$/.test(url.protocol) && url.username !== "" && url.password === "";
    if (url.password === "" && !userIsSecret) return value;
    if (url.password !== "") url.password = REDACTED;
    if (userIsSecret) url.username = REDACTED;
    return url.toString();
  } catch {
    return value;
  }
}
