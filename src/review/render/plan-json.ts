/** The documented, versioned JSON of `weft plan --format json` (see docs/pull-requests.md). */
import type { PlanReport } from "../types.js";
import { findingJson } from "./findings.js";
import { stableJson } from "./json.js";

export function planJson(r: PlanReport): string {
  return `${stableJson({ ...r, findings: r.findings.map(findingJson) })}\n`;
}
