import { DURATION_PATTERN, defineStep, parseDuration, type StepContext } from "../../src/plugin/index.js";

interface SleepInput {
  duration: string;
}

/** What survives a restart: when to wake, and for which duration (a changed duration starts over). */
interface SleepCheckpoint {
  wakeAt: number;
  durationMs: number;
}

export default defineStep<SleepInput, { sleptMs: number }>({
  name: "sleep",
  description:
    "Wait for a duration. The wake-up time is checkpointed, so a resumed run sleeps only what is left.",
  inputSchema: {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    additionalProperties: false,
    required: ["duration"],
    properties: {
      duration: {
        type: "string",
        pattern: DURATION_PATTERN,
        description: "How long to wait: 250ms, 30s, 5m, 1h30m, 2d.",
        examples: ["30s", "1h30m"],
      },
    },
  },
  outputSchema: {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    additionalProperties: false,
    required: ["sleptMs"],
    properties: {
      sleptMs: {
        type: "integer",
        description:
          "Milliseconds this attempt waited (less than the duration when resumed from a checkpoint).",
        examples: [30000],
      },
    },
  },
  examples: [{ title: "Wait before polling again", yaml: "uses: sleep\nwith:\n  duration: 5m" }],
  async run(ctx: StepContext<SleepInput>) {
    const durationMs = parseDuration(ctx.input.duration);
    const saved = ctx.checkpoint.get<SleepCheckpoint>();
    let wakeAt: number;
    if (saved && saved.durationMs === durationMs && typeof saved.wakeAt === "number") {
      wakeAt = saved.wakeAt;
    } else {
      wakeAt = Date.now() + durationMs;
      await ctx.checkpoint.save({ wakeAt, durationMs } satisfies SleepCheckpoint);
    }
    const started = Date.now();
    await wait(Math.max(0, wakeAt - started), ctx.signal);
    return { sleptMs: Date.now() - started };
  },
  dryRun({ input }) {
    return `would sleep ${input.duration}`;
  },
});

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
