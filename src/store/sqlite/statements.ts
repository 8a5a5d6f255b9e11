import type Database from "better-sqlite3";
import { CLAIMED_COLUMNS } from "./rows.js";

/** The current attempt of a step row, as an attempts row would hold it. */
const CURRENT_ATTEMPT_STATUS =
  "CASE status WHEN 'running' THEN 'running' WHEN 'succeeded' THEN 'succeeded' ELSE 'failed' END";
const CURRENT_ATTEMPT_ERROR = "CASE WHEN status IN ('failed', 'cancelled') THEN error END";
const CURRENT_ATTEMPT_FINISHED = "CASE WHEN status = 'running' THEN NULL ELSE finished_at END";

/**
 * Attempts as history lists them: archived ones, then each row's current one, which wins over
 * an archived attempt of the same number (a released attempt whose number was used again).
 * `archived` filters the attempts table (alias a), `current` the steps table.
 */
function attemptsWhere(archived: string, current: string, order: string): string {
  return `SELECT * FROM (
        SELECT step_row, attempt, status, owner, error, started_at, finished_at FROM attempts a
        WHERE ${archived} AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.id = a.step_row
          AND s.attempt = a.attempt AND s.attempt_started_at IS NOT NULL)
        UNION ALL
        SELECT id, attempt, ${CURRENT_ATTEMPT_STATUS}, attempt_owner, ${CURRENT_ATTEMPT_ERROR}, attempt_started_at,
          ${CURRENT_ATTEMPT_FINISHED}
        FROM steps WHERE ${current} AND attempt_started_at IS NOT NULL)
      ORDER BY ${order}`;
}

/** Every statement the SQLite store runs; prepared once per connection. */
const p = (sql: string) => sql;
const SQL = {
  versionIdByHash: p("SELECT id FROM workflow_versions WHERE workflow = ? AND hash = ?"),
  versionById: p("SELECT * FROM workflow_versions WHERE id = ?"),
  insertVersion: p(
    "INSERT INTO workflow_versions (workflow, hash, plan, source, commit_sha, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  ),

  runByKey: p("SELECT * FROM runs WHERE workflow = ? AND idempotency_key = ?"),
  runById: p("SELECT * FROM runs WHERE id = ?"),
  runSeq: p("SELECT seq FROM runs WHERE id = ?"),
  insertRun: p(`INSERT INTO runs (id, workflow, version_id, status, inputs, trigger, idempotency_key,
        concurrency_key, open_steps, error, created_at, started_at, finished_at)
      VALUES (@id, @workflow, @version_id, @status, @inputs, @trigger, @idempotency_key,
        @concurrency_key, @open_steps, @error, @created_at, @started_at, @finished_at)`),
  listRuns: p(`SELECT * FROM runs
      WHERE (@workflow IS NULL OR workflow = @workflow) AND (@status IS NULL OR status = @status) AND seq < @before
      ORDER BY seq DESC LIMIT @limit`),
  activeRuns: p("SELECT * FROM runs WHERE status IN ('queued', 'running') ORDER BY seq"),
  countRuns: p("SELECT count(*) AS n FROM runs WHERE workflow = ? AND concurrency_key = ? AND status = ?"),
  queuedRuns: p(
    "SELECT id FROM runs WHERE workflow = ? AND concurrency_key = ? AND status = 'queued' ORDER BY seq LIMIT ?",
  ),
  runProgress: p("SELECT open_steps, failing, status FROM runs WHERE id = ?"),
  incOpen: p(
    "UPDATE runs SET open_steps = open_steps + ? WHERE id = ? RETURNING open_steps, failing, status",
  ),
  decOpen: p("UPDATE runs SET open_steps = open_steps - ? WHERE id = ?"),
  markFailing: p("UPDATE runs SET failing = 1 WHERE id = ?"),
  setRunStatus: p(`UPDATE runs SET status = @status,
        error = CASE WHEN @keepError = 1 THEN error ELSE @error END,
        started_at = CASE WHEN @status = 'running' THEN coalesce(started_at, @now) ELSE started_at END,
        finished_at = CASE WHEN @status IN ('succeeded', 'failed', 'cancelled') THEN @now ELSE NULL END
      WHERE id = @id AND status IN (SELECT value FROM json_each(@from))`),
  reopenRun: p(`UPDATE runs SET status = 'running', failing = 0, error = NULL, finished_at = NULL,
        started_at = coalesce(started_at, @now),
        open_steps = (SELECT count(*) FROM steps WHERE run_id = @id AND status IN ('pending', 'queued', 'running'))
      WHERE id = @id`),

  stepById: p("SELECT * FROM steps WHERE id = ?"),
  stepsOfRun: p("SELECT * FROM steps WHERE run_id = ? ORDER BY id"),
  decidingSteps:
    p(`SELECT * FROM steps WHERE run_id = ? AND (status NOT IN ('succeeded', 'skipped') OR on_failure = 1)
      ORDER BY id`),
  stepResults: p(`SELECT step_id, status, output FROM steps
      WHERE run_id = ? AND item = -1 AND step_id IN (SELECT value FROM json_each(?))`),
  itemsOf: p("SELECT item, status, output, error FROM steps WHERE parent_id = ? ORDER BY item"),

  // The current attempt lives on the row (migration 5): starting it writes no other row.
  startStep: p(`UPDATE steps SET input = ?, started_at = coalesce(started_at, ?), attempt_started_at = ?,
        attempt_owner = lease_owner
      WHERE id = ? AND epoch = ? AND status = 'running' RETURNING run_id`),
  finishStep: p(`UPDATE steps SET status = ?, output = ?, error = ?, finished_at = ?,
        lease_owner = NULL, lease_expires_at = NULL
      WHERE id = ? AND epoch = ? AND status = 'running' RETURNING run_id`),
  finishStarted: p(`UPDATE steps SET status = ?, output = ?, error = ?, finished_at = ?, input = ?,
        started_at = coalesce(started_at, ?), attempt_started_at = ?, attempt_owner = ?,
        lease_owner = NULL, lease_expires_at = NULL
      WHERE id = ? AND epoch = ? AND status = 'running' RETURNING run_id`),
  retryStep:
    p(`UPDATE steps SET status = 'queued', not_before = ?, error = ?, lease_owner = NULL, lease_expires_at = NULL,
        attempt_started_at = NULL, attempt_owner = NULL
      WHERE id = ? AND epoch = ? AND status = 'running' RETURNING run_id`),
  releaseStep: p(`UPDATE steps SET status = 'queued', attempt = max(attempt - 1, 0), lease_owner = NULL,
        lease_expires_at = NULL, attempt_started_at = NULL, attempt_owner = NULL
      WHERE id = ? AND epoch = ? AND status = 'running' RETURNING run_id`),
  fanoutStep:
    p(`UPDATE steps SET fanout = ?, deps_remaining = ?, status = ?, lease_owner = NULL, lease_expires_at = NULL
      WHERE id = ? AND epoch = ? AND status = 'running' RETURNING run_id, step_id, on_failure`),
  // One statement per dependent: `IN (SELECT … json_each(?))` in an UPDATE cost ~30 µs a call
  // (a scan), a keyed UPDATE ~2 µs. A row whose last dependency finished stays 'pending' with
  // deps_remaining 0 for the rest of the commit: the commit's claim takes it by id, or queues
  // it (Claimer.enqueue) — so a row claimed at once never enters the queue's index. The CASE
  // reads the old deps_remaining.
  notifyStep: p(`UPDATE steps SET deps_remaining = deps_remaining - 1,
        not_before = CASE WHEN deps_remaining <= 1 THEN 0 ELSE not_before END
      WHERE run_id = ? AND step_id = ? AND item = -1 AND status = 'pending' AND deps_remaining > 0
      RETURNING id, deps_remaining`),
  notifyRow: p(`UPDATE steps SET deps_remaining = deps_remaining - 1,
        not_before = CASE WHEN deps_remaining <= 1 THEN 0 ELSE not_before END
      WHERE id = ? AND status = 'pending' AND deps_remaining > 0 RETURNING id, deps_remaining`),
  readyNextItem: p(`UPDATE steps SET status = 'queued', not_before = 0
      WHERE id = (SELECT id FROM steps INDEXED BY steps_pending_items
        WHERE parent_id = ? AND status = 'pending' AND item >= 0 ORDER BY item LIMIT 1) RETURNING id`),
  cancelNotStarted: p(`UPDATE steps SET status = 'cancelled', finished_at = ?
      WHERE run_id = ? AND status IN ('pending', 'queued') AND on_failure = 0`),
  cancelAllNotStarted: p(`UPDATE steps SET status = 'cancelled', finished_at = ?
      WHERE run_id = ? AND status IN ('pending', 'queued')`),

  // INDEXED BY: the planner would otherwise walk a run's every step row through the run
  // index on each claim (quadratic for wide runs); the partial indexes stop at LIMIT.
  expiredLeases: p(`SELECT s.id FROM steps s INDEXED BY steps_leased
      WHERE s.status = 'running' AND s.lease_expires_at < @now
        AND EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id AND r.status = 'running')
        AND (@runs IS NULL OR s.run_id IN (SELECT value FROM json_each(@runs)))
      ORDER BY s.lease_expires_at LIMIT @limit`),
  expiredLeasesAll: p(`SELECT s.id FROM steps s INDEXED BY steps_leased
      WHERE s.status = 'running' AND s.lease_expires_at < @now
        AND EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id AND r.status = 'running')
      ORDER BY s.lease_expires_at LIMIT @limit`),
  // Claiming is a keyed SELECT over the partial index, then one UPDATE per id: an
  // `UPDATE … WHERE id IN (SELECT …) RETURNING *` cost several times as much.
  readyToClaim: p(`SELECT s.id FROM steps s INDEXED BY steps_queued
      WHERE s.status = 'queued' AND s.not_before <= @now
        AND EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id AND r.status = 'running' AND (r.failing = 0 OR s.on_failure = 1))
        AND (@runs IS NULL OR s.run_id IN (SELECT value FROM json_each(@runs)))
      ORDER BY s.not_before, s.id LIMIT @limit`),
  readyToClaimAll: p(`SELECT s.id FROM steps s INDEXED BY steps_queued
      WHERE s.status = 'queued' AND s.not_before <= @now
        AND EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id AND r.status = 'running' AND (r.failing = 0 OR s.on_failure = 1))
      ORDER BY s.not_before, s.id LIMIT @limit`),
  nextDue: p(`SELECT min(not_before) AS at FROM steps INDEXED BY steps_queued
      WHERE status = 'queued' AND not_before > ?`),
  claimStep: p(`UPDATE steps SET status = 'running', lease_owner = @owner, lease_expires_at = @expires,
        epoch = epoch + 1, attempt = attempt + 1, attempt_started_at = NULL, attempt_owner = @owner,
        claimed_at = @now
      WHERE id = @id RETURNING ${CLAIMED_COLUMNS}`),
  renewLeases: p("UPDATE steps SET lease_expires_at = ? WHERE lease_owner = ? AND status = 'running'"),
  runningOfRun: p(
    "SELECT id FROM steps WHERE run_id = @id AND status = 'running' AND (@owner IS NULL OR lease_owner = @owner)",
  ),
  expireLease: p(
    "UPDATE steps SET lease_expires_at = 0, attempt_started_at = NULL, attempt_owner = NULL, claimed_at = NULL WHERE id = ?",
  ),
  resetStep:
    p(`UPDATE steps SET retry_base = attempt, status = ?, deps_remaining = ?, fanout = CASE WHEN ? = 1 THEN NULL ELSE fanout END,
        output = NULL, error = NULL, finished_at = NULL, not_before = 0, lease_owner = NULL, lease_expires_at = NULL,
        attempt_started_at = NULL, attempt_owner = NULL
      WHERE id = ? AND run_id = ?`),
  deleteStep: p("DELETE FROM steps WHERE id = ?"),
  deleteItemsOf: p("DELETE FROM steps WHERE parent_id = ?"),
  deleteAttemptsOf: p("DELETE FROM attempts WHERE step_row = ?"),
  deleteAttemptsOfItems: p(
    "DELETE FROM attempts WHERE step_row IN (SELECT id FROM steps WHERE parent_id = ?)",
  ),

  // A row's current attempt moves to the attempts table when it ends without ending the step
  // (retried, released, lost) or when a resume resets the row. @status NULL: what the row's
  // status says (running → lost). A claimed attempt whose start was never recorded (its process
  // died within the start record's delay) is archived from its claim (owner, claimed_at);
  // other rows with no started attempt archive nothing. @epoch fences
  // it like the op it belongs to. OR REPLACE: a released attempt's number is used again.
  archiveAttempt:
    p(`INSERT OR REPLACE INTO attempts (step_row, attempt, run_id, status, owner, error, started_at, finished_at)
      SELECT id, attempt, run_id,
        coalesce(@status, CASE status WHEN 'running' THEN 'lost' WHEN 'succeeded' THEN 'succeeded' ELSE 'failed' END),
        attempt_owner, CASE WHEN @status IS NOT NULL THEN @error WHEN status IN ('failed', 'cancelled') THEN error END,
        coalesce(attempt_started_at, claimed_at),
        CASE WHEN status = 'running' OR @status IS NOT NULL THEN @now ELSE coalesce(finished_at, @now) END
      FROM steps WHERE id = @id
        AND (attempt_started_at IS NOT NULL OR (status = 'running' AND claimed_at IS NOT NULL))
        AND (@epoch IS NULL OR (epoch = @epoch AND status = 'running'))`),
  attemptsOfRun: p(attemptsWhere("a.run_id = @id", "run_id = @id", "step_row, attempt")),
  attemptsOfRow: p(attemptsWhere("a.step_row = @id", "id = @id", "attempt")),

  saveCheckpoint: p(`INSERT INTO checkpoints (run_id, step_id, item, state, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (run_id, step_id, item) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`),
  saveCheckpointFenced: p(`INSERT INTO checkpoints (run_id, step_id, item, state, updated_at)
      SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM steps WHERE id = ? AND epoch = ? AND status = 'running')
      ON CONFLICT (run_id, step_id, item) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`),
  getCheckpoint: p("SELECT state FROM checkpoints WHERE run_id = ? AND step_id = ? AND item = ?"),

  countLogs: p("SELECT count(*) AS n FROM step_logs WHERE step_row = ?"),
  insertLog: p(
    "INSERT INTO step_logs (run_id, step_row, attempt, ts, level, message) VALUES (?, ?, ?, ?, ?, ?)",
  ),
  logsOfRun: p("SELECT * FROM step_logs WHERE run_id = ? ORDER BY id LIMIT ?"),
  logsOfRow: p("SELECT * FROM step_logs WHERE step_row = ? ORDER BY id LIMIT ?"),

  insertEvent: p("INSERT INTO events (run_id, ts, kind, data) VALUES (?, ?, ?, ?)"),
  eventsOfRun: p("SELECT * FROM events WHERE run_id = ? ORDER BY id"),

  insertDeadLetter:
    p(`INSERT INTO dead_letters (run_id, step_row, workflow, step_id, item, error, input, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
  deadLetters: p("SELECT * FROM dead_letters WHERE (@all = 1 OR replayed_at IS NULL) ORDER BY id DESC"),
  deadLetterById: p("SELECT * FROM dead_letters WHERE id = ?"),
  markReplayed: p("UPDATE dead_letters SET replayed_at = ?, replay_run_id = ? WHERE id = ?"),

  insertDeployment:
    p(`INSERT INTO deployments (commit_sha, author, message, committed_at, created_at, result, errors, workflows)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
  deploymentById: p("SELECT * FROM deployments WHERE id = ?"),
  listDeployments: p("SELECT * FROM deployments ORDER BY id DESC LIMIT ?"),
  clearActive: p("DELETE FROM active_workflows"),
  setActive: p(
    "INSERT INTO active_workflows (workflow, version_id, deployment_id, activated_at) VALUES (?, ?, ?, ?)",
  ),
  activeWorkflows: p("SELECT * FROM active_workflows ORDER BY workflow"),
  claimSlot: p("INSERT OR IGNORE INTO trigger_fires (workflow, slot, fired_at) VALUES (?, ?, ?)"),
  claimDelivery: p(
    "INSERT OR IGNORE INTO webhook_deliveries (workflow, delivery_id, received_at) VALUES (?, ?, ?)",
  ),
  setSlotRun: p("UPDATE trigger_fires SET run_id = ? WHERE workflow = ? AND slot = ?"),
  setDeliveryRun: p("UPDATE webhook_deliveries SET run_id = ? WHERE workflow = ? AND delivery_id = ?"),
  slotRun: p("SELECT run_id FROM trigger_fires WHERE workflow = ? AND slot = ?"),
  deliveryRun: p("SELECT run_id FROM webhook_deliveries WHERE workflow = ? AND delivery_id = ?"),
  lastSlot: p("SELECT max(slot) AS slot FROM trigger_fires WHERE workflow = ?"),
  // For `weft serve` metrics and re-pinned resumes.
  countQueued: p("SELECT count(*) AS n FROM steps INDEXED BY steps_queued WHERE status = 'queued'"),
  countDeadLetters: p("SELECT count(*) AS n FROM dead_letters"),
  repinRun: p("UPDATE runs SET version_id = ? WHERE id = ?"),
} as const;

export type Statements = Record<keyof typeof SQL, Database.Statement>;

export function prepareStatements(db: Database.Database): Statements {
  const out = {} as Statements;
  for (const key of Object.keys(SQL) as Array<keyof typeof SQL>) out[key] = db.prepare(SQL[key]);
  return out;
}
