/** Coded problems of the configuration. Each message says where the value came from and what to do. */
import { defineError, type WeftError } from "../errors.js";
import type { Diagnostic } from "../spec/types.js";

export const configInvalid = defineError("WEFT_CONFIG_INVALID", "the configuration is invalid:\n{details}");
export const configNotFound = defineError(
  "WEFT_CONFIG_NOT_FOUND",
  "config file {file} (from {from}) does not exist; fix the path or remove {from}",
);
export const configUnreadable = defineError(
  "WEFT_CONFIG_UNREADABLE",
  "cannot read config file {file}: {reason}",
);
export const tokenRequired = defineError(
  "WEFT_CONFIG_TOKEN_REQUIRED",
  "refusing to listen on {host} without an API token: anyone who can reach it could start runs. " +
    "Set WEFT_API_TOKEN (e.g. `export WEFT_API_TOKEN=$(openssl rand -hex 32)`) or `apiTokens` in " +
    "weft.config.yaml, or listen on 127.0.0.1",
);

/** A WEFT_CONFIG_INVALID error with the positioned problems of the config file attached. */
export type ConfigError = WeftError & { diagnostics: Diagnostic[] };

export function isConfigError(err: unknown): err is ConfigError {
  return (
    err instanceof Error &&
    (err as { code?: unknown }).code === "WEFT_CONFIG_INVALID" &&
    Array.isArray((err as { diagnostics?: unknown }).diagnostics)
  );
}
