/**
 * unknown-output-field: `steps.<id>.output.<field>` where the step type's output schema says
 * there is no such field (a typo such as `body` → `bdy` would otherwise fail only at run
 * time, after the step ran). Only closed objects are checked; open ones (http `body`, shell
 * `json`, header maps) accept any deeper path.
 */
import type { JsonSchema } from "../../plugin/types.js";
import { suggest } from "../../spec/suggest.js";
import { findingAt } from "../finding.js";
import { templateSites } from "../template-sites.js";
import type { Finding, LintContext, LintRule } from "../types.js";

const ID = "unknown-output-field";
const PRIMITIVES = new Set(["string", "integer", "number", "boolean", "null"]);

type Walk = { ok: true } | { ok: false; at: number; problem: string; hint?: string };

export const unknownOutputField: LintRule = {
  id: ID,
  severity: "error",
  summary: "a reference to an output field that the step type's output schema does not declare",
  check(ctx: LintContext): Finding[] {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const site of templateSites(ctx.spec, ctx.types)) {
      for (const ref of site.refs) {
        const [target, field, ...rest] = ref.path;
        if (ref.root !== "steps" || target === undefined || field !== "output" || rest.length === 0) continue;
        const step = ctx.plan.steps[target] ?? ctx.plan.onFailure[target];
        const schema = step ? ctx.types.get(step.uses)?.outputSchema : undefined;
        if (!step || !schema) continue;
        const walk = step.forEach ? walkForEach(schema, rest, target) : walkSchema(schema, rest, 0);
        if (walk.ok) continue;
        const name = `steps.${target}.output.${rest.slice(0, walk.at + 1).join(".")}`;
        const key = `${site.path.join(".")}\0${name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const f = findingAt(ctx.doc, [...site.path], {
          code: ID,
          severity: "error",
          message: `\`${name}\`: ${walk.problem}`,
          ...(walk.hint === undefined ? {} : { hint: walk.hint }),
          ...(site.stepId === undefined ? {} : { stepId: site.stepId }),
        });
        findings.push(f);
      }
    }
    return findings;
  },
};

/** A forEach step's output is the list of its items' outputs. */
function walkForEach(schema: JsonSchema, rest: string[], target: string): Walk {
  const index = rest[0];
  if (index === undefined || /^\d+$/.test(index)) return walkSchema(schema, rest, 1);
  const near = walkSchema(schema, rest, 0).ok;
  return {
    ok: false,
    at: 0,
    problem: `step \`${target}\` runs forEach, so its output is a list of item outputs, not an object`,
    hint: near
      ? `pick an item (\`steps.${target}.output.[0].${index}\`) or loop with {{#each steps.${target}.output}}`
      : `loop over the items with {{#each steps.${target}.output}}`,
  };
}

/** Follows `path` from index `start`; a failure's `at` is the index of the offending key. */
function walkSchema(root: JsonSchema, path: string[], start: number): Walk {
  let schema: unknown = root;
  for (let i = start; i < path.length; i++) {
    const key = path[i] as string;
    if (schema === null || typeof schema !== "object") return { ok: true };
    const s = schema as Record<string, unknown>;
    if (s.anyOf || s.oneOf || s.allOf || s.$ref) return { ok: true }; // not followed: accept
    const type = s.type;
    if (typeof type === "string" && PRIMITIVES.has(type)) {
      const parent = i === 0 ? "output" : path[i - 1];
      return { ok: false, at: i, problem: `\`${parent}\` is a ${type} and has no field \`${key}\`` };
    }
    if (type === "array" || s.items !== undefined) {
      if (!/^\d+$/.test(key)) return { ok: true };
      schema = s.items;
      continue;
    }
    const props = s.properties as Record<string, unknown> | undefined;
    if (props && Object.hasOwn(props, key)) {
      schema = props[key];
      continue;
    }
    if (s.additionalProperties === false && props) {
      const known = Object.keys(props);
      const near = suggest(key, known);
      return {
        ok: false,
        at: i,
        problem: `the output has no field \`${key}\` (it has ${known.map((k) => `\`${k}\``).join(", ")})`,
        hint: near === undefined ? `use one of: ${known.join(", ")}` : `did you mean \`${near}\`?`,
      };
    }
    if (s.additionalProperties !== undefined && typeof s.additionalProperties === "object") {
      schema = s.additionalProperties;
      continue;
    }
    return { ok: true };
  }
  return { ok: true };
}
