/**
 * secret-not-provided: a secret the workflow reads that the configured provider does not
 * hold. The provider is the environment (`WEFT_SECRET_<NAME>`, see src/engine/secrets.ts), so
 * this is a warning: CI often runs without the production secrets.
 */
import { SECRET_ENV_PREFIX } from "../../engine/secrets.js";
import { findingAt } from "../finding.js";
import { templateSites } from "../template-sites.js";
import type { Finding, LintContext, LintRule } from "../types.js";

const ID = "secret-not-provided";

export const secretNotProvided: LintRule = {
  id: ID,
  severity: "warning",
  summary:
    "a secret referenced in a template or as the webhook secret that the secret provider does not hold",
  check(ctx: LintContext): Finding[] {
    const provided = (name: string) => {
      const value = ctx.env[`${SECRET_ENV_PREFIX}${name}`];
      return value !== undefined && value !== "";
    };
    const findings: Finding[] = [];
    const report = (name: string, path: Array<string | number>, stepId?: string) => {
      const f = findingAt(ctx.doc, path, {
        code: ID,
        severity: "warning",
        message: `secret \`${name}\` is not provided: the environment has no ${SECRET_ENV_PREFIX}${name}`,
        hint: `set ${SECRET_ENV_PREFIX}${name} where Weft runs, or check the name for a typo`,
        ...(stepId === undefined ? {} : { stepId }),
      });
      findings.push(f);
    };
    const webhook = ctx.spec.on?.webhook?.secret;
    if (webhook !== undefined && !provided(webhook)) report(webhook, ["on", "webhook", "secret"]);
    for (const site of templateSites(ctx.spec, ctx.types)) {
      const names = new Set<string>();
      for (const ref of site.refs)
        if (ref.root === "secrets" && ref.path[0] !== undefined) names.add(ref.path[0]);
      for (const name of [...names].sort()) if (!provided(name)) report(name, [...site.path], site.stepId);
    }
    return findings;
  },
};
