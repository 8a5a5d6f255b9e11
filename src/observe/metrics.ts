/**
 * Prometheus metrics for `weft serve`, on a registry of our own (not prom-client's global
 * one), so tests and several servers in one process never share counters. Everything is fed
 * from the outside: engine hooks, syncer callbacks and trigger fires call the `record*`
 * methods; values that live in the store or the syncer are read at scrape time.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export interface MetricsOptions {
  /** Queued step rows right now (read at scrape time). */
  readySteps?: () => Promise<number> | number;
  /** Dead letters ever recorded in the store (read at scrape time; survives restarts). */
  deadLetters?: () => Promise<number> | number;
  /** When Git sync last succeeded, ms since epoch (read at scrape time). */
  lastSyncAt?: () => number | undefined;
  /** Also expose Node's process metrics (CPU, memory, event loop lag). */
  processMetrics?: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  readonly contentType: string;
  recordRun(status: string): void;
  recordStep(e: { status: string; type: string; durationMs?: number }): void;
  recordTriggerFire(kind: string): void;
  recordSyncFailure(): void;
  recordDeploy(result: "deployed" | "failed" | "unchanged"): void;
  /** The exposition text for GET /metrics. */
  render(): Promise<string>;
}

/** Step durations run from milliseconds (log, noop) to many minutes (shell, http with retries). */
const DURATION_BUCKETS = [0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 15, 60, 300, 900, 3600];

export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const runs = new Counter({
    name: "weft_runs_total",
    help: "Run state changes by status (running counts starts and resumes; the rest are final states)",
    labelNames: ["status"],
    registers,
  });
  const steps = new Counter({
    name: "weft_steps_total",
    help: "Step attempts that reached a state, by status and step type",
    labelNames: ["status", "type"],
    registers,
  });
  const duration = new Histogram({
    name: "weft_step_duration_seconds",
    help: "Wall-clock duration of step attempts, by step type",
    labelNames: ["type"],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const retries = new Counter({
    name: "weft_step_retries_total",
    help: "Step attempts that failed and were scheduled to run again",
    registers,
  });
  const deadLetterCount = opts.deadLetters;
  new Counter({
    name: "weft_dead_letters_total",
    help: "Steps that failed after their last retry and went to the dead-letter list (counted in the store)",
    registers,
    async collect() {
      if (!deadLetterCount) return;
      this.reset();
      this.inc(await deadLetterCount());
    },
  });
  const fires = new Counter({
    name: "weft_trigger_fires_total",
    help: "Runs started by triggers, by kind (schedule, webhook, api, cli)",
    labelNames: ["kind"],
    registers,
  });
  const lastSyncAt = opts.lastSyncAt;
  new Gauge({
    name: "weft_last_successful_sync_timestamp_seconds",
    help: "Unix time of the last Git sync that succeeded (0: none yet)",
    registers,
    collect() {
      this.set(Math.floor((lastSyncAt?.() ?? 0) / 1000));
    },
  });
  const syncFailures = new Counter({
    name: "weft_sync_failures_total",
    help: "Git sync attempts that failed (remote unreachable, bad ref…)",
    registers,
  });
  const deploys = new Counter({
    name: "weft_deploys_total",
    help: "Deployments by result (deployed, unchanged, failed: a commit with invalid workflows)",
    labelNames: ["result"],
    registers,
  });
  const readySteps = opts.readySteps;
  new Gauge({
    name: "weft_ready_steps",
    help: "Step rows queued and waiting for an executor (the ready queue's depth)",
    registers,
    async collect() {
      if (readySteps) this.set(await readySteps());
    },
  });
  for (const result of ["deployed", "failed", "unchanged"]) deploys.inc({ result }, 0);

  return {
    registry,
    contentType: registry.contentType,
    recordRun: (status) => runs.inc({ status }),
    recordStep(e) {
      if (e.status === "retrying") retries.inc();
      steps.inc({ status: e.status, type: e.type });
      if (e.durationMs !== undefined && e.status !== "running")
        duration.observe({ type: e.type }, e.durationMs / 1000);
    },
    recordTriggerFire: (kind) => fires.inc({ kind }),
    recordSyncFailure: () => syncFailures.inc(),
    recordDeploy: (result) => deploys.inc({ result }),
    render: () => registry.metrics(),
  };
}
