/** The slice of the engine triggers need; the real Engine fits it, tests may pass a fake. */
import type { RunRecord, TriggerInfo, VersionRecord } from "../store/types.js";

export interface StartRunRequest {
  version: VersionRecord;
  inputs: Record<string, unknown>;
  trigger: TriggerInfo;
  idempotencyKey?: string;
}

export interface RunStarter {
  startRun(req: StartRunRequest): Promise<{ run: RunRecord; created: boolean }>;
}
