import type Database from "better-sqlite3";
import type { ClaimedStep, ClaimRequest } from "../types.js";
import { archive } from "./apply-op.js";
import { CLAIMED_COLUMNS, type ClaimedRow, claimedStep } from "./rows.js";
import type { Statements } from "./statements.js";

/** How often a claim looks for ready rows it was not told about (made by other processes). */
const SCAN_EVERY_MS = 100;

/**
 * Claims for one connection: expired leases first (their owner is gone, or paused past its
 * lease and will be fenced), then the rows this commit made ready, by id (a finished step's
 * dependents: a hand-off with no search), then ready rows in order of when they became due.
 * That search runs only when there may be such rows (`backlog`: a new run, a fan-out, a
 * resume, a search that filled its limit…), when a retry became due (`dueAt`), and every
 * SCAN_EVERY_MS (rows made ready by another process).
 */
export class Claimer {
  backlog = true;
  /** When the earliest retry waiting for its time is due (ms of the store's clock). */
  dueAt = Number.NEGATIVE_INFINITY;
  private lastExpiredCheck = Number.NEGATIVE_INFINITY;
  private lastScan = Number.NEGATIVE_INFINITY;
  private readonly claimById = new Map<number, Database.Statement>();
  private readonly enqueueById = new Map<number, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly s: Statements,
  ) {}

  claim(req: ClaimRequest, now: number, readied: number[] = []): ClaimedStep[] {
    if (req.limit <= 0) {
      this.enqueue(readied);
      return [];
    }
    const runs = req.runIds ? JSON.stringify(req.runIds) : null;
    const expires = now + req.leaseMs;
    const out: ClaimedStep[] = [];
    // Expired leases first: their owner is gone (or paused past its lease and will be fenced).
    // Leases last tens of seconds, so looking once every 250 ms (of the store's clock) is enough.
    let expired: Array<{ id: number }> = [];
    if (now - this.lastExpiredCheck >= 250 || now < this.lastExpiredCheck) {
      this.lastExpiredCheck = now;
      // Separate statements without the run filter: the json_each list costs a fifth of a claim.
      expired = (
        runs
          ? this.s.expiredLeases.all({ now, runs, limit: req.limit })
          : this.s.expiredLeasesAll.all({ now, limit: req.limit })
      ) as Array<{ id: number }>;
    }
    for (const { id } of expired) {
      archive(this.s, id, now);
      const row = this.s.claimStep.get({ owner: req.owner, expires, now, id }) as ClaimedRow | undefined;
      if (row) out.push(claimedStep(row));
    }
    if (readied.length > 0) {
      const take = readied.slice(0, req.limit - out.length);
      const rows = take.length > 0 ? this.claimIds(take, { owner: req.owner, expires, now, runs }) : [];
      rows.sort((a, b) => a.id - b.id);
      for (const row of rows) out.push(claimedStep(row));
      // The rest (no room, another run's, a failing run's) go to the queue for a later claim.
      if (rows.length < readied.length) {
        const claimed = new Set(rows.map((r) => r.id));
        this.enqueue(readied.filter((id) => !claimed.has(id)));
      }
    }
    const look =
      this.backlog || now >= this.dueAt || now - this.lastScan >= SCAN_EVERY_MS || now < this.lastScan;
    if (out.length < req.limit && look) {
      const limit = req.limit - out.length;
      const args = { now, limit };
      const ids = (
        runs ? this.s.readyToClaim.all({ ...args, runs }) : this.s.readyToClaimAll.all(args)
      ) as Array<{ id: number }>;
      this.lastScan = now;
      // A full page means more may be waiting.
      this.backlog = ids.length === limit;
      const next = this.s.nextDue.get(now) as { at: number | null };
      this.dueAt = next.at ?? Number.POSITIVE_INFINITY;
      if (ids.length > 0) {
        const rows = this.claimIds(
          ids.map((r) => r.id),
          { owner: req.owner, expires, now, runs },
        );
        rows.sort((a, b) => a.id - b.id);
        for (const row of rows) out.push(claimedStep(row));
      }
    }
    return out;
  }

  /**
   * Queues rows a commit made ready that its claim did not take (notified rows wait as
   * 'pending' with no dependency left until then); the search will find them.
   */
  enqueue(ids: number[]): void {
    if (ids.length === 0) return;
    this.backlog = true;
    this.byList(this.enqueueById, ids, (list) =>
      this.db.prepare(
        `UPDATE steps SET status = 'queued' WHERE id IN (${list}) AND status = 'pending' AND deps_remaining = 0`,
      ),
    ).run(...padded(ids));
  }

  /**
   * One UPDATE for a whole claim, by an explicit id list: a third cheaper than an UPDATE per
   * id, and unlike `IN (SELECT … json_each)` a plain rowid lookup. It takes only rows still
   * claimable: queued (or notified in this commit with no dependency left), due, in a running
   * run that is not failing (unless the row is an onFailure step), and in the runs the claim is
   * limited to. Rows the search found hold by construction; rows a commit made ready may not.
   */
  private claimIds(ids: number[], params: Record<string, unknown>): ClaimedRow[] {
    const stmt = this.byList(this.claimById, ids, (list) =>
      this.db.prepare(
        `UPDATE steps SET status = 'running', lease_owner = @owner, lease_expires_at = @expires,
          epoch = epoch + 1, attempt = attempt + 1, attempt_started_at = NULL, attempt_owner = @owner,
          claimed_at = @now
        WHERE id IN (${list})
          AND (status = 'queued' OR (status = 'pending' AND deps_remaining = 0)) AND not_before <= @now
          AND EXISTS (SELECT 1 FROM runs r WHERE r.id = steps.run_id AND r.status = 'running'
            AND (r.failing = 0 OR steps.on_failure = 1))
          AND (@runs IS NULL OR steps.run_id IN (SELECT value FROM json_each(@runs)))
        RETURNING ${CLAIMED_COLUMNS}`,
      ),
    );
    return stmt.all(params, ...padded(ids)) as ClaimedRow[];
  }

  /** The statement for an id list as long as `ids`, padded (see padded), made on first use. */
  private byList(
    cache: Map<number, Database.Statement>,
    ids: number[],
    make: (list: string) => Database.Statement,
  ): Database.Statement {
    const n = paddedLength(ids.length);
    let stmt = cache.get(n);
    if (!stmt) {
      stmt = make(Array(n).fill("?").join(", "));
      cache.set(n, stmt);
    }
    return stmt;
  }
}

/** Lengths past 8 round up to a power of two: a dozen statements serve any list up to 4096. */
function paddedLength(n: number): number {
  return n <= 8 ? n : 2 ** Math.ceil(Math.log2(n));
}

/** The ids, padded with NULL (which matches no row) to paddedLength. */
function padded(ids: number[]): Array<number | null> {
  const args: Array<number | null> = ids.slice();
  const n = paddedLength(ids.length);
  while (args.length < n) args.push(null);
  return args;
}
