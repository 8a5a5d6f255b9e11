/**
 * Triggers resolved at compile time. Each schedule is checked with croner and gets its next
 * fire times, written in the schedule's own time zone so a reader sees local wall-clock time.
 */
import { Cron } from "croner";
import type { Diagnostic, LoadedDocument, WorkflowSpec } from "../spec/types.js";
import { NEXT_FIRES_SHOWN } from "./defaults.js";
import { badCron, badTimezone } from "./errors.js";
import { diagnosticAt, locationOf } from "./report.js";
import type { CompiledTrigger } from "./types.js";
import { offsetMinutes, wallMs } from "./zone.js";

export function compileTriggers(
  spec: WorkflowSpec,
  doc: LoadedDocument,
  now: Date,
  diagnostics: Diagnostic[],
): CompiledTrigger[] {
  const triggers: CompiledTrigger[] = [];
  const on = spec.on ?? {};
  (on.schedule ?? []).forEach((schedule, i) => {
    const at = ["on", "schedule", i];
    const timezone = schedule.timezone ?? "UTC";
    const trigger: CompiledTrigger = {
      kind: "schedule",
      cron: schedule.cron,
      timezone,
      catchup: schedule.catchup ?? "none",
      location: locationOf(doc, at),
    };
    if (!isTimeZone(timezone)) {
      diagnostics.push(diagnosticAt(doc, [...at, "timezone"], badTimezone({ timezone })));
    } else {
      try {
        const cron = new Cron(schedule.cron, { timezone, paused: true });
        trigger.nextFires = cron.nextRuns(NEXT_FIRES_SHOWN, now).map((d) => formatInZone(d, timezone));
      } catch (err) {
        const reason = err instanceof Error ? err.message.replace(/^CronPattern:\s*/, "") : String(err);
        diagnostics.push(diagnosticAt(doc, [...at, "cron"], badCron({ cron: schedule.cron, reason })));
      }
    }
    triggers.push(trigger);
  });
  if (on.webhook) {
    triggers.push({
      kind: "webhook",
      secret: on.webhook.secret,
      ...(on.webhook.deliveryHeader ? { deliveryHeader: on.webhook.deliveryHeader } : {}),
      location: locationOf(doc, ["on", "webhook"]),
    });
  }
  if (on.manual) triggers.push({ kind: "manual", location: locationOf(doc, ["on", "manual"]) });
  return triggers;
}

const zoneCache = new Map<string, boolean>();

export function isTimeZone(name: string): boolean {
  let ok = zoneCache.get(name);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: name });
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(name, ok);
  }
  return ok;
}

/** ISO 8601 with the zone's UTC offset at that instant, e.g. `2024-03-31T02:00:00+02:00`. */
export function formatInZone(date: Date, timeZone: string): string {
  const whole = Math.floor(date.getTime() / 1000) * 1000;
  const wall = new Date(wallMs(whole, timeZone)).toISOString().slice(0, 19);
  const offsetMin = offsetMinutes(whole, timeZone);
  if (offsetMin === 0) return timeZone === "UTC" || timeZone === "Etc/UTC" ? `${wall}Z` : `${wall}+00:00`;
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
