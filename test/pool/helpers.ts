import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { LogLevel, StepHooks, StepTask } from "../../src/pool/index.js";

// Fixtures are plain .mjs so worker threads load them without a build step; the pool's own
// worker comes from dist/ (`npm test` builds first; alone, run `npx tsc -p tsconfig.json`).
export function fixtureTask(file: string, overrides: Partial<StepTask> = {}): StepTask {
  return {
    moduleUrl: pathToFileURL(join(import.meta.dirname, "..", "fixtures", "steps", `${file}.mjs`)).href,
    stepType: file,
    input: {},
    attempt: 1,
    idempotencyKey: "run-1:s1",
    run: { id: "run-1", workflow: "wf", version: "abc" },
    step: { id: "s1" },
    checkpoint: undefined,
    secrets: {},
    workspace: tmpdir(),
    timeoutMs: 10_000,
    ...overrides,
  };
}

export function recordingHooks(checkpointDelayMs = 0): StepHooks & {
  logs: Array<[LogLevel, string]>;
  checkpoints: unknown[];
} {
  const logs: Array<[LogLevel, string]> = [];
  const checkpoints: unknown[] = [];
  return {
    logs,
    checkpoints,
    onLog: (level, message) => logs.push([level, message]),
    onCheckpoint: async (state) => {
      await new Promise((r) => setTimeout(r, checkpointDelayMs));
      checkpoints.push(state);
    },
  };
}
