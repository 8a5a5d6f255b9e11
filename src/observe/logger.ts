/**
 * The server's structured logger: pino, one JSON object per line. Every line is redacted by
 * value just before it is written (message, fields and child bindings alike), so a secret
 * that reaches a log call by any path is masked. On a terminal the same lines are rendered
 * as short human-readable text by a small printer of our own (pino-pretty is not a
 * dependency).
 */
import { type DestinationStream, type Logger, pino } from "pino";
import { createRedactor } from "./redact.js";

export type { Logger } from "pino";

export interface LoggerOptions {
  /** pino level: trace, debug, info, warn, error, fatal, silent. */
  level?: string;
  /** Secret values to mask wherever they appear. */
  secrets?: ReadonlyArray<string>;
  /** Where lines go (default stderr: stdout belongs to command results). */
  destination?: { write(s: string): unknown; isTTY?: boolean };
  /** Human-readable lines instead of JSON; default: when the destination is a terminal. */
  pretty?: boolean;
}

/** Fields every log line about run work carries. */
export interface RunLogFields {
  workflow: string;
  version: number;
  runId: string;
  stepId?: string;
  item?: number;
  attempt?: number;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const out = opts.destination ?? process.stderr;
  const pretty = opts.pretty ?? out.isTTY === true;
  const redactor = createRedactor(opts.secrets ?? []);
  const stream: DestinationStream = pretty ? prettyStream(out) : { write: (s: string) => out.write(s) };
  return pino(
    {
      level: opts.level ?? "info",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        streamWrite(line: string): string {
          const masked = redactor.redactText(line);
          if (masked === line) return line;
          // A mask can in principle cut through a JSON escape; then redact the parsed value.
          try {
            JSON.parse(masked);
            return masked;
          } catch {
            return `${JSON.stringify(redactor.redactValue(JSON.parse(line)))}\n`;
          }
        },
      },
    },
    stream,
  );
}

/** A child logger for one run (and optionally one step attempt). */
export function runLogger(logger: Logger, fields: RunLogFields): Logger {
  return logger.child(fields);
}

const LEVEL_COLOR: Record<string, number> = {
  trace: 90,
  debug: 36,
  info: 32,
  warn: 33,
  error: 31,
  fatal: 35,
};
const SKIP = new Set(["level", "time", "msg", "pid", "hostname"]);

/** Turns pino's JSON lines into `12:00:01 INFO  message key=value …`. */
function prettyStream(out: { write(s: string): unknown; isTTY?: boolean }): DestinationStream {
  const color = out.isTTY === true && !process.env.NO_COLOR;
  return {
    write(line: string) {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const level = String(rec.level ?? "info");
      const time = typeof rec.time === "string" ? rec.time.slice(11, 19) : "";
      const tag = level.toUpperCase().padEnd(5);
      const shown = color ? `\u001b[${LEVEL_COLOR[level] ?? 0}m${tag}\u001b[39m` : tag;
      const fields = Object.entries(rec)
        .filter(([k]) => !SKIP.has(k))
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
      out.write(`${time} ${shown} ${String(rec.msg ?? "")}${fields.length ? ` ${fields.join(" ")}` : ""}\n`);
    },
  };
}
