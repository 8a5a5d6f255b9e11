/**
 * Loads one YAML workflow file into plain data plus a position map. Every parser hazard is
 * refused with a positioned diagnostic: oversize input (before parsing), deep nesting (while
 * parsing, before anything recurses), several documents, unknown tags, YAML 1.1, duplicate
 * keys, alias bombs. `<<` is an ordinary key (merge: false) and `__proto__` an ordinary key.
 */
import {
  Composer,
  type CST,
  type Document,
  type DocumentOptions,
  Lexer,
  LineCounter,
  type ParseOptions,
  Parser,
  type SchemaOptions,
  type YAMLError,
} from "yaml";
import type { WeftError } from "../errors.js";
import { Converter, ConvertFailure } from "./convert.js";
import {
  type DiagnosticExtras,
  diagnostic,
  fileDiagnostic,
  SpecError,
  sortDiagnostics,
} from "./diagnostics.js";
import { SourcePositions } from "./positions.js";
import type { Diagnostic, LoadedDocument } from "./types.js";

export const LOAD_LIMITS = {
  /** Bytes of UTF-8 source accepted. */
  maxBytes: 1024 * 1024,
  /** Nested mappings/lists. */
  maxDepth: 64,
  /** Alias dereferences per file. */
  maxAliasCount: 100,
  /** Values produced in total (bounds memory even when aliases are few but large). */
  maxNodes: 1_000_000,
} as const;

export interface LoadResult {
  doc?: LoadedDocument;
  diagnostics: Diagnostic[];
}

const COMPOSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: "1.2",
  schema: "core",
  merge: false,
  // Duplicate keys are found by the converter in linear time (yaml's check is quadratic).
  uniqueKeys: false,
  resolveKnownTags: false,
  customTags: [],
  strict: true,
  prettyErrors: false,
  intAsBigInt: false,
};

/** Parser stack entries besides collections (document, pending key/value tokens). */
const STACK_SLACK = 8;

/** Loads YAML source text; `file` is only used to label positions. */
export function loadDocument(source: string, file: string): LoadResult {
  // UTF-8 never takes fewer bytes than UTF-16 code units, so the length check is a cheap bound.
  if (source.length > LOAD_LIMITS.maxBytes || Buffer.byteLength(source, "utf8") > LOAD_LIMITS.maxBytes) {
    const size = Buffer.byteLength(source, "utf8");
    return {
      diagnostics: [fileDiagnostic(file, SpecError.fileTooLarge({ size, limit: LOAD_LIMITS.maxBytes }))],
    };
  }

  const lines = new LineCounter();
  const positions = new SourcePositions(file, source, lines);
  const at = (start: number, end: number, error: WeftError, extras: DiagnosticExtras = {}) =>
    diagnostic(file, positions.spanOf(start, end), error, extras);

  const tokens = parseTokens(source, lines);
  if ("tooDeep" in tokens) {
    const err = SpecError.depth({ limit: LOAD_LIMITS.maxDepth });
    return { diagnostics: [at(tokens.tooDeep, tokens.tooDeep + 1, err)] };
  }

  const docs: Document.Parsed[] = [...new Composer(COMPOSE_OPTIONS).compose(tokens.tokens)];
  const first = docs[0];
  if (!first) return { diagnostics: [at(0, 0, SpecError.emptyFile())] };
  const second = docs[1];
  if (second) {
    const start = second.range[0];
    return { diagnostics: [at(start, start + 3, SpecError.multiDocument())] };
  }

  const diagnostics: Diagnostic[] = [];
  // After one syntax error the parser's later complaints are mostly echoes of it.
  for (const e of first.errors.slice(0, 1)) {
    // yaml reports an unclosed quote or bracket where it gave up; the opening one is the news.
    const kind = /quote/.test(e.message)
      ? "quote"
      : /end with an? [\]}]/.test(e.message)
        ? "flow"
        : undefined;
    const open = kind ? unclosedAt(tokens.tokens, kind) : undefined;
    if (open !== undefined) e.pos = [open, open + 1];
    diagnostics.push(yamlProblem(e, source, at, "error"));
  }
  for (const w of first.warnings) diagnostics.push(yamlProblem(w, source, at, "warning"));
  const version = first.directives?.yaml;
  if (version?.explicit && version.version !== "1.2") {
    diagnostics.push(at(0, 0, SpecError.yamlVersion({ version: version.version })));
  }
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics: sortDiagnostics(diagnostics) };
  if (first.contents === null) return { diagnostics: [...diagnostics, at(0, 0, SpecError.emptyFile())] };

  const converter = new Converter(LOAD_LIMITS, positions);
  const failures = (extra: ConvertFailure[]) =>
    [...converter.duplicates, ...extra].map((f) => at(f.start, f.end, f.error));
  try {
    const data = converter.convertRoot(first.contents);
    if (converter.duplicates.length > 0) return { diagnostics: [...diagnostics, ...failures([])] };
    return { doc: { file, data, positions }, diagnostics };
  } catch (e) {
    if (!(e instanceof ConvertFailure)) throw e;
    return { diagnostics: sortDiagnostics([...diagnostics, ...failures([e])]) };
  }
}

/**
 * Runs the (iterative) lexer and parser by hand so the parser's stack can be watched: a file
 * nested 10,000 levels deep is refused at level ~70 instead of being composed recursively.
 */
function parseTokens(source: string, lines: LineCounter): { tokens: CST.Token[] } | { tooDeep: number } {
  // Parser.parse() registers the first line itself; driving next() by hand, we do it here.
  lines.addNewLine(0);
  const parser = new Parser(lines.addNewLine);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(source, false)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > LOAD_LIMITS.maxDepth + STACK_SLACK) {
      return { tooDeep: parser.stack.at(-1)?.offset ?? 0 };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return { tokens };
}

/** Offset of the first quoted scalar (or flow collection) in the CST missing its closing mark. */
function unclosedAt(tokens: CST.Token[], kind: "quote" | "flow"): number | undefined {
  const stack: unknown[] = [...tokens].reverse();
  while (stack.length > 0) {
    const t = stack.pop() as { type?: string; offset?: number; source?: string } & Record<string, unknown>;
    if (!t || typeof t !== "object") continue;
    if (kind === "quote" && (t.type === "double-quoted-scalar" || t.type === "single-quoted-scalar")) {
      const q = t.type === "double-quoted-scalar" ? '"' : "'";
      const src = t.source ?? "";
      const closed = src.length >= 2 && src.endsWith(q) && (q === "'" || !/(^|[^\\])(\\\\)*\\"$/.test(src));
      if (!closed) return t.offset;
      continue;
    }
    if (kind === "flow" && t.type === "flow-collection") {
      const end = Array.isArray(t.end) ? (t.end as Array<{ source?: string }>) : [];
      if (!end.some((tok) => tok.source === "]" || tok.source === "}")) return t.offset;
    }
    const children: unknown[] = [];
    for (const field of ["value", "key"] as const) if (t[field]) children.push(t[field]);
    if (Array.isArray(t.items)) {
      for (const item of t.items as Array<Record<string, unknown>>) children.push(item.key, item.value);
    }
    stack.push(...children.reverse());
  }
  return undefined;
}

type At = (start: number, end: number, error: WeftError, extras?: DiagnosticExtras) => Diagnostic;

function yamlProblem(e: YAMLError, source: string, at: At, severity: "error" | "warning"): Diagnostic {
  const [start, end] = e.pos;
  const text = source.slice(start, end);
  if (e.code === "TAG_RESOLVE_FAILED") {
    const tag = /^!\S*/.exec(text)?.[0] ?? /tag:?\s*(\S+)/.exec(e.message)?.[1] ?? text;
    return at(start, end, SpecError.tag({ tag }));
  }
  const detail = e.message.replace(/\s+at line \d+, column \d+:[\s\S]*$/, "");
  if (severity === "warning") return at(start, end, SpecError.yamlWarning({ detail }), { severity });
  return at(start, end, SpecError.yamlSyntax({ detail: lowerFirst(detail) }));
}

function lowerFirst(s: string): string {
  return s.length > 1 && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}
