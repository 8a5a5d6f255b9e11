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
  private readonly byIds = new Map<number, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly s: Statements,
  ) {}

  claim(req: ClaimRequest, now: number, readied: number[] = []): ClaimedStep[] {
    if (req.limit <= 0) {
      if (readied.length > 0) this.backlog = true;
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
      const row = this.s.claimStep.get(req.owner, expires, id) as ClaimedRow | undefined;
      if (row) out.push(claimedStep(row));
    }
    if (readied.length > 0) {
      const take = readied.slice(0, req.limit - out.length);
      const rows = this.claimIds(take, { owner: req.owner, expires, now, runs });
      rows.sort((a, b) => a.id - b.id);
      for (const row of rows) out.push(claimedStep(row));
      // Some stay queued (no room, another run's, a failing run's): the search must look.
      if (rows.length < readied.length) this.backlog = true;
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
   * One UPDATE for a whole claim, by an explicit id list: a third cheaper than an UPDATE per id,
   * and unlike `IN (SELECT … json_each)` a plain rowid lookup. Statements are made on first use
   * per list length, rounded up to a power of two past 8 (padded with NULL, which matches no
   * row), so a claim of any size up to 4096 uses one of a dozen statements. It takes only rows still claimable: queued, due, in a running run that
   * is not failing (unless the row is an onFailure step), and in the runs the claim is limited
   * to. Rows the search found hold by construction; rows a commit made ready may not.
   */
  private claimIds(ids: number[], params: Record<string, unknown>): ClaimedRow[] {
    const n = ids.length <= 8 ? ids.length : 2 ** Math.ceil(Math.log2(ids.length));
    const args: Array<number | null> = ids.slice();
    while (args.length < n) args.push(null);
    return this.byLength(n).all(params, ...args) as ClaimedRow[];
  }

  private byLength(n: number): Database.Statement {
    let stmt = this.byIds.get(n);
    if (!stmt) {
      stmt = this.db.prepare(
        `UPDATE steps SET status = 'running', lease_owner = @owner, lease_expires_at = @expires,
          epoch = epoch + 1, attempt = attempt + 1, attempt_started_at = NULL, attempt_owner = NULL
        WHERE id IN (${Array(n).fill("?").join(", ")})
          AND status = 'queued' AND not_before <= @now
          AND EXISTS (SELECT 1 FROM runs r WHERE r.id = steps.run_id AND r.status = 'running'
            AND (r.failing = 0 OR steps.on_failure = 1))
          AND (@runs IS NULL OR steps.run_id IN (SELECT value FROM json_each(@runs)))
        RETURNING ${CLAIMED_COLUMNS}`,
      );
      this.byIds.set(n, stmt);
    }
    return stmt;
  }
}
