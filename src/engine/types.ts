import type { WeftErrorData } from "../errors.js";
import type { StepStatus } from "../store/types.js";

/** A state change of one step, reported after it is durable (for live views and logs). */
export interface StepEvent {
  runId: string;
  stepId: string;
  item: number;
  status: StepStatus | "retrying";
  attempt: number;
  durationMs?: number;
  error?: WeftErrorData;
  /** When a retry is due (ms since epoch). */
  retryAt?: number;
}

export interface RunEvent {
  runId: string;
  workflow: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  error?: WeftErrorData | null;
}

export interface StepLogEvent {
  runId: string;
  stepId: string;
  item: number;
  attempt: number;
  level: "debug" | "info" | "warn" | "error";
  message: string;
}
