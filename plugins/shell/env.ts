import type { StepContext } from "../../src/plugin/index.js";

/**
 * Inherited from the engine's environment; everything else (tokens, WEFT_SECRET_*, cloud
 * credentials) must be passed explicitly through `env`, so a step sees only what it names.
 */
export const INHERITED_ENV = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER"] as const;

const FALLBACK_PATH = "/usr/local/bin:/usr/bin:/bin";

export function buildEnv(ctx: StepContext, env: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const value = process.env[name];
    if (value !== undefined) out[name] = value;
  }
  out.PATH ??= FALLBACK_PATH;
  Object.assign(out, env);
  // Set last so a workflow cannot spoof the identity its scripts use for idempotency.
  out.WEFT_IDEMPOTENCY_KEY = ctx.idempotencyKey;
  out.WEFT_RUN_ID = ctx.run.id;
  out.WEFT_STEP_ID = ctx.step.id;
  out.WEFT_ATTEMPT = String(ctx.attempt);
  return out;
}
