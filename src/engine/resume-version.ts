/** Which version a resume runs on, and why the active one may be refused. */
import type { RunRecord, VersionRecord } from "../store/types.js";
import { activeIncompatible } from "./errors.js";

export interface ResumeOptions {
  /** Run the rest on the version the run started on (default) or on the active one. */
  version?: "pinned" | "active";
}

/** Which version a resume used, for the API and CLI to say. */
export interface ResumeVersion {
  choice: "pinned" | "active";
  versionId: number;
  /** The version the run was pinned to before (equal to versionId unless re-pinned). */
  previousVersionId: number;
}

/**
 * The active version must have the same steps as the pinned one: recorded rows are matched to
 * steps by id, so a run cannot change shape halfway.
 */
export function checkSameSteps(run: RunRecord, pinned: VersionRecord, active: VersionRecord): void {
  const ids = (v: VersionRecord) =>
    [...Object.keys(v.plan.steps), ...Object.keys(v.plan.onFailure).map((k) => `onFailure.${k}`)].sort();
  const was = ids(pinned);
  const now = ids(active);
  if (was.join("\n") === now.join("\n")) return;
  const added = now.filter((id) => !was.includes(id));
  const removed = was.filter((id) => !now.includes(id));
  throw activeIncompatible({
    id: run.id,
    workflow: run.workflow,
    diff: [
      added.length > 0 ? `added ${added.join(", ")}` : "",
      removed.length > 0 ? `removed ${removed.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join("; "),
  });
}
