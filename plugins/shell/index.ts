import { defineStep, NonRetryableError, parseDuration, type StepContext } from "../../src/plugin/index.js";
import { resolveCwd } from "./cwd.js";
import { buildEnv } from "./env.js";
import { type ProcessResult, runProcess } from "./process.js";
import {
  DEFAULT_MAX_OUTPUT_BYTES,
  inputSchema,
  outputSchema,
  type ShellInput,
  type ShellOutput,
} from "./schema.js";

const STDERR_TAIL_LINES = 5;
const STDERR_TAIL_CHARS = 1000;

export default defineStep<ShellInput, ShellOutput>({
  name: "shell",
  description:
    "Run a program (argv array, no shell) or a literal /bin/sh script in the workspace, in its own process group.",
  inputSchema,
  outputSchema,
  literalInputs: ["script"],
  examples: [
    {
      title: "Run a script file with a templated value in the environment",
      yaml: 'uses: shell\nwith:\n  command: ["./scripts/post.sh"]\n  env: { TOTAL: "{{ steps.fetch.output.body.total }}" }\n  timeout: 30s',
    },
    {
      title: "Inline script reading values from env and args, JSON output",
      yaml: 'uses: shell\nwith:\n  script: |\n    set -eu\n    printf \'{"greeting": "hello %s", "files": %s}\' "$NAME" "$#"\n  args: ["a.txt", "b.txt"]\n  env: { NAME: "{{ inputs.name }}" }\n  parseJson: true',
    },
  ],
  async run(ctx: StepContext<ShellInput>): Promise<ShellOutput> {
    const input = ctx.input;
    const { file, argv } = program(input);
    const result = await runProcess({
      file,
      argv,
      cwd: resolveCwd(ctx.workspace, input.cwd),
      env: buildEnv(ctx, input.env),
      input: input.input,
      maxOutputBytes: input.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      timeoutMs: input.timeout === undefined ? undefined : parseDuration(input.timeout),
      signal: ctx.signal,
      log: ctx.log,
    }).catch((err: unknown) => {
      // spawn() throws synchronously only for bad arguments (e.g. a NUL byte in env or argv).
      throw new NonRetryableError(`shell: cannot start ${describe(input)}: ${String(err)}`, { cause: err });
    });
    if (result.stoppedBy === "abort") throw ctx.signal.reason ?? new Error("shell: aborted");
    if (result.stoppedBy === "timeout") {
      throw new Error(
        `shell: ${describe(input)} timed out after ${input.timeout}; its process group was killed`,
      );
    }
    if (result.spawnError) throw spawnFailure(input, result.spawnError);
    return output(input, result);
  },
  dryRun({ input }) {
    const what = input.command
      ? JSON.stringify([...input.command, ...(input.args ?? [])])
      : "script via /bin/sh -c";
    const args = input.script && input.args?.length ? ` with args ${JSON.stringify(input.args)}` : "";
    const env =
      input.env && Object.keys(input.env).length ? ` with env ${Object.keys(input.env).join(", ")}` : "";
    return `would run: ${what}${args} in ${input.cwd ?? "."}${env}`;
  },
});

function program(input: ShellInput): { file: string; argv: string[] } {
  if (input.command && input.script !== undefined) {
    throw new NonRetryableError("shell: set either `command` or `script`, not both");
  }
  if (input.command) {
    const [file, ...rest] = input.command;
    if (!file) throw new NonRetryableError("shell: `command` needs at least the program name");
    return { file, argv: [...rest, ...(input.args ?? [])] };
  }
  if (input.script !== undefined) {
    // "$0" is the conventional name slot; args become $1… so "$@" expands to exactly them.
    return { file: "/bin/sh", argv: ["-c", input.script, "weft-shell", ...(input.args ?? [])] };
  }
  throw new NonRetryableError("shell: set `command` (an argv array) or `script`");
}

function output(input: ShellInput, result: ProcessResult): ShellOutput {
  const exitCode = result.exitCode;
  if (exitCode === null) {
    throw new Error(
      `shell: ${describe(input)} was killed by ${result.signal ?? "a signal"}${tail(result.stderr)}`,
    );
  }
  if (exitCode === 126 || exitCode === 127) {
    const why = exitCode === 127 ? "command not found" : "not executable";
    throw new NonRetryableError(
      `shell: ${describe(input)} exited with ${exitCode} (${why})${tail(result.stderr)}`,
      {
        code: "WEFT_SHELL_NOT_FOUND",
      },
    );
  }
  if (exitCode !== 0)
    throw new Error(`shell: ${describe(input)} exited with code ${exitCode}${tail(result.stderr)}`);
  const out: ShellOutput = {
    exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    truncated: result.truncated,
  };
  if (input.parseJson) out.json = parseJsonOutput(result);
  return out;
}

function parseJsonOutput(result: ProcessResult): unknown {
  if (result.truncated) {
    throw new NonRetryableError("shell: parseJson is set but stdout was truncated; raise maxOutputBytes", {
      code: "WEFT_SHELL_JSON_INVALID",
    });
  }
  try {
    return JSON.parse(result.stdout);
  } catch (err) {
    const excerpt = result.stdout.slice(0, 200);
    throw new NonRetryableError(
      `shell: parseJson is set but stdout is not JSON (${String(err)}): ${excerpt}`,
      {
        code: "WEFT_SHELL_JSON_INVALID",
      },
    );
  }
}

function spawnFailure(input: ShellInput, err: NodeJS.ErrnoException): Error {
  const reason = err.code === "ENOENT" ? "command not found" : (err.code ?? err.message);
  const message = `shell: cannot start ${describe(input)}: ${reason}`;
  if (err.code === "ENOENT" || err.code === "EACCES" || err.code === "ENOTDIR") {
    return new NonRetryableError(message, { code: "WEFT_SHELL_NOT_FOUND" });
  }
  return new Error(message);
}

function describe(input: ShellInput): string {
  return input.command ? JSON.stringify(input.command[0]) : "script";
}

function tail(stderr: string): string {
  const lines = stderr.trimEnd().split("\n").slice(-STDERR_TAIL_LINES).join("\n");
  if (!lines) return "";
  return `; stderr ends with:\n${lines.length > STDERR_TAIL_CHARS ? `…${lines.slice(-STDERR_TAIL_CHARS)}` : lines}`;
}
