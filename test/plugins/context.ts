import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StepContext } from "../../src/plugin/index.js";

export interface TestContext<I> {
  ctx: StepContext<I>;
  logs: Array<{ level: string; message: string }>;
  saved: unknown[];
  controller: AbortController;
}

/** A hand-built StepContext for running a step type in-process, recording what it logs and saves. */
export function makeContext<I>(
  input: I,
  opts: { workspace?: string; checkpoint?: unknown; attempt?: number } = {},
): TestContext<I> {
  const logs: Array<{ level: string; message: string }> = [];
  const saved: unknown[] = [];
  const controller = new AbortController();
  let checkpoint = opts.checkpoint;
  const record = (level: string) => (message: string) => logs.push({ level, message });
  const ctx: StepContext<I> = {
    input,
    signal: controller.signal,
    log: { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") },
    attempt: opts.attempt ?? 1,
    idempotencyKey: "run-1:step-a",
    run: { id: "run-1", workflow: "wf", version: "abc123" },
    step: { id: "step-a" },
    checkpoint: {
      get: <T>() => checkpoint as T | undefined,
      save: async (state: unknown) => {
        saved.push(state);
        checkpoint = state;
      },
    },
    secrets: { get: () => undefined },
    workspace: opts.workspace ?? mkdtempSync(join(tmpdir(), "weft-plugin-")),
  };
  return { ctx, logs, saved, controller };
}
