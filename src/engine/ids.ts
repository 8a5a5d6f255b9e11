import { randomBytes } from "node:crypto";

/** Run ids sort by creation time and are safe in URLs and file names: `r` + time + random. */
export function newRunId(now: number = Date.now()): string {
  return `r${now.toString(36).padStart(9, "0")}${randomBytes(5).toString("hex")}`;
}
