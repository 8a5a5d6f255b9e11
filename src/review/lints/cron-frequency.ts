/**
 * cron-too-frequent: a six-field (seconds) pattern that fires more often than once a minute.
 * Each fire is a durable run with its own rows; sub-minute schedules are usually a mistake
 * (`* * * * * *` meant as five fields) and flood the store.
 */
import { Cron } from "croner";
import { formatDuration } from "../../spec/duration.js";
import { findingAt } from "../finding.js";
import type { Finding, LintContext, LintRule } from "../types.js";

const ID = "cron-too-frequent";
const SAMPLE = 12;

export const cronTooFrequent: LintRule = {
  id: ID,
  severity: "warning",
  summary: "a schedule that fires more often than once a minute",
  check(ctx: LintContext): Finding[] {
    const findings: Finding[] = [];
    (ctx.spec.on?.schedule ?? []).forEach((schedule, i) => {
      let runs: Date[];
      try {
        runs = new Cron(schedule.cron, { timezone: schedule.timezone ?? "UTC", paused: true }).nextRuns(
          SAMPLE,
          ctx.now,
        );
      } catch {
        return;
      }
      let least = Number.POSITIVE_INFINITY;
      for (let k = 1; k < runs.length; k++) {
        least = Math.min(least, (runs[k] as Date).getTime() - (runs[k - 1] as Date).getTime());
      }
      if (least >= 60_000) return;
      findings.push(
        findingAt(ctx.doc, ["on", "schedule", i, "cron"], {
          code: ID,
          severity: "warning",
          message: `\`${schedule.cron}\` fires every ${formatDuration(least)}: each fire starts a recorded run`,
          hint: "use five fields (minute hour day month weekday) to fire at most once a minute",
        }),
      );
    });
    return findings;
  },
};
