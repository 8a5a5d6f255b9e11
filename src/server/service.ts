/**
 * `weft serve` assembled: store, thread pool, engine, Git sync, cron scheduler, webhooks and
 * the HTTP API, started in that order and stopped in reverse. Start-up first releases steps
 * a dead process of this host left running, so interrupted runs resume at once. Shutdown
 * stops accepting requests, stops sync and cron, lets running steps finish within the
 * grace period and releases the rest for the next start.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { assertSafeBind } from "../config/index.js";
import { Engine } from "../engine/engine.js";
import { envSecrets } from "../engine/secrets.js";
import { createLogger, type Logger } from "../observe/logger.js";
import { createMetrics, type Metrics } from "../observe/metrics.js";
import { builtinRegistry } from "../plugin/builtins.js";
import { loadStepTypes } from "../plugin/load.js";
import type { StepTypeLookup } from "../plugin/registry.js";
import { StepPool } from "../pool/index.js";
import { openStore } from "../store/index.js";
import type { Store, VersionRecord } from "../store/types.js";
import { checkoutPath, exportCommit, Syncer } from "../sync/index.js";
import { CronScheduler, fireSchedule, handleWebhook } from "../trigger/index.js";
import { buildApp } from "./app.js";
import { createRunObserver } from "./observer.js";
import type { ReadyReport } from "./routes/health.js";
import { storeReadiness } from "./routes/health.js";
import type { WebhookHandler } from "./routes/hooks.js";

export interface ServiceOptions {
  /** Repository URL or path; sync reads workflows from its commits. */
  repo: string;
  branch: string;
  pollMs: number;
  /** SQLite file (relative to cwd) or ":memory:". */
  store: string;
  sqliteSynchronous?: "FULL" | "NORMAL";
  /** How long a store write waits for another writer's lock before failing (default 5000). */
  busyTimeoutMs?: number;
  host: string;
  port: number;
  /** Where the Git mirror lives. */
  dataDir: string;
  /** npm packages holding step types (weft.config.yaml `plugins:`), installed under `cwd`. */
  plugins?: string[];
  workflowsDir?: string;
  tokens: string[];
  /** Most missed slots one `catchup: all` schedule fires after downtime. */
  catchupMax?: number;
  /** How long running steps may take to finish on shutdown. */
  graceMs: number;
  bodyLimit?: number;
  poolSize?: number;
  /** The folder shell steps run in. */
  workspace: string;
  cwd: string;
  env: Record<string, string | undefined>;
  logger?: Logger;
  logLevel?: string;
  version?: string;
}

export interface Service {
  app: FastifyInstance;
  engine: Engine;
  store: Store;
  syncer: Syncer;
  scheduler: CronScheduler;
  metrics: Metrics;
  logger: Logger;
  /** http://host:port actually bound (port 0 gets a free one). */
  url: string;
  /** Runs found interrupted at start-up and resumed. */
  recovered: string[];
  close(graceMs?: number): Promise<void>;
}

export async function startService(opts: ServiceOptions): Promise<Service> {
  assertSafeBind({ host: opts.host, apiTokens: opts.tokens });
  const secrets = envSecrets(opts.env as NodeJS.ProcessEnv);
  const logger =
    opts.logger ??
    createLogger({
      secrets: [...secrets.values(), ...opts.tokens],
      ...(opts.logLevel ? { level: opts.logLevel } : {}),
    });
  const store = await openStore(opts.store, {
    cwd: opts.cwd,
    synchronous: opts.sqliteSynchronous ?? "FULL",
    ...(opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {}),
  });
  const types = builtinRegistry();
  const mirrorDir = join(opts.dataDir, "repo.git");
  // Step types are those of the commit: its own plugins/ folder (from the exported files)
  // plus the configured npm packages. Loaded once per commit, also for runs pinned to an
  // older commit after a restart.
  const typeCache = new Map<string, Promise<StepTypeLookup>>();
  const typesForCommit = (sha: string): Promise<StepTypeLookup> => {
    let loading = typeCache.get(sha);
    if (!loading) {
      loading = (async () => {
        const dir = await exportCommit(mirrorDir, sha, opts.dataDir);
        const loaded = await loadStepTypes({ cwd: dir, packages: opts.plugins ?? [], packageRoot: opts.cwd });
        for (const problem of loaded.problems) logger.warn({ commit: sha, ...problem }, "plugin not loaded");
        return loaded.types;
      })();
      typeCache.set(sha, loading);
      loading.catch(() => typeCache.delete(sha));
    }
    return loading;
  };
  const pool = new StepPool(opts.poolSize ? { size: opts.poolSize } : {});
  let syncer: Syncer | undefined;
  const metrics = createMetrics({
    readySteps: async () => (await store.queueStats()).readySteps,
    deadLetters: async () => (await store.queueStats()).deadLetters,
    lastSyncAt: () => syncer?.status.lastSuccessAt,
  });
  const observer = createRunObserver({ store, logger, metrics });
  const { onStep, onRun, onLog } = observer;
  // Runs of a synced version work in that commit's exported files, not a working tree.
  const workspaceFor = (v: VersionRecord) => {
    const dir = v.commit ? checkoutPath(opts.dataDir, v.commit) : undefined;
    return dir && existsSync(dir) ? dir : undefined;
  };
  const typesFor = async (v: VersionRecord) => {
    if (!v.commit) return types;
    // Checkouts are pruned after deploys: a run of an old commit (resumed much later) gets
    // its files exported again before its steps run in them.
    await exportCommit(mirrorDir, v.commit, opts.dataDir);
    return typesForCommit(v.commit);
  };
  const engine = new Engine({
    store,
    pool,
    types,
    typesFor,
    secrets,
    workspace: opts.workspace,
    workspaceFor,
    onStep,
    onRun,
    onLog,
  });

  const scheduler = new CronScheduler({
    store,
    ...(opts.catchupMax !== undefined ? { maxCatchup: opts.catchupMax } : {}),
    async fire(w, trigger, slot) {
      const run = await fireSchedule(engine, w, trigger, slot);
      metrics.recordTriggerFire("schedule");
      logger.info({ workflow: w.workflow, version: w.version.id, runId: run.id, slot }, "schedule fired");
    },
    onError: (err, workflow) => logger.error({ err, workflow }, "schedule could not fire"),
  });
  const refreshTriggers = async () => scheduler.update(await store.activeWorkflows());

  syncer = new Syncer({
    store,
    repo: opts.repo,
    branch: opts.branch,
    dataDir: opts.dataDir,
    cwd: opts.cwd,
    typesFor: (sha) => typesForCommit(sha),
    ...(opts.workflowsDir !== undefined ? { workflowsDir: opts.workflowsDir } : {}),
    onDeploy(d) {
      metrics.recordDeploy(d.result);
      const fields = { commit: d.commit, result: d.result, workflows: d.workflows };
      if (d.result === "failed")
        logger.error({ ...fields, errors: d.errors }, "deploy refused: invalid workflows");
      else logger.info(fields, `deploy ${d.result}`);
      refreshTriggers().catch((err: unknown) => logger.error({ err }, "could not update triggers"));
    },
    onCheckoutsPruned(removed, err) {
      if (err) logger.warn({ err: { message: err.message } }, "could not prune old checkouts");
      else logger.info({ commits: removed }, `pruned ${removed.length} old checkout(s)`);
    },
    onError(err, attempt) {
      metrics.recordSyncFailure();
      logger.warn({ err: { message: err.message }, attempt }, "git sync failed; retrying with backoff");
    },
  });

  const webhook: WebhookHandler = async (req) => {
    const active = (await store.activeWorkflows()).find((a) => a.workflow === req.workflow);
    if (!active) {
      return {
        status: 404,
        body: {
          error: { code: "WEFT_API_WORKFLOW_NOT_FOUND", message: `no active workflow "${req.workflow}"` },
        },
      };
    }
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const res = await handleWebhook({ store, engine, active, rawBody: req.rawBody, headers, secrets });
    if (res.status === 202) metrics.recordTriggerFire("webhook");
    return res;
  };

  const readiness = async (): Promise<ReadyReport> => {
    const report = await storeReadiness({ store, engine });
    const status = syncer?.status;
    const synced = status?.lastSuccessAt !== undefined;
    const deployed = (await store.activeWorkflows().catch(() => [])).length > 0;
    report.checks.sync = synced
      ? { ok: true }
      : deployed
        ? {
            ok: true,
            detail: `not synced yet; serving the last deployed workflows (${status?.lastError ?? "first sync pending"})`,
          }
        : { ok: false, detail: status?.lastError ?? "first sync pending" };
    report.ready = report.ready && report.checks.sync.ok;
    return report;
  };

  const app = await buildApp({
    engine,
    store,
    metrics,
    tokens: opts.tokens,
    logger,
    webhook,
    readiness,
    ...(opts.bodyLimit !== undefined ? { bodyLimit: opts.bodyLimit } : {}),
    ...(opts.version !== undefined ? { version: opts.version } : {}),
  });

  const recovered = await engine.recover();
  if (recovered.length > 0)
    logger.info({ runs: recovered }, "resuming runs interrupted by a previous process");
  engine.start();
  await refreshTriggers();
  void scheduler.start();
  syncer.start(opts.pollMs);
  await app.listen({ host: opts.host, port: opts.port });
  const addr = app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  const url = `http://${opts.host.includes(":") ? `[${opts.host}]` : opts.host}:${port}`;
  logger.info({ url, tokens: opts.tokens.length }, "weft serve listening");
  if (opts.tokens.length === 0) logger.warn("no API token configured: the API is open to local processes");

  let closing: Promise<void> | undefined;
  const s = syncer;
  return {
    app,
    engine,
    store,
    syncer: s,
    scheduler,
    metrics,
    logger,
    url,
    recovered,
    close(graceMs = opts.graceMs) {
      closing ??= (async () => {
        logger.info({ graceMs }, "shutting down: no new work; running steps get a grace period");
        await app.close();
        scheduler.stop();
        await s.stop();
        await engine.stop(graceMs);
        await observer.settled();
        await pool.close();
        await store.close();
        logger.info("stopped; unfinished steps are released and resume on the next start");
      })();
      return closing;
    },
  };
}
