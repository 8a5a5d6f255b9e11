import type { StepTypeLookup } from "../plugin/registry.js";
import type { StepPool } from "../pool/index.js";
import type { Store, VersionRecord } from "../store/types.js";
import type { SecretProvider } from "./secrets.js";
import type { RunEvent, StepEvent, StepLogEvent } from "./types.js";

export interface EngineOptions {
  store: Store;
  pool: StepPool;
  types: StepTypeLookup;
  workspace: string;
  /** Step types for a version (e.g. the plugins of its commit); default `types`. */
  typesFor?: (version: VersionRecord) => Promise<StepTypeLookup> | StepTypeLookup;
  /** The working directory for steps of a version (e.g. its commit's exported files). */
  workspaceFor?: (version: VersionRecord) => string | undefined;
  secrets?: SecretProvider;
  /** Identifies this process in leases: host:pid:random. */
  owner?: string;
  leaseMs?: number;
  /**
   * Steps claimed but not finished at once; keeps the pool's queue fed. Default 64 per pool
   * thread: two full batches each, so a thread's next batch is ready when it ends one. Each
   * is a lease this engine holds, so another node cannot take those steps meanwhile.
   */
  maxInFlight?: number;
  /** How often an idle engine looks for due retries and work from elsewhere. */
  pollMs?: number;
  /** How long a commit may wait for more results while many steps are in flight (group commit). */
  batchWindowMs?: number;
  /** Only work on these runs (a CLI `weft run` works on its own run). Null: every run. */
  onlyRuns?: Set<string> | null;
  now?: () => number;
  random?: () => number;
  onStep?: (e: StepEvent) => void;
  onRun?: (e: RunEvent) => void;
  onLog?: (e: StepLogEvent) => void;
}
