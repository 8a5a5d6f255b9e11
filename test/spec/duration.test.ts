import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DurationError, formatDuration, MAX_DURATION_MS, parseDuration } from "../../src/spec/duration.js";

describe("parseDuration", () => {
  test.each([
    ["250ms", 250],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["2d", 172_800_000],
    ["1h0m5s10ms", 3_605_010],
    ["0s", 0],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each([
    ["", /empty/],
    ["30", /add a unit, e.g. "30s"/],
    ["5 minutes", /expected a whole number and a unit .* at "5 minutes"/],
    ["1.5h", /at "1.5h"/],
    ["30m1h", /largest to smallest/],
    ["1m1m", /largest to smallest/],
    ["-5s", /expected a whole number/],
    ["99999999999d", /limited to 10 years/],
  ])("refuses %j with a message saying why", (text, reason) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(reason);
  });

  test("formatDuration is the inverse of parseDuration", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_DURATION_MS }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
    expect(formatDuration(5_400_000)).toBe("1h30m");
  });
});
