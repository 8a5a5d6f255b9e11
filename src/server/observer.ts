/**
 * Engine hooks → log lines and metrics. The engine's events name the run and step only; the
 * workflow, its version and the step's type are looked up (and cached per run) so that every
 * line of run work carries workflow, version, runId, stepId and attempt.
 */
import type { RunEvent, StepEvent, StepLogEvent } from "../engine/types.js";
import type { Logger } from "../observe/logger.js";
import type { Metrics } from "../observe/metrics.js";
import type { Store, VersionRecord } from "../store/types.js";

interface RunInfo {
  workflow: string;
  version: number;
  plan: VersionRecord["plan"];
}

/** Runs whose context is remembered; the oldest is forgotten beyond this. */
const MAX_CACHED_RUNS = 2000;

export interface RunObserver {
  onStep(e: StepEvent): void;
  onRun(e: RunEvent): void;
  onLog(e: StepLogEvent): void;
  /** Resolves when every event seen so far has been logged and counted (tests, shutdown). */
  settled(): Promise<void>;
}

export function createRunObserver(deps: { store: Store; logger: Logger; metrics: Metrics }): RunObserver {
  const { store, logger, metrics } = deps;
  const runs = new Map<string, Promise<RunInfo | undefined>>();
  const versions = new Map<number, Promise<VersionRecord | undefined>>();
  let pending = Promise.resolve();

  const info = (runId: string): Promise<RunInfo | undefined> => {
    let p = runs.get(runId);
    if (!p) {
      p = (async () => {
        const run = await store.getRun(runId);
        if (!run) return undefined;
        let v = versions.get(run.versionId);
        if (!v) {
          v = store.getVersion(run.versionId);
          versions.set(run.versionId, v);
        }
        const version = await v;
        return version ? { workflow: run.workflow, version: version.id, plan: version.plan } : undefined;
      })();
      runs.set(runId, p);
      if (runs.size > MAX_CACHED_RUNS) runs.delete(runs.keys().next().value as string);
    }
    return p;
  };

  /** Handles events in arrival order, so log lines keep the engine's order. */
  const enqueue = (fn: () => Promise<void>) => {
    pending = pending.then(fn).catch((err: unknown) => {
      logger.warn({ err }, "could not record an engine event");
    });
  };

  const stepFields = (
    i: RunInfo | undefined,
    e: { runId: string; stepId: string; item: number; attempt: number },
  ) => ({
    workflow: i?.workflow,
    version: i?.version,
    runId: e.runId,
    stepId: e.stepId,
    ...(e.item >= 0 ? { item: e.item } : {}),
    attempt: e.attempt,
  });

  return {
    onStep(e) {
      enqueue(async () => {
        const i = await info(e.runId);
        const step = i ? (i.plan.steps[e.stepId] ?? i.plan.onFailure[e.stepId]) : undefined;
        const type = step?.uses ?? "unknown";
        metrics.recordStep({
          status: e.status,
          type,
          ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}),
        });
        const fields = {
          ...stepFields(i, e),
          type,
          ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}),
          ...(e.error ? { error: { code: e.error.code, message: e.error.message } } : {}),
          ...(e.retryAt ? { retryAt: new Date(e.retryAt).toISOString() } : {}),
        };
        const level = e.status === "failed" ? "warn" : e.status === "running" ? "debug" : "info";
        logger[level](fields, `step ${e.status}`);
      });
    },
    onRun(e) {
      // A resume may re-pin the run to another version: look it up afresh.
      if (e.status === "running") runs.delete(e.runId);
      enqueue(async () => {
        const i = await info(e.runId);
        metrics.recordRun(e.status);
        const fields = {
          workflow: e.workflow,
          version: i?.version,
          runId: e.runId,
          ...(e.error ? { error: { code: e.error.code, message: e.error.message } } : {}),
        };
        logger[e.status === "failed" ? "warn" : "info"](fields, `run ${e.status}`);
        if (e.status === "succeeded" || e.status === "failed" || e.status === "cancelled")
          runs.delete(e.runId);
      });
    },
    onLog(e) {
      enqueue(async () => {
        const i = await info(e.runId);
        logger[e.level]({ ...stepFields(i, e), stepLog: true }, e.message);
      });
    },
    settled: () => pending,
  };
}
