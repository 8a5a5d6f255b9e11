import { defineStep, type StepContext } from "../../src/plugin/index.js";

type Level = "debug" | "info" | "warn" | "error";

interface LogInput {
  message: unknown;
  level?: Level;
}

export default defineStep<LogInput, { message: string }>({
  name: "log",
  description: "Write a message to the run's log; non-string values are written as JSON.",
  inputSchema: {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    additionalProperties: false,
    required: ["message"],
    properties: {
      message: {
        description: "Text to log, or any value (logged as JSON).",
        examples: ["fetched {{ steps.fetch.output.body.total }} sales", "{{ steps.fetch.output.body }}"],
      },
      level: {
        type: "string",
        enum: ["debug", "info", "warn", "error"],
        default: "info",
        description: "Log level.",
        examples: ["warn"],
      },
    },
  },
  outputSchema: {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    additionalProperties: false,
    required: ["message"],
    properties: {
      message: { type: "string", description: "The text that was logged.", examples: ["fetched 42 sales"] },
    },
  },
  examples: [
    {
      title: "Log a summary",
      yaml: 'uses: log\nwith:\n  message: "fetched {{ steps.fetch.output.body.total }} sales"',
    },
  ],
  async run(ctx: StepContext<LogInput>) {
    const message = toText(ctx.input.message);
    ctx.log[ctx.input.level ?? "info"](message);
    return { message };
  },
  dryRun({ input }) {
    return `would log (${input.level ?? "info"}): ${toText(input.message)}`;
  },
});

function toText(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}
