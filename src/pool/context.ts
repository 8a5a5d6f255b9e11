import type { Checkpoint, RunInfo, StepContext, StepLogger } from "../plugin/types.js";
import type { TaskChannel } from "./channel.js";
import type { StepTask } from "./types.js";

/**
 * The `ctx` a step's run() receives. A class rather than an object literal: `signal` must be
 * lazy (an AbortController per task is costly to make and to collect, and most steps never
 * read it), and a getter inside an object literal made V8 keep every context alive for
 * longer — worker GC pauses grew ~5×. Here the getter lives on the prototype, so spreading
 * ctx (`{ ...ctx }`) drops `signal`; pass ctx itself along.
 */
export class TaskContext implements StepContext {
  readonly input: unknown;
  readonly log: StepLogger;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly run: RunInfo;
  readonly step: { id: string; item?: number };
  readonly checkpoint: Checkpoint;
  readonly secrets: { get(name: string): string | undefined };
  readonly workspace: string;
  // A true private field: a step enumerating ctx sees only the StepContext fields.
  readonly #channel: TaskChannel;

  constructor(task: StepTask, channel: TaskChannel) {
    this.#channel = channel;
    let saved = task.checkpoint;
    this.input = task.input;
    this.log = {
      debug: (m) => channel.log("debug", m),
      info: (m) => channel.log("info", m),
      warn: (m) => channel.log("warn", m),
      error: (m) => channel.log("error", m),
    };
    this.attempt = task.attempt;
    this.idempotencyKey = task.idempotencyKey;
    this.run = task.run;
    this.step = task.step;
    this.checkpoint = {
      get: <T>() => saved as T | undefined,
      save: async (state: unknown) => {
        await channel.save(state);
        saved = state;
      },
    };
    const { secrets } = task;
    this.secrets = { get: (name: string) => (Object.hasOwn(secrets, name) ? secrets[name] : undefined) };
    this.workspace = task.workspace;
  }

  get signal(): AbortSignal {
    return this.#channel.signal;
  }
}
