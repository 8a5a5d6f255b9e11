import { appendFile, readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { defineStep, NonRetryableError, RetryableError } from "weft/plugin";

export const greet = defineStep({
  name: "acme/greet",
  description:
    "Append a greeting per name to a file in the workspace. Each line carries the step's idempotency key, so a retried or resumed step never writes a line twice.",
  inputSchema: {
    type: "object",
    additionalProperties: false,
    required: ["names"],
    properties: {
      names: {
        type: "array",
        items: { type: "string", minLength: 1 },
        minItems: 1,
        description: "Who to greet, one line each.",
        examples: [["Ada", "Grace"]],
      },
      greeting: {
        type: "string",
        enum: ["Hello", "Hi", "Welcome"],
        default: "Hello",
        description: "The word to greet with.",
      },
      file: {
        type: "string",
        default: "greetings.txt",
        description: "File to append to, relative to the workspace; it must stay inside it.",
        examples: ["out/greetings.txt"],
      },
      signature: {
        type: "string",
        description: 'Appended to each line; pass a secret as "{{ secrets.NAME }}" and it stays out of logs.',
      },
    },
  } as const,
  outputSchema: {
    type: "object",
    required: ["file", "written"],
    properties: {
      file: { type: "string", description: "The file, relative to the workspace." },
      written: { type: "integer", description: "Lines this attempt wrote (0 when all were there already)." },
    },
  },
  examples: [
    {
      title: "Greet the people named in an input",
      yaml: 'uses: acme/greet\nwith:\n  names: ["{{ inputs.name }}", "Grace"]\n  greeting: Welcome',
    },
  ],
  async run(ctx) {
    const { names, greeting = "Hello", file = "greetings.txt" } = ctx.input;
    const path = resolve(ctx.workspace, file);
    const rel = relative(ctx.workspace, path);
    if (rel.startsWith("..") || isAbsolute(rel)) {
      throw new NonRetryableError(`acme/greet: file ${file} is outside the workspace`, {
        code: "ACME_GREET_PATH",
      });
    }
    // The checkpoint says how many names earlier attempts finished; the file may hold one more
    // line than that (written just before a crash), which the idempotency key finds.
    const start = ctx.checkpoint.get<{ done: number }>()?.done ?? 0;
    const existing = await readExisting(path);
    let written = 0;
    for (let i = start; i < names.length; i++) {
      ctx.signal.throwIfAborted();
      const key = `${ctx.idempotencyKey}#${i}`;
      if (!existing.includes(`[${key}]`)) {
        const sig = ctx.input.signature ? ` -- ${ctx.input.signature}` : "";
        await write(path, `[${key}] ${greeting}, ${names[i]}!${sig}\n`);
        written++;
      }
      await ctx.checkpoint.save({ done: i + 1 });
    }
    ctx.log.info(`greeted ${names.length} in ${rel} (${written} new lines)`);
    return { file: rel, written };
  },
  dryRun({ input }) {
    return `would append ${input.names.length} greeting(s) to ${input.file ?? "greetings.txt"}`;
  },
});

async function readExisting(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw err;
  }
}

async function write(path: string, line: string): Promise<void> {
  try {
    await appendFile(path, line);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Too many open files, or the file is busy: worth another try a little later.
    if (code === "EMFILE" || code === "EBUSY" || code === "EAGAIN") {
      throw new RetryableError(`acme/greet: ${path} is busy (${code})`, { retryAfterMs: 1000, cause: err });
    }
    // A directory in the way, no permission, no such folder: retrying will not help.
    throw new NonRetryableError(`acme/greet: cannot write ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
