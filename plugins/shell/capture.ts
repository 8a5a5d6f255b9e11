import type { StepLogger } from "../../src/plugin/index.js";

/** Keeps the first `limit` bytes of a stream and drains the rest, so memory stays bounded. */
export class Capture {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    const room = this.limit - this.bytes;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.truncated = true;
    this.chunks.push(kept);
    this.bytes += kept.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

const MAX_LOG_LINES = 500;
const MAX_LINE_CHARS = 4096;

/**
 * Streams complete lines to the step log as they arrive, up to MAX_LOG_LINES per step; the
 * captured output (not the log) is what the step returns.
 */
export class LineLogger {
  private lines = 0;
  private readonly partial = new Map<string, string>();

  constructor(private readonly log: StepLogger) {}

  write(stream: "stdout" | "stderr", chunk: Buffer): void {
    if (this.lines > MAX_LOG_LINES) return;
    const text = (this.partial.get(stream) ?? "") + chunk.toString("utf8");
    const parts = text.split("\n");
    const rest = parts.pop() ?? "";
    this.partial.set(stream, rest.slice(0, MAX_LINE_CHARS));
    for (const line of parts) this.emit(stream, line);
  }

  flush(): void {
    for (const [stream, rest] of this.partial) if (rest) this.emit(stream as "stdout" | "stderr", rest);
    this.partial.clear();
  }

  private emit(stream: "stdout" | "stderr", line: string): void {
    this.lines++;
    if (this.lines > MAX_LOG_LINES) {
      if (this.lines === MAX_LOG_LINES + 1)
        this.log.warn(`further output not logged (over ${MAX_LOG_LINES} lines)`);
      return;
    }
    const text = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
    if (stream === "stdout") this.log.info(text);
    else this.log.warn(text);
  }
}
