import { describe, expect, it } from "vitest";
import { zoneTransitions } from "../../src/review/dst.js";
import { lintYaml } from "./helpers.js";

const wf = (cron: string, timezone?: string) => `name: w
on:
  schedule:
    - cron: "${cron}"${timezone ? `\n      timezone: ${timezone}` : ""}
steps:
  say:
    uses: log
    with:
      message: hi
`;

const messages = (cron: string, timezone?: string) =>
  lintYaml(wf(cron, timezone)).map((f) => `${f.code}: ${f.message}`);

describe("zoneTransitions", () => {
  it("finds Berlin's two changes of 2026 to the second", () => {
    const found = zoneTransitions(
      "Europe/Berlin",
      new Date("2026-01-01T00:00:00Z"),
      new Date("2027-01-01T00:00:00Z"),
    );
    expect(found.map((t) => [t.at.toISOString(), t.offsetBefore, t.offsetAfter])).toEqual([
      ["2026-03-29T01:00:00.000Z", 60, 120],
      ["2026-10-25T01:00:00.000Z", 120, 60],
    ]);
  });
});

describe("cron-dst", () => {
  it("warns about 02:30 in Berlin, which is skipped in March and repeated in October", () => {
    expect(messages("30 2 * * *", "Europe/Berlin")).toEqual([
      "cron-dst: `30 2 * * *` in Europe/Berlin names 02:30 on 2026-03-29, which does not exist there (clocks jump from 02:00 to 03:00); it fires at 2026-03-29T03:00:00+02:00 instead",
      "cron-dst: `30 2 * * *` in Europe/Berlin names 02:30 on 2026-10-25, which happens twice there (clocks go back from 03:00 to 02:00); it fires once in the repeated hour",
    ]);
  });

  it("handles a half-hour change (Lord Howe Island) and a weekly pattern (New York, Sundays)", () => {
    expect(messages("15 2 * * *", "Australia/Lord_Howe")[0]).toContain(
      "names 02:15 on 2026-10-04, which does not exist there (clocks jump from 02:00 to 02:30)",
    );
    expect(messages("30 1 * * 0", "America/New_York")).toEqual([
      "cron-dst: `30 1 * * 0` in America/New_York names 01:30 on 2026-11-01, which happens twice there (clocks go back from 02:00 to 01:00); it fires once in the repeated hour",
    ]);
  });

  it("is quiet for times clear of the change, for UTC, and for zones without DST", () => {
    expect(messages("0 12 * * *", "Europe/Berlin")).toEqual([]);
    expect(messages("30 2 * * *")).toEqual([]);
    expect(messages("30 2 * * *", "Asia/Tokyo")).toEqual([]);
    expect(messages("30 2 * * 1", "Europe/Berlin")).toEqual([]); // the changes fall on Sundays
  });
});

describe("cron-too-frequent", () => {
  it("warns about a seconds pattern firing more than once a minute", () => {
    expect(messages("*/10 * * * * *")).toEqual([
      "cron-too-frequent: `*/10 * * * * *` fires every 10s: each fire starts a recorded run",
    ]);
  });

  it("accepts once a minute, with or without a seconds field", () => {
    expect(messages("* * * * *")).toEqual([]);
    expect(messages("0 * * * * *")).toEqual([]);
  });
});
