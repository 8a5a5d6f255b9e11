/**
 * cron-dst: a schedule whose wall-clock time falls into a daylight-saving change of its time
 * zone within the next year: a time that does not exist (spring forward) or that happens
 * twice (fall back). The message says what the scheduler (croner) does on that day.
 */
import { Cron } from "croner";
import { formatInZone } from "../../compile/triggers.js";
import { wallClock, wallDate, zoneTransitions } from "../dst.js";
import { findingAt } from "../finding.js";
import type { Finding, LintContext, LintRule } from "../types.js";

const ID = "cron-dst";
const YEAR_MS = 366 * 24 * 3_600_000;

export const cronDst: LintRule = {
  id: ID,
  severity: "warning",
  summary:
    "a schedule that fires at a local time skipped or repeated by a daylight-saving change in the next year",
  check(ctx: LintContext): Finding[] {
    const findings: Finding[] = [];
    (ctx.spec.on?.schedule ?? []).forEach((schedule, i) => {
      const zone = schedule.timezone ?? "UTC";
      if (zone === "UTC" || zone.startsWith("Etc/")) return;
      let local: Cron;
      let wall: Cron;
      try {
        local = new Cron(schedule.cron, { timezone: zone, paused: true });
        wall = new Cron(schedule.cron, { timezone: "UTC", paused: true });
      } catch {
        return; // compile reported the bad pattern
      }
      const reported = new Set<"gap" | "overlap">();
      const end = new Date(ctx.now.getTime() + YEAR_MS);
      for (const t of zoneTransitions(zone, ctx.now, end)) {
        const kind = t.offsetAfter > t.offsetBefore ? "gap" : "overlap";
        if (reported.has(kind)) continue;
        const at = t.at.getTime();
        const fromWall = at + Math.min(t.offsetBefore, t.offsetAfter) * 60_000;
        const toWall = at + Math.max(t.offsetBefore, t.offsetAfter) * 60_000;
        const hit = wall.nextRun(new Date(fromWall - 1000));
        if (!hit || hit.getTime() >= toWall) continue;
        reported.add(kind);
        const named = `${wallClock(hit.getTime())} on ${wallDate(hit.getTime())}`;
        const range = `${wallClock(fromWall)}–${wallClock(toWall)}`;
        let message: string;
        if (kind === "gap") {
          const actual = local.nextRun(new Date(at - 1000));
          const instead = actual ? `; it fires at ${formatInZone(actual, zone)} instead` : "";
          message = `\`${schedule.cron}\` in ${zone} names ${named}, which does not exist there (clocks jump from ${wallClock(fromWall)} to ${wallClock(toWall)})${instead}`;
        } else {
          const span = toWall - fromWall;
          const fires = local.nextRuns(20, new Date(at - span - 1000)).filter((d) => d.getTime() < at + span);
          message = `\`${schedule.cron}\` in ${zone} names ${named}, which happens twice there (clocks go back from ${wallClock(toWall)} to ${wallClock(fromWall)}); it fires ${fires.length === 1 ? "once" : `${fires.length} times`} in the repeated hour`;
        }
        findings.push(
          findingAt(ctx.doc, ["on", "schedule", i, "cron"], {
            code: ID,
            severity: "warning",
            message,
            hint: `pick a time outside ${range} local time, or set \`timezone: UTC\``,
          }),
        );
      }
    });
    return findings;
  },
};
