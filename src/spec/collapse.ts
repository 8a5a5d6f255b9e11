/**
 * Ajv with `allErrors` reports every failing branch of an `anyOf`/`oneOf` plus the composite
 * error itself. Authors made one mistake, so each composite is reduced to the errors of the
 * branch they most likely meant (after Fastify's and VS Code's "best match" heuristics).
 */
import type { ErrorObject } from "ajv";

/** A synthetic keyword for "every branch only needed one of these keys". */
export const REQUIRED_ONE_OF = "requiredOneOf";

function isComposite(e: ErrorObject): boolean {
  return (
    (e.keyword === "anyOf" || e.keyword === "oneOf") &&
    !(e.params as { passingSchemas?: unknown }).passingSchemas
  );
}

function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}/`);
}

function depth(pointer: string): number {
  return pointer === "" ? 0 : pointer.split("/").length - 1;
}

/**
 * Reduces composite errors, innermost first. `ignorable` marks errors that do not count (a
 * template value standing in for a typed one): a branch whose errors are all ignorable is
 * satisfied, and the composite with it. Ignorable errors are dropped from the result.
 */
export function collapseComposites(
  errors: readonly ErrorObject[],
  ignorable: (e: ErrorObject) => boolean = () => false,
): ErrorObject[] {
  let list = [...errors];
  const composites = list.filter(isComposite).sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const composite of composites) {
    if (!list.includes(composite)) continue;
    const prefix = `${composite.schemaPath}/`;
    const branches = new Map<number, ErrorObject[]>();
    const members = new Set<ErrorObject>();
    for (const e of list) {
      if (
        e === composite ||
        !e.schemaPath.startsWith(prefix) ||
        !within(e.instancePath, composite.instancePath)
      ) {
        continue;
      }
      const index = Number(e.schemaPath.slice(prefix.length).split("/")[0]);
      if (!Number.isInteger(index)) continue;
      members.add(e);
      const group = branches.get(index) ?? [];
      group.push(e);
      branches.set(index, group);
    }
    const satisfied = [...branches.values()].some((group) => group.every(ignorable));
    const replacement = satisfied ? [] : bestBranch(composite, branches);
    list = list.filter((e) => e !== composite && !members.has(e));
    list.push(...replacement);
  }
  return list.filter((e) => !ignorable(e));
}

function bestBranch(composite: ErrorObject, branches: Map<number, ErrorObject[]>): ErrorObject[] {
  const count = Array.isArray(composite.schema) ? composite.schema.length : branches.size;
  // Errors of some branch could not be attributed (they came through a $ref): keep the summary.
  if (branches.size < count) return [composite];
  const groups = [...branches.values()];
  const at = composite.instancePath;
  const onlyHere = (keyword: string) =>
    groups.every((g) => g.every((e) => e.keyword === keyword && e.instancePath === at));

  if (onlyHere("type")) {
    const types = [
      ...new Set(groups.flatMap((g) => g.map((e) => String((e.params as { type: unknown }).type)))),
    ];
    return [{ ...composite, keyword: "type", params: { type: types.join(",") } }];
  }
  if (onlyHere("required")) {
    const keys = [
      ...new Set(
        groups.flatMap((g) =>
          g.map((e) => String((e.params as { missingProperty: unknown }).missingProperty)),
        ),
      ),
    ];
    return [{ ...composite, keyword: REQUIRED_ONE_OF, params: { keys } }];
  }

  const score = (g: ErrorObject[]) => ({
    // A type mismatch at the composite itself means the author did not write this shape.
    typeMiss: g.some((e) => e.keyword === "type" && e.instancePath === at) ? 1 : 0,
    deepest: Math.max(...g.map((e) => depth(e.instancePath))),
    count: g.length,
  });
  let best = groups[0] ?? [];
  let bestScore = score(best);
  for (const g of groups.slice(1)) {
    const s = score(g);
    const better =
      s.typeMiss < bestScore.typeMiss ||
      (s.typeMiss === bestScore.typeMiss &&
        (s.deepest > bestScore.deepest || (s.deepest === bestScore.deepest && s.count < bestScore.count)));
    if (better) {
      best = g;
      bestScore = s;
    }
  }
  return best;
}
