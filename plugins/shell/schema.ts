import { DURATION_PATTERN, type JsonSchema } from "../../src/plugin/index.js";

export interface ShellInput {
  command?: string[];
  script?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  timeout?: string;
  parseJson?: boolean;
  maxOutputBytes?: number;
  input?: string;
}

export interface ShellOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
  json?: unknown;
  truncated: boolean;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

export const inputSchema: JsonSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  additionalProperties: false,
  oneOf: [{ required: ["command"] }, { required: ["script"] }],
  properties: {
    command: {
      type: "array",
      items: { type: "string" },
      minItems: 1,
      description:
        "Program and arguments, run directly without a shell. Each element is one argument, so templated values cannot inject shell syntax.",
      examples: [
        ["./scripts/post.sh", "--dry-run"],
        ["git", "status", "--short"],
      ],
    },
    script: {
      type: "string",
      description:
        'Shell script run by /bin/sh -c. Never templated: pass values through `env` or `args` and quote them ("$TOTAL", "$1").',
      examples: ['set -eu\necho "total is $TOTAL"', 'for f in "$@"; do wc -l "$f"; done'],
    },
    args: {
      type: "array",
      items: { type: "string" },
      description:
        'Positional parameters for `script` ($1, $2, … and "$@"); with `command` they are appended to the argv.',
      examples: [["reports/daily.csv", "reports/weekly.csv"]],
    },
    env: {
      type: "object",
      additionalProperties: { type: "string" },
      description:
        "Environment variables for the process, set over a minimal inherited environment (PATH, HOME, LANG, LC_ALL, TZ, TMPDIR, USER).",
      examples: [{ TOTAL: "{{ steps.fetch.output.body.total }}", API_TOKEN: "{{ secrets.API_TOKEN }}" }],
    },
    cwd: {
      type: "string",
      description:
        "Working directory relative to the workflow workspace; it must stay inside it (no `..` escapes, no symlinks leading out).",
      default: ".",
      examples: ["scripts", "build/output"],
    },
    timeout: {
      type: "string",
      pattern: DURATION_PATTERN,
      description:
        "Kill the process group after this long (SIGTERM, then SIGKILL). The step's own `timeout` also applies.",
      examples: ["30s", "5m"],
    },
    parseJson: {
      type: "boolean",
      default: false,
      description: "Parse stdout as JSON into the `json` output.",
      examples: [true],
    },
    maxOutputBytes: {
      type: "integer",
      minimum: 1,
      default: DEFAULT_MAX_OUTPUT_BYTES,
      description:
        "Bytes kept per stream (stdout, stderr); the rest is read and dropped and `truncated` is set.",
      examples: [65536],
    },
    input: {
      type: "string",
      description: "Text written to the process's standard input.",
      examples: ['{"id": 42}'],
    },
  },
};

export const outputSchema: JsonSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  additionalProperties: false,
  required: ["exitCode", "stdout", "stderr", "truncated"],
  properties: {
    exitCode: { type: "integer", description: "The process's exit code (0 on success).", examples: [0] },
    stdout: {
      type: "string",
      description: "Standard output (at most maxOutputBytes).",
      examples: ["done\n"],
    },
    stderr: { type: "string", description: "Standard error (at most maxOutputBytes).", examples: [""] },
    json: { description: "stdout parsed as JSON, when parseJson is true.", examples: [{ count: 3 }] },
    truncated: {
      type: "boolean",
      description: "True when stdout or stderr exceeded maxOutputBytes and was cut.",
      examples: [false],
    },
  },
};
