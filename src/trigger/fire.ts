/**
 * Starting the run for a claimed schedule slot. The slot's ISO time is also the run's
 * idempotency key: should two callers ever get past the slot claim (a store restored from a
 * backup, say), the store still records one run.
 */
import type { CompiledTrigger } from "../compile/types.js";
import type { ActiveWorkflow, RunRecord, Store } from "../store/types.js";
import type { RunStarter } from "./types.js";

export async function fireSchedule(
  engine: RunStarter & { readonly store: Store },
  w: ActiveWorkflow,
  trigger: CompiledTrigger,
  slot: Date,
): Promise<RunRecord> {
  const scheduledAt = slot.toISOString();
  const { run } = await engine.startRun({
    version: w.version,
    inputs: {},
    trigger: {
      kind: "schedule",
      scheduledAt,
      cron: trigger.cron,
      timezone: trigger.timezone ?? "UTC",
    },
    idempotencyKey: `schedule:${scheduledAt}`,
  });
  await engine.store.setTriggerRun("schedule", w.workflow, scheduledAt, run.id);
  return run;
}
