/**
 * step-no-timeout: a step with no `timeout` in a workflow with no `defaults.timeout` gets the
 * engine's one-hour default, so a hung command holds its run (and a concurrency slot) that
 * long. http steps are left to http-no-timeout; log steps cannot hang.
 */
import { DEFAULT_TIMEOUT_MS } from "../../compile/defaults.js";
import { formatDuration } from "../../spec/duration.js";
import { findingAt } from "../finding.js";
import { stepEntries } from "../template-sites.js";
import type { Finding, LintContext, LintRule } from "../types.js";

const ID = "step-no-timeout";
/** Types whose run time is bounded by their own input (log returns at once, sleep waits its duration). */
const BOUNDED = new Set(["http", "log", "sleep"]);

export const stepNoTimeout: LintRule = {
  id: ID,
  severity: "warning",
  summary:
    "a step without `timeout` in a workflow without `defaults.timeout` (`http`, `log` and `sleep` excepted)",
  check(ctx: LintContext): Finding[] {
    if (ctx.spec.defaults?.timeout !== undefined) return [];
    const fallback = formatDuration(DEFAULT_TIMEOUT_MS);
    const findings: Finding[] = [];
    for (const [group, id, step] of stepEntries(ctx.spec)) {
      if (BOUNDED.has(step.uses) || step.timeout !== undefined) continue;
      findings.push(
        findingAt(ctx.doc, [group, id], {
          code: ID,
          severity: "warning",
          message: `step \`${id}\` (${step.uses}) has no timeout and the workflow sets no default: a hung attempt runs for ${fallback}`,
          hint: "add `timeout:` to the step (e.g. `timeout: 5m`) or `defaults: { timeout: … }` to the workflow",
          stepId: id,
          atKey: true,
        }),
      );
    }
    return findings;
  },
};
