/**
 * The step type that stands in for a mocked step in `weft test` and runWorkflow. Its input
 * carries the outcomes (never templated); attempt N plays outcome N, and the last outcome
 * repeats, so `[error, error, output]` exercises the step's real retry policy.
 * Workers import this module from dist/, like any plugin.
 */
import { defineStep, NonRetryableError, RetryableError } from "../plugin/index.js";

export const MOCK_STEP_TYPE = "weft-test/mock";

export type MockOutcome =
  | { output: unknown }
  | { error: { message: string; retryable?: boolean; code?: string; retryAfterMs?: number } };

export default defineStep<{ outcomes: MockOutcome[]; of: string }, unknown>({
  name: MOCK_STEP_TYPE,
  description: "Plays back fixed outcomes in place of a mocked step (used by weft test).",
  inputSchema: {
    type: "object",
    required: ["outcomes", "of"],
    properties: {
      outcomes: { type: "array", minItems: 1 },
      of: { type: "string", description: "The step type this mock replaces." },
    },
  },
  literalInputs: ["outcomes"],
  async run(ctx) {
    const { outcomes } = ctx.input;
    const outcome = outcomes[Math.min(ctx.attempt, outcomes.length) - 1]!;
    if ("error" in outcome) {
      const e = outcome.error;
      ctx.log.info(`mock of ${ctx.input.of}: attempt ${ctx.attempt} fails with "${e.message}"`);
      const code = e.code ?? "WEFT_TEST_MOCK_ERROR";
      if (e.retryable === false) throw new NonRetryableError(e.message, { code });
      throw new RetryableError(e.message, {
        code,
        ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
      });
    }
    ctx.log.info(`mock of ${ctx.input.of}: attempt ${ctx.attempt} returns the mocked output`);
    return outcome.output;
  },
  dryRun({ input }) {
    return `would play back ${input.outcomes.length} mocked outcome(s) instead of ${input.of}`;
  },
});
