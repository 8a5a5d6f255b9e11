import { describe, expect, it } from "vitest";
import { compileYaml, summarize } from "./helpers.js";

const NOW = new Date("2024-03-30T12:00:00Z");

describe("compileWorkflow: triggers", () => {
  it("computes the next three fires in the schedule's time zone, across a DST change", () => {
    const { plan, diagnostics } = compileYaml(
      `name: nightly
on:
  schedule:
    - cron: "0 2 * * *"
      timezone: Europe/Berlin
    - cron: "30 6 * * 1"
  webhook: { secret: HOOK_SECRET }
  manual: {}
steps:
  a:
    uses: log
    with: { message: hi }
`,
      { now: NOW },
    );
    expect(diagnostics).toEqual([]);
    // 2024-03-31 is the spring-forward day in Berlin: 02:00 does not exist, croner fires at 03:00 CEST.
    expect(plan?.triggers.map(({ location: _l, ...t }) => t)).toEqual([
      {
        kind: "schedule",
        cron: "0 2 * * *",
        timezone: "Europe/Berlin",
        catchup: "none",
        nextFires: ["2024-03-31T03:00:00+02:00", "2024-04-01T02:00:00+02:00", "2024-04-02T02:00:00+02:00"],
      },
      {
        kind: "schedule",
        cron: "30 6 * * 1",
        timezone: "UTC",
        catchup: "none",
        nextFires: ["2024-04-01T06:30:00Z", "2024-04-08T06:30:00Z", "2024-04-15T06:30:00Z"],
      },
      { kind: "webhook", secret: "HOOK_SECRET" },
      { kind: "manual" },
    ]);
    expect(plan?.triggers[0]?.location).toEqual({ file: "wf.yaml", line: 4, col: 7 });
  });

  it("reports an invalid cron expression at its position", () => {
    const result = compileYaml(
      `name: bad-cron
on:
  schedule:
    - cron: "61 2 * * *"
steps:
  a:
    uses: log
    with: { message: hi }
`,
      { now: NOW },
    );
    expect(summarize(result)).toEqual([
      'WEFT_COMPILE_BAD_CRON 4:13 cron expression "61 2 * * *" is invalid: Invalid value for minute: 61. Use five fields: minute hour day-of-month month day-of-week',
    ]);
  });
});
