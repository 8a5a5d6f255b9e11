/** The instant reviews compute from: WEFT_NOW when set (tests, reproducible samples), else now. */
import { ReviewError } from "./errors.js";

export function reviewNow(env: Record<string, string | undefined>): Date {
  const value = env.WEFT_NOW;
  if (value === undefined || value === "") return new Date();
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw ReviewError.badNow({ value });
  return new Date(ms);
}
