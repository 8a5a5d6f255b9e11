/** Who holds a step's lease, and whether that holder is gone. */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { StepRecord } from "../store/types.js";

/** This process in leases: host:pid:random (the random part tells restarts with a reused pid apart). */
export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

/**
 * A lease owner is gone when its lease expired, or it was a process on this host that died
 * (then its work is taken over at once instead of after the lease). `self` is this engine.
 */
export function ownerGone(row: StepRecord, now: number, self: string): boolean {
  if (row.leaseExpiresAt !== null && row.leaseExpiresAt < now) return true;
  const [host, pid] = (row.leaseOwner ?? "").split(":");
  if (host !== hostname() || !pid) return false;
  if (Number(pid) === process.pid) return row.leaseOwner !== self;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch {
    return true;
  }
}
