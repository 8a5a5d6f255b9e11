/**
 * Source positions for every key and value of a loaded document, keyed by data path. Offsets
 * are stored; line/col are computed on demand (most positions are never asked for).
 */
import type { LineCounter } from "yaml";
import type { Span } from "./diagnostics.js";
import type { PositionMap } from "./types.js";

type Offsets = readonly [start: number, end: number];

interface Entry {
  key?: Offsets;
  value: Offsets;
}

/** Joins path segments; numbers and their string forms coincide, as a node is a map or a list. */
export function pathKey(path: ReadonlyArray<string | number>): string {
  return path.join("\u0000");
}

export class SourcePositions implements PositionMap {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly file: string,
    readonly source: string,
    private readonly lines: LineCounter,
  ) {}

  record(key: string, value: Offsets, keyOffsets?: Offsets): void {
    this.entries.set(key, keyOffsets ? { key: keyOffsets, value } : { value });
  }

  valueAt(path: ReadonlyArray<string | number>): Span {
    return this.span(this.nearest(path).value);
  }

  keyAt(path: ReadonlyArray<string | number>): Span {
    const entry = this.nearest(path);
    return this.span(entry.key ?? entry.value);
  }

  /** A span for raw offsets into the source (used for YAML parser errors). */
  spanOf(start: number, end: number): Span {
    return this.span([start, end]);
  }

  private nearest(path: ReadonlyArray<string | number>): Entry {
    for (let n = path.length; n >= 0; n--) {
      const entry = this.entries.get(pathKey(path.slice(0, n)));
      if (entry) return entry;
    }
    return { value: [0, 0] };
  }

  private span([start, end]: Offsets): Span {
    const a = this.lines.linePos(start);
    const b = this.lines.linePos(Math.max(start, end));
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  }
}
