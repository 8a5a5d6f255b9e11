/**
 * Resuming a run (what `weft resume` does, and its `--dry` plan) and recovering the runs a
 * dead process of this host left running. The engine supplies what these need of it.
 */
import type { RunRecord, StepRecord, Store, VersionRecord } from "../store/types.js";
import { noActiveVersion, resumeNotNeeded, runNotFound, runStillRunning } from "./errors.js";
import { planResume, type ResumePlan } from "./plan-rows.js";
import { checkSameSteps, type ResumeOptions, type ResumeVersion } from "./resume-version.js";

export interface ResumeDeps {
  store: Store;
  /** A version by id (cached by the engine). */
  version(id: number): Promise<VersionRecord>;
  /** Remembers a version the engine had not loaded (the active one of a re-pinned resume). */
  remember(version: VersionRecord): void;
  /** True if the holder of this row's lease is gone (see leases.ts). */
  ownerGone(row: StepRecord): boolean;
}

export type PlannedResume = ResumePlan & { run: RunRecord; version: ResumeVersion };

/**
 * What a resume would do, without doing it. `version: "active"` plans against the workflow's
 * active version instead of the one the run is pinned to.
 */
export async function planRunResume(
  deps: ResumeDeps,
  runId: string,
  from?: string,
  opts: ResumeOptions = {},
): Promise<PlannedResume> {
  const run = await deps.store.getRun(runId);
  if (!run) throw runNotFound({ id: runId });
  const version = await resumeVersion(deps, run, opts.version ?? "pinned");
  if (from !== undefined && !Object.hasOwn(version.plan.steps, from)) {
    throw resumeNotNeeded({ id: runId, why: `has no step "${from}"` });
  }
  const rows = await deps.store.listSteps(runId);
  const busy = rows.find((r) => r.status === "running" && !deps.ownerGone(r));
  // Also after a cancel: a step that is still stopping would otherwise write its outcome
  // into the resumed run.
  if (busy) throw runStillRunning({ id: runId, owner: busy.leaseOwner ?? "?" });
  if (from === undefined && run.status === "succeeded")
    throw resumeNotNeeded({ id: runId, why: "already succeeded" });
  const plan = planResume(version.plan, rows, { from, interrupted: (r) => deps.ownerGone(r) });
  const used: ResumeVersion = {
    choice: opts.version ?? "pinned",
    versionId: version.id,
    previousVersionId: run.versionId,
  };
  return { ...plan, run, version: used };
}

/**
 * The version a resume runs on. The active one must have the same steps as the pinned one:
 * recorded rows are matched to steps by id, so a run cannot change shape halfway.
 */
async function resumeVersion(
  deps: ResumeDeps,
  run: RunRecord,
  choice: "pinned" | "active",
): Promise<VersionRecord> {
  const pinned = await deps.version(run.versionId);
  if (choice === "pinned") return pinned;
  const active = (await deps.store.activeWorkflows()).find((x) => x.workflow === run.workflow);
  if (!active) throw noActiveVersion({ id: run.id, workflow: run.workflow });
  checkSameSteps(run, pinned, active.version);
  deps.remember(active.version);
  return active.version;
}

/**
 * Steps left running by a process of this host that has died (kill -9, power cut of a single
 * machine) are released at once instead of waiting for their lease to expire. Returns the runs
 * that had such steps.
 */
export async function recoverRuns(deps: ResumeDeps): Promise<string[]> {
  const recovered: string[] = [];
  for (const run of await deps.store.activeRuns()) {
    const rows = await deps.store.listSteps(run.id);
    const owners = new Set(
      rows
        .filter((r) => r.status === "running" && r.leaseOwner !== null && deps.ownerGone(r))
        .map((r) => r.leaseOwner as string),
    );
    for (const owner of owners) await deps.store.releaseRun(run.id, owner);
    if (owners.size > 0) recovered.push(run.id);
  }
  return recovered;
}
