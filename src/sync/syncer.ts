/**
 * Pull-based sync: fetch the branch into a bare mirror on an interval (or at once when asked,
 * e.g. by a push webhook), and deploy each new head commit atomically through the store.
 * A commit is looked at once: its result (deployed, failed, unchanged) is recorded and the
 * same head is not recorded again on later polls. An unreachable remote only backs off; the
 * active workflows are never touched by a failure to fetch.
 */
import { join } from "node:path";
import { toErrorData } from "../errors.js";
import { builtinRegistry } from "../plugin/builtins.js";
import type { StepTypeLookup } from "../plugin/registry.js";
import type { Diagnostic } from "../spec/types.js";
import type { DeploymentRecord, Store } from "../store/types.js";
import { exportCommit, pruneCheckouts } from "./checkout.js";
import { readWorkflowFiles } from "./commit-files.js";
import { buildCommit, type CommitBuild, failedBuild, sameAsActive } from "./deploy.js";
import { SyncError } from "./errors.js";
import { type CommitReader, GitMirror } from "./mirror.js";
import { checkBranch, checkWorkflowsDir, parseRemote, type RemoteSpec } from "./remote.js";

/** Exported commits of this many latest deploys are kept besides the active ones. */
const KEEP_RECENT_DEPLOYS = 3;

export interface SyncerOptions {
  store: Store;
  /** https://…, ssh://…, git@host:path, file:///… or a local path (see remote.ts). */
  repo: string;
  branch: string;
  /** The bare mirror lives in `<dataDir>/repo.git`. */
  dataDir: string;
  /** Folder of workflow files inside the repository; default "workflows". */
  workflowsDir?: string;
  /** Step types a commit may use; a plugin loader reads the commit's `plugins/` through `reader`. */
  typesFor?: (sha: string, reader: CommitReader) => Promise<StepTypeLookup>;
  now?: () => number;
  /** Called after each recorded deployment (deployed, failed or unchanged). Must not throw. */
  onDeploy?: (d: DeploymentRecord) => void;
  /** Called after a deploy pruned exported commits (or failed to). Must not throw. */
  onCheckoutsPruned?: (removed: string[], error?: Error) => void;
  /** Called when a sync attempt fails (remote unreachable, git or store error). Must not throw. */
  onError?: (err: Error, attempt: number) => void;
  /** First delay after a failure; default: the poll interval given to start(). */
  minBackoffMs?: number;
  /** Longest delay between attempts while failing; default 5 minutes (at least the poll interval). */
  maxBackoffMs?: number;
  /** Timeout of one fetch; default 2 minutes. */
  fetchTimeoutMs?: number;
  /** Folder relative local repository paths are resolved against; default process.cwd(). */
  cwd?: string;
}

export type SyncResult =
  | {
      outcome: "deployed" | "failed";
      commit: string;
      deployment: DeploymentRecord;
      /** Errors (failed) or warnings (deployed), with file:line:col. */
      diagnostics: Diagnostic[];
    }
  | {
      outcome: "unchanged";
      commit: string;
      /** Set when this head was new but its workflows equal the active set (recorded once). */
      deployment?: DeploymentRecord;
    }
  | { outcome: "error"; error: Error };

export interface SyncStatus {
  remote: string;
  branch: string;
  /** Last attempt that fetched and handled the head without error. */
  lastSuccessAt?: number;
  lastAttemptAt?: number;
  lastError?: string;
  /** The fetched head commit. */
  head?: string;
  consecutiveFailures: number;
  /** When the poll loop tries next (absent when not started). */
  nextAttemptAt?: number;
}

const DEFAULT_MAX_BACKOFF_MS = 5 * 60_000;

/** Delay before the next attempt after `failures` consecutive failures (1, 2, …). */
export function backoffDelay(failures: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}

export class Syncer {
  readonly remote: RemoteSpec;
  readonly branch: string;
  readonly workflowsDir: string;
  readonly mirror: GitMirror;
  private readonly opts: SyncerOptions;
  private readonly now: () => number;
  private readonly state: SyncStatus;
  /** Commit of the newest deployment record, read from the store once. */
  private lastRecorded: string | null | undefined;
  private current: Promise<SyncResult> | undefined;
  private next: Promise<SyncResult> | undefined;
  private pollMs: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private abort = new AbortController();

  /** Validates the repository, branch and folder at once; throws WEFT_SYNC_* errors. */
  constructor(opts: SyncerOptions) {
    this.opts = opts;
    this.remote = parseRemote(opts.repo, opts.cwd);
    this.branch = checkBranch(opts.branch);
    this.workflowsDir = checkWorkflowsDir(opts.workflowsDir ?? "workflows");
    this.mirror = new GitMirror(join(opts.dataDir, "repo.git"), {
      ...(opts.fetchTimeoutMs === undefined ? {} : { fetchTimeoutMs: opts.fetchTimeoutMs }),
    });
    this.now = opts.now ?? Date.now;
    this.state = { remote: this.remote.display, branch: this.branch, consecutiveFailures: 0 };
  }

  get status(): Readonly<SyncStatus> {
    return { ...this.state };
  }

  /** Polls every `pollMs` (backing off while failing), starting at once. */
  start(pollMs: number): void {
    if (this.pollMs !== undefined) return;
    if (!(pollMs > 0)) throw new RangeError("poll interval must be a positive number of milliseconds");
    this.pollMs = pollMs;
    this.schedule(0);
  }

  /** Stops polling, stops a running git command and waits for the current attempt to end. */
  async stop(): Promise<void> {
    this.pollMs = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    delete this.state.nextAttemptAt;
    this.abort.abort();
    await Promise.allSettled([this.current, this.next]);
    this.abort = new AbortController();
  }

  /**
   * Syncs now (for `POST /api/sync`). One sync runs at a time; requests made while one runs
   * share a single follow-up sync that starts after it, so a push is never missed.
   */
  requestSync(): Promise<SyncResult> {
    if (this.next) return this.next;
    const running = this.current;
    if (!running) return this.launch();
    const follow = (): Promise<SyncResult> => {
      this.next = undefined;
      if (this.abort.signal.aborted) return Promise.resolve({ outcome: "error", error: stoppedError() });
      return this.launch();
    };
    this.next = running.then(follow, follow);
    return this.next;
  }

  /** One fetch-and-deploy attempt. Never rejects; prefer requestSync() when polling runs too. */
  async syncOnce(): Promise<SyncResult> {
    this.state.lastAttemptAt = this.now();
    let result: SyncResult;
    try {
      const sha = await this.mirror.fetch(this.remote, this.branch, this.abort.signal);
      this.state.head = sha;
      result = await this.deploy(sha);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      // Being stopped is not a failure of the remote: no backoff, no error report.
      if (this.abort.signal.aborted) return { outcome: "error", error };
      this.state.consecutiveFailures += 1;
      this.state.lastError = toErrorData(error).message;
      notify(() => this.opts.onError?.(error, this.state.consecutiveFailures));
      return { outcome: "error", error };
    }
    this.state.lastSuccessAt = this.now();
    this.state.consecutiveFailures = 0;
    delete this.state.lastError;
    // After the status is updated, so a listener reading it sees this sync's outcome.
    const recorded = "deployment" in result ? result.deployment : undefined;
    if (recorded) notify(() => this.opts.onDeploy?.(recorded));
    return result;
  }

  private launch(): Promise<SyncResult> {
    const run: Promise<SyncResult> = this.syncOnce().finally(() => {
      if (this.current === run) this.current = undefined;
      this.reschedule();
    });
    this.current = run;
    return run;
  }

  /**
   * Every deployed commit is exported once; without pruning a busy repository fills the disk.
   * Kept: the active commits, those of unfinished runs, and the last few deploys (a rollback
   * or a resume soon after needs no new export). A later resume of a pruned commit's run
   * exports it again.
   */
  private async prune(): Promise<void> {
    const { store } = this.opts;
    try {
      const keep = new Set<string>();
      for (const a of await store.activeWorkflows()) if (a.version.commit) keep.add(a.version.commit);
      for (const run of await store.activeRuns()) {
        const commit = (await store.getVersion(run.versionId))?.commit;
        if (commit) keep.add(commit);
      }
      const recent = (await store.listDeployments({ limit: 50 })).filter((d) => d.result === "deployed");
      for (const d of recent.slice(0, KEEP_RECENT_DEPLOYS)) keep.add(d.commit);
      const removed = pruneCheckouts(this.opts.dataDir, keep);
      if (removed.length > 0) notify(() => this.opts.onCheckoutsPruned?.(removed));
    } catch (err) {
      notify(() => this.opts.onCheckoutsPruned?.([], err as Error));
    }
  }

  private async deploy(sha: string): Promise<SyncResult> {
    if (this.lastRecorded === undefined) {
      const [latest] = await this.opts.store.listDeployments({ limit: 1 });
      this.lastRecorded = latest?.commit ?? null;
    }
    if (this.lastRecorded === sha) return { outcome: "unchanged", commit: sha };

    const info = await this.mirror.commitInfo(sha);
    const build = await this.build(sha);
    let result: "deployed" | "failed" | "unchanged" = build.ok ? "deployed" : "failed";
    if (build.ok && build.versions.length > 0) {
      if (sameAsActive(build.versions, await this.opts.store.activeWorkflows())) result = "unchanged";
    }
    // The files must be in place before any run can be pinned to these versions.
    if (result === "deployed") await exportCommit(this.mirror.dir, sha, this.opts.dataDir);
    const deployment = await this.opts.store.recordDeployment({
      commit: sha,
      author: info.author,
      message: info.message,
      committedAt: info.committedAt,
      result,
      ...(build.diagnostics.length > 0 ? { errors: build.diagnostics } : {}),
      ...(build.ok ? { versions: build.versions } : {}),
    });
    this.lastRecorded = sha;
    if (result === "deployed") await this.prune();
    if (result === "unchanged") return { outcome: "unchanged", commit: sha, deployment };
    return { outcome: result, commit: sha, deployment, diagnostics: build.diagnostics };
  }

  private async build(sha: string): Promise<CommitBuild> {
    let types: StepTypeLookup;
    try {
      types = await (this.opts.typesFor ?? defaultTypes)(sha, this.mirror);
    } catch (err) {
      return failedBuild(err);
    }
    const files = await readWorkflowFiles(this.mirror, sha, this.workflowsDir);
    return buildCommit(files, types, {
      commit: sha,
      workflowsDir: this.workflowsDir,
      now: new Date(this.now()),
    });
  }

  private reschedule(): void {
    if (this.pollMs === undefined) return;
    if (this.timer) clearTimeout(this.timer);
    const failures = this.state.consecutiveFailures;
    const poll = this.pollMs;
    const delay =
      failures === 0
        ? poll
        : backoffDelay(
            failures,
            this.opts.minBackoffMs ?? poll,
            Math.max(this.opts.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS, poll),
          );
    this.schedule(delay);
  }

  private schedule(delay: number): void {
    this.state.nextAttemptAt = this.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.requestSync();
    }, delay);
    this.timer.unref();
  }
}

/** A listener's bug must not turn a good sync into a failed one or stop the poll loop. */
function notify(call: () => void): void {
  try {
    call();
  } catch {
    // Listeners log and count; there is nothing useful to do with their own failure here.
  }
}

function stoppedError(): Error {
  return SyncError.gitFailed({ command: "fetch", detail: "not started because sync is shutting down" });
}

let builtins: StepTypeLookup | undefined;

async function defaultTypes(): Promise<StepTypeLookup> {
  builtins ??= builtinRegistry();
  return builtins;
}
