/**
 * Numbered, immutable migrations (after graphile-worker's sql/000001.sql). Never edit a
 * released entry: append a new one. Each runs in its own transaction on open.
 */
export const SQLITE_MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: "init",
    sql: `
CREATE TABLE workflow_versions (
  id INTEGER PRIMARY KEY,
  workflow TEXT NOT NULL,
  hash TEXT NOT NULL,
  plan TEXT NOT NULL,
  source TEXT NOT NULL,
  commit_sha TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (workflow, hash)
);

CREATE TABLE runs (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  workflow TEXT NOT NULL,
  version_id INTEGER NOT NULL REFERENCES workflow_versions(id),
  status TEXT NOT NULL,
  inputs TEXT NOT NULL,
  trigger TEXT NOT NULL,
  idempotency_key TEXT,
  concurrency_key TEXT,
  failing INTEGER NOT NULL DEFAULT 0,
  open_steps INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  UNIQUE (workflow, idempotency_key)
);
CREATE INDEX runs_by_status ON runs (status, seq);
CREATE INDEX runs_by_workflow ON runs (workflow, seq);
CREATE INDEX runs_by_concurrency ON runs (workflow, concurrency_key, status);

CREATE TABLE steps (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs(id),
  step_id TEXT NOT NULL,
  item INTEGER NOT NULL DEFAULT -1,
  parent_id INTEGER,
  status TEXT NOT NULL,
  fanout INTEGER,
  deps_remaining INTEGER NOT NULL DEFAULT 0,
  attempt INTEGER NOT NULL DEFAULT 0,
  not_before INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  epoch INTEGER NOT NULL DEFAULT 0,
  on_failure INTEGER NOT NULL DEFAULT 0,
  input TEXT,
  output TEXT,
  error TEXT,
  started_at INTEGER,
  finished_at INTEGER,
  UNIQUE (run_id, step_id, item)
);
CREATE INDEX steps_queued ON steps (not_before, id) WHERE status = 'queued';
CREATE INDEX steps_leased ON steps (lease_expires_at) WHERE status = 'running';
CREATE INDEX steps_by_parent ON steps (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE attempts (
  step_row INTEGER NOT NULL REFERENCES steps(id),
  attempt INTEGER NOT NULL,
  run_id TEXT NOT NULL,
  status TEXT NOT NULL,
  owner TEXT,
  error TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  PRIMARY KEY (step_row, attempt)
);
CREATE INDEX attempts_by_run ON attempts (run_id);

CREATE TABLE checkpoints (
  run_id TEXT NOT NULL,
  step_id TEXT NOT NULL,
  item INTEGER NOT NULL,
  state TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, step_id, item)
);

CREATE TABLE step_logs (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL,
  step_row INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  level TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX step_logs_by_run ON step_logs (run_id, id);
CREATE INDEX step_logs_by_row ON step_logs (step_row, id);

CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  kind TEXT NOT NULL,
  data TEXT
);
CREATE INDEX events_by_run ON events (run_id, id);

CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL,
  step_row INTEGER NOT NULL,
  workflow TEXT NOT NULL,
  step_id TEXT NOT NULL,
  item INTEGER NOT NULL,
  error TEXT NOT NULL,
  input TEXT,
  created_at INTEGER NOT NULL,
  replayed_at INTEGER,
  replay_run_id TEXT
);
`,
  },
  {
    version: 2,
    name: "deployments",
    sql: `
CREATE TABLE deployments (
  id INTEGER PRIMARY KEY,
  commit_sha TEXT NOT NULL,
  author TEXT,
  message TEXT,
  committed_at INTEGER,
  created_at INTEGER NOT NULL,
  result TEXT NOT NULL,
  errors TEXT,
  workflows TEXT
);
CREATE INDEX deployments_by_commit ON deployments (commit_sha);

CREATE TABLE active_workflows (
  workflow TEXT PRIMARY KEY,
  version_id INTEGER NOT NULL REFERENCES workflow_versions(id),
  deployment_id INTEGER NOT NULL REFERENCES deployments(id),
  activated_at INTEGER NOT NULL
);

CREATE TABLE trigger_fires (
  workflow TEXT NOT NULL,
  slot TEXT NOT NULL,
  run_id TEXT,
  fired_at INTEGER NOT NULL,
  PRIMARY KEY (workflow, slot)
);

CREATE TABLE webhook_deliveries (
  workflow TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  run_id TEXT,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (workflow, delivery_id)
);
`,
  },
  {
    version: 3,
    name: "retry-base",
    // Attempts made before a resume do not count against the resumed step's retry budget;
    // attempt numbers keep growing so history and idempotency stay continuous.
    sql: "ALTER TABLE steps ADD COLUMN retry_base INTEGER NOT NULL DEFAULT 0;",
  },
  {
    version: 4,
    name: "pending-items",
    // A finished item of a forEach with a concurrency window readies the next pending item:
    // without this index that lookup walked every item of the parent (quadratic fan-outs).
    sql: "CREATE INDEX steps_pending_items ON steps (parent_id, item) WHERE status = 'pending' AND item >= 0;",
  },
  {
    version: 5,
    name: "current-attempt-on-row",
    // A step's current attempt lives on its row (attempt_started_at, attempt_owner); the
    // attempts table keeps the attempts that ended without ending the step (failed and retried,
    // released, lost) and those a resume archived. Most steps finish in their first attempt, so
    // most finishes write one row instead of two. Attempts still running move onto their row.
    sql: `
ALTER TABLE steps ADD COLUMN attempt_started_at INTEGER;
ALTER TABLE steps ADD COLUMN attempt_owner TEXT;
UPDATE steps SET
  attempt_started_at = (SELECT a.started_at FROM attempts a WHERE a.step_row = steps.id AND a.attempt = steps.attempt),
  attempt_owner = (SELECT a.owner FROM attempts a WHERE a.step_row = steps.id AND a.attempt = steps.attempt)
WHERE EXISTS (SELECT 1 FROM attempts a WHERE a.step_row = steps.id AND a.attempt = steps.attempt
  AND (a.status = 'running' OR steps.status IN ('succeeded', 'failed', 'cancelled')));
DELETE FROM attempts WHERE EXISTS (SELECT 1 FROM steps s WHERE s.id = attempts.step_row
  AND s.attempt = attempts.attempt AND s.attempt_started_at IS NOT NULL);
`,
  },
  {
    version: 6,
    name: "claimed-at",
    // When the current attempt was claimed: an attempt lost before its start record was
    // written (within the start record's delay) is still archived, as lost, from its claim.
    sql: "ALTER TABLE steps ADD COLUMN claimed_at INTEGER;",
  },
];
