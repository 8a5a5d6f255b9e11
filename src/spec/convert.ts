/**
 * Turns a composed YAML document into plain JSON data while recording positions. Written by
 * hand rather than with `doc.toJS()` so that every hazard is bounded here, in one place:
 * alias expansions are counted (billion laughs), nesting depth is limited before recursion
 * can grow, `__proto__` keys become ordinary own properties, and duplicate keys (including
 * `1` and `"1"`, which collide only after conversion) are refused.
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type ParsedNode } from "yaml";
import type { WeftError } from "../errors.js";
import { SpecError } from "./diagnostics.js";
import { pathKey, type SourcePositions } from "./positions.js";

export interface ConvertLimits {
  maxDepth: number;
  maxAliasCount: number;
  maxNodes: number;
}

/** Thrown inside the conversion; carries the offsets the diagnostic should point at. */
export class ConvertFailure extends Error {
  constructor(
    readonly error: WeftError,
    readonly start: number,
    readonly end: number,
  ) {
    super(error.message);
  }
}

type Path = Array<string | number>;

export class Converter {
  private aliasCount = 0;
  private nodeCount = 0;
  private readonly anchors = new Map<string, Node>();
  private readonly open = new Set<Node>();
  /** Duplicate keys do not stop the conversion, so that all of them are reported at once. */
  readonly duplicates: ConvertFailure[] = [];

  constructor(
    private readonly limits: ConvertLimits,
    private readonly positions: SourcePositions,
  ) {}

  /** Converts the document root; throws ConvertFailure on the first hazard. */
  convertRoot(node: ParsedNode): unknown {
    return this.convert(node, [], 0, true, undefined);
  }

  /**
   * `record` is false inside an alias expansion: positions there would point into the anchor,
   * so lookups fall back to the alias itself; anchors met there are not re-registered.
   */
  private convert(
    node: Node | null,
    path: Path,
    depth: number,
    record: boolean,
    keyOffsets: readonly [number, number] | undefined,
  ): unknown {
    const [start, end] = rangeOf(node);
    if (++this.nodeCount > this.limits.maxNodes) {
      const err =
        this.aliasCount > 0
          ? SpecError.aliasLimit({ limit: this.limits.maxAliasCount, nodes: this.limits.maxNodes })
          : SpecError.tooManyValues({ limit: this.limits.maxNodes });
      throw new ConvertFailure(err, start, end);
    }
    if (record) this.positions.record(pathKey(path), [start, end], keyOffsets);
    if (node === null) return null;
    if (record && node.anchor) this.anchors.set(node.anchor, node);

    if (isAlias(node)) {
      const target = this.anchors.get(node.source);
      if (!target) throw new ConvertFailure(SpecError.aliasUnknown({ name: node.source }), start, end);
      if (this.open.has(target))
        throw new ConvertFailure(SpecError.aliasCycle({ name: node.source }), start, end);
      if (++this.aliasCount > this.limits.maxAliasCount) {
        const err = SpecError.aliasLimit({ limit: this.limits.maxAliasCount, nodes: this.limits.maxNodes });
        throw new ConvertFailure(err, start, end);
      }
      return this.convert(target, path, depth, false, undefined);
    }

    if (isScalar(node)) return scalarValue(node.value, node.source, start, end);

    if (depth >= this.limits.maxDepth) {
      throw new ConvertFailure(SpecError.depth({ limit: this.limits.maxDepth }), start, end);
    }
    this.open.add(node);
    try {
      if (isSeq(node)) {
        const out: unknown[] = [];
        node.items.forEach((item, i) => {
          out.push(this.convert(item as Node | null, [...path, i], depth + 1, record, undefined));
        });
        return out;
      }
      if (isMap(node)) {
        const out: Record<string, unknown> = {};
        for (const pair of node.items) {
          const keyNode = pair.key as Node | null;
          const keyRange = rangeOf(keyNode);
          const key = keyString(keyNode, keyRange);
          if (Object.hasOwn(out, key)) {
            // Checked here rather than by yaml's `uniqueKeys`, which is quadratic in map size.
            // Also catches keys that only collide after conversion (`1` and "1").
            if (record)
              this.duplicates.push(new ConvertFailure(SpecError.duplicateKey({ key }), ...keyRange));
            continue;
          }
          const value = this.convert(pair.value as Node | null, [...path, key], depth + 1, record, keyRange);
          // defineProperty makes `__proto__` an ordinary own key instead of a prototype switch.
          Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
    } finally {
      this.open.delete(node);
    }
    throw new ConvertFailure(SpecError.yamlSyntax({ detail: "unsupported node" }), start, end);
  }
}

function rangeOf(node: Node | null): [number, number] {
  const r = node?.range;
  return r ? [r[0], r[1]] : [0, 0];
}

function keyString(node: Node | null, range: [number, number]): string {
  if (node === null) return "";
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return "";
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  }
  const kind = isAlias(node)
    ? "an alias"
    : isMap(node)
      ? "a mapping"
      : isSeq(node)
        ? "a list"
        : "a tagged value";
  throw new ConvertFailure(SpecError.complexKey({ kind }), range[0], range[1]);
}

function scalarValue(value: unknown, source: string | undefined, start: number, end: number): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new ConvertFailure(SpecError.nonFinite({ text: source ?? String(value) }), start, end);
    }
    return value;
  }
  // Only core-schema scalars reach here; anything else came from a tag.
  throw new ConvertFailure(SpecError.tag({ tag: typeof value }), start, end);
}
