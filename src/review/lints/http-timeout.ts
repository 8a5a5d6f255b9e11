/**
 * http-no-timeout: an http step that says nothing about how long it may take. The request
 * then falls back on the plugin's 30s and the step on the engine's one hour, numbers nobody
 * chose for this API; a reviewer should see the expectation written down.
 */
import { findingAt } from "../finding.js";
import { stepEntries } from "../template-sites.js";
import type { Finding, LintContext, LintRule } from "../types.js";

const ID = "http-no-timeout";

export const httpNoTimeout: LintRule = {
  id: ID,
  severity: "warning",
  summary: "an `http` step with no `with.timeout`, no step `timeout` and no workflow `defaults.timeout`",
  check(ctx: LintContext): Finding[] {
    if (ctx.spec.defaults?.timeout !== undefined) return [];
    const findings: Finding[] = [];
    for (const [group, id, step] of stepEntries(ctx.spec)) {
      if (step.uses !== "http" || step.timeout !== undefined || step.with?.timeout !== undefined) continue;
      findings.push(
        findingAt(ctx.doc, [group, id], {
          code: ID,
          severity: "warning",
          message: `http step \`${id}\` has no timeout: each request may wait the plugin's default 30s and the step up to the engine's 1h`,
          hint: "set `with.timeout` (per request, e.g. 10s) and/or the step's `timeout`, or `defaults.timeout` for the workflow",
          stepId: id,
          atKey: true,
        }),
      );
    }
    return findings;
  },
};
