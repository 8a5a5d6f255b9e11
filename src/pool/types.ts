import type { MessagePort } from "node:worker_threads";
import type { WeftErrorData } from "../errors.js";
import type { RunInfo } from "../plugin/types.js";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** One attempt of one step, as plain data that crosses into a worker thread. */
export interface StepTask {
  /** file: URL of a compiled ES module; default export = StepType, or a Plugin ({ steps }). */
  moduleUrl: string;
  /** Name to pick when the module exports a Plugin. */
  stepType: string;
  input: unknown;
  attempt: number;
  idempotencyKey: string;
  run: RunInfo;
  step: { id: string; item?: number };
  /** Last saved state, returned by ctx.checkpoint.get(). */
  checkpoint: unknown | undefined;
  /** Values available through ctx.secrets.get(name). */
  secrets: Record<string, string>;
  workspace: string;
  timeoutMs: number;
}

export interface StepHooks {
  onLog(level: LogLevel, message: string): void;
  /** Resolves when `state` is durable; ctx.checkpoint.save() in the step awaits it. */
  onCheckpoint(state: unknown): Promise<void>;
}

export type StepOutcome =
  | { ok: true; output: unknown; durationMs: number }
  | { ok: false; error: WeftErrorData; durationMs: number };

export interface ResourceLimits {
  maxOldGenerationSizeMb?: number;
  maxYoungGenerationSizeMb?: number;
  stackSizeMb?: number;
}

export interface StepPoolOptions {
  /** Worker threads (fixed); defaults to os.availableParallelism(). */
  size?: number;
  /** How long a step may keep running after its signal aborted before its thread is terminated. */
  graceMs?: number;
  /**
   * How long a thread that ran out of work, while it was the only busy one, waits spinning
   * for the next step before it parks (default 1 ms; 0: never).
   */
  lingerMs?: number;
  /** How long `run` polls for the result of the only step in flight before it sleeps (default 0.3 ms; 0: never). */
  spinMs?: number;
  /** Per worker thread; maxOldGenerationSizeMb defaults to 256. */
  resourceLimits?: ResourceLimits;
  /**
   * Called when a worker fails while no task is attributed to it (e.g. a timer a step left
   * behind throws after the step finished). The pool replaces the worker either way.
   */
  onWorkerError?: (error: Error) => void;
}

// ---- wire format between StepPool (main thread) and worker.ts -------------------------------

/** One attempt on the wire. `id` tags every message of this attempt on the thread's link. */
export interface WireTask {
  id: number;
  task: StepTask;
}

/**
 * What piscina carries to a worker: attempts the thread runs one after another, reporting
 * each result on its link as it ends. `control` holds the index of the next item to start;
 * the main thread swaps in REVOKED to take back the items not started yet (batch.ts).
 */
export interface WireBatch {
  /** Tags items appended to this batch on the thread's link. */
  batch: number;
  control: SharedArrayBuffer;
  items: WireTask[];
  /** How long the thread waits, spinning, for an appended item after its last one (0: not). */
  lingerMs: number;
}

/**
 * Posted once on parentPort by each worker thread as it boots (piscina relays it as a
 * "message" event): the thread's link port, shared by all tasks it runs, and its start clock.
 */
export interface ThreadHello {
  weftThread: { port: MessagePort; clock: SharedArrayBuffer; threadId: number };
}

/** Worker → main, on the thread's link port. */
export type WorkerMessage =
  | { t: "log"; id: number; level: LogLevel; message: string }
  | { t: "save"; id: number; seq: number; state: unknown }
  | { t: "done"; id: number; result: WireResult };

/** Main → worker, on the thread's link port. */
export type TaskMessage =
  | { t: "abort"; id: number; reason: "timeout" | "cancel" }
  | { t: "ack"; id: number; seq: number; error?: WeftErrorData };

/** Main → worker, on the thread's link port: for a running task, or an item appended to a batch. */
export type MainMessage = TaskMessage | { t: "item"; batch: number; index: number; item: WireTask };

/**
 * One attempt's result: the step never throws across the boundary. Flat, because every
 * object costs time to clone between threads.
 */
export type WireResult = ({ ok: true; output: unknown } | { ok: false; error: WeftErrorData }) & {
  /** Messages the worker posted for this task, so the main thread can wait for the last log line. */
  sent: number;
  /** When the task started in the worker (see clock.ts), for durationMs. */
  startedAt: number;
};

/**
 * What `run` needs of a cancellation signal. An AbortSignal fits; the engine passes a
 * lighter object because creating an AbortController per step costs tens of microseconds.
 */
export interface StopSignal {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}
