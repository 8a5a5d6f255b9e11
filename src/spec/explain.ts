/**
 * Turns Ajv errors into one positioned, human sentence each: which key, in which step, what is
 * wrong, and the nearest valid name when it looks like a typo. Used for the workflow schema and
 * for each step type's input schema (`with:`).
 */
import type { ErrorObject } from "ajv";
import { collapseComposites, REQUIRED_ONE_OF } from "./collapse.js";
import { diagnosticAt, SpecError } from "./diagnostics.js";
import { DurationError, parseDuration } from "./duration.js";
import { suggest } from "./suggest.js";
import type { Diagnostic, PositionMap } from "./types.js";
import { describe, expectedTypes, subjectOf, whereOf } from "./wording.js";

type Path = Array<string | number>;

export interface ExplainContext {
  positions: PositionMap;
  /** Where the validated value sits in the document, e.g. `["steps","fetch","with"]`. */
  base: ReadonlyArray<string | number>;
  /** The validated value, to tell list indices from mapping keys along instance paths. */
  data: unknown;
  /** Set when validating a step's `with:` against its step type's schema. */
  input?: { stepId: string; type: string };
}

export const DURATION_PATTERN = "^([0-9]+(ms|s|m|h|d))+$";
const DURATION_HINT =
  "write whole numbers with units ms, s, m, h or d, largest first: `250ms`, `30s`, `5m`, `1h30m`";

/** Problems for the workflow schema's own patterns, keyed by the pattern text. */
export const PATTERN_PROBLEMS: Record<string, string> = {
  "^[a-z][a-z0-9]*(-[a-z0-9]+)*$":
    "must be kebab-case (lower-case letters and digits joined by `-`), e.g. `nightly-sales`",
  "^[a-z][a-z0-9-]*(/[a-z][a-z0-9._-]*)?$": "must be a step type name such as `http` or `acme/slack.post`",
  "^[A-Z_][A-Z0-9_]*$":
    "must be the NAME of a secret (upper-case letters, digits and `_`), not the secret itself",
  "^[a-zA-Z][a-zA-Z0-9_-]*$": "is not a valid step id: use a letter, then letters, digits, `_` or `-`",
  "^[A-Za-z0-9-]+$": "must be an HTTP header name (letters, digits and `-`)",
};

/** Collapses, merges typo pairs and explains; `ignorable` errors (templates) are dropped. */
export function explainErrors(
  errors: readonly ErrorObject[],
  ctx: ExplainContext,
  ignorable?: (e: ErrorObject) => boolean,
): Diagnostic[] {
  // Errors inside `propertyNames` carry `propertyName`; the propertyNames error itself says it.
  const relevant = errors.filter((e) => e.propertyName === undefined || e.keyword === "propertyNames");
  const collapsed = dropTypoCascades(collapseComposites(relevant, ignorable));
  const out: Diagnostic[] = [];
  for (const e of collapsed) {
    const d = explainOne(e, ctx);
    if (d) out.push(d);
  }
  return out;
}

/** JSON pointer → document path, numbers where the container is a list. */
export function instancePath(ctx: ExplainContext, pointer: string): Path {
  const path: Path = [...ctx.base];
  let node: unknown = ctx.data;
  if (pointer === "") return path;
  for (const raw of pointer.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      const i = Number(seg);
      path.push(i);
      node = node[i];
    } else {
      path.push(seg);
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

/**
 * A missing key next to an unknown key that is its typo is one mistake, not two; so is a
 * missing key in a mapping that tried to get its keys from a `<<` merge.
 */
function dropTypoCascades(errors: ErrorObject[]): ErrorObject[] {
  const typos = new Set<string>();
  const merged = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== "additionalProperties") continue;
    const key = String((e.params as { additionalProperty: unknown }).additionalProperty);
    if (key === MERGE_KEY) merged.add(e.instancePath);
    const near = suggest(key, propertyNames(e.parentSchema));
    if (near !== undefined) typos.add(`${e.instancePath}\0${near}`);
  }
  return errors.filter(
    (e) =>
      e.keyword !== "required" ||
      (!merged.has(e.instancePath) &&
        !typos.has(
          `${e.instancePath}\0${String((e.params as { missingProperty: unknown }).missingProperty)}`,
        )),
  );
}

const MERGE_KEY = "<<";
const MERGE_HINT =
  "YAML merge keys are not supported in workflow files; write the keys out (retry and timeout can go in `defaults`)";

function propertyNames(schema: unknown): string[] {
  const props = (schema as { properties?: unknown } | undefined)?.properties;
  return props && typeof props === "object" ? Object.keys(props) : [];
}

function explainOne(e: ErrorObject, ctx: ExplainContext): Diagnostic | undefined {
  const path = instancePath(ctx, e.instancePath);
  const subject = subjectOf(path, ctx);
  const params = e.params as Record<string, unknown>;
  // A complaint about a whole mapping or list reads best at the key that names it.
  const collection = e.data !== null && typeof e.data === "object" && e.keyword !== "type";
  const at = (err: Parameters<typeof diagnosticAt>[2], extras: Parameters<typeof diagnosticAt>[3] = {}) =>
    diagnosticAt(ctx.positions, extras.path ?? path, err, collection ? { at: "key", ...extras } : extras);
  const invalid = (problem: string, hint?: string) =>
    at(SpecError.invalidValue({ subject, problem }), hint ? { hint } : {});

  switch (e.keyword) {
    case "type":
      return at(
        SpecError.wrongType({
          subject,
          expected: expectedTypes(String(params.type)),
          actual: describe(e.data),
        }),
      );
    case "required": {
      const key = String(params.missingProperty);
      const description = (
        e.parentSchema as { properties?: Record<string, { description?: unknown }> } | undefined
      )?.properties?.[key]?.description;
      const hint = typeof description === "string" ? `\`${key}\`: ${description}` : undefined;
      return at(SpecError.missingKey({ subject, key }), { at: "key", ...(hint ? { hint } : {}) });
    }
    case REQUIRED_ONE_OF: {
      // The template wraps the key in backticks: "`command` or `script`".
      const key = (params.keys as string[]).join("` or `");
      return at(SpecError.missingKey({ subject, key }), { at: "key" });
    }
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const valid = propertyNames(e.parentSchema);
      const near = suggest(key, valid);
      const err = SpecError.unknownKey({
        key,
        where: whereOf(path, ctx),
        suggestion: near === undefined ? "" : `; did you mean \`${near}\`?`,
      });
      const hint =
        key === MERGE_KEY
          ? MERGE_HINT
          : valid.length > 0 && valid.length <= 16
            ? `valid keys here: ${valid.join(", ")}`
            : undefined;
      return at(err, { at: "key", path: [...path, key], ...(hint ? { hint } : {}) });
    }
    case "propertyNames": {
      const name = String(params.propertyName);
      const last = path[path.length - 1];
      const what =
        path.length === 1 && (last === "steps" || last === "onFailure")
          ? "step id"
          : path.length === 1 && last === "inputs"
            ? "input name"
            : "key";
      const problem =
        what === "step id"
          ? "is not valid: use a letter, then letters, digits, `_` or `-`"
          : what === "input name"
            ? "is not valid: use a letter or `_`, then letters, digits or `_`"
            : `is not allowed ${whereOf(path, ctx)}`;
      return at(SpecError.invalidValue({ subject: `${what} \`${name}\``, problem }), {
        at: "key",
        path: [...path, name],
      });
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(", ");
      const near =
        typeof e.data === "string"
          ? suggest(e.data, (params.allowedValues as unknown[]).map(String))
          : undefined;
      const tail = near === undefined ? "" : `; did you mean \`${near}\`?`;
      return invalid(`must be one of ${allowed}, got ${describe(e.data)}${tail}`);
    }
    case "const":
      return invalid(`must be ${JSON.stringify(params.allowedValue)}, got ${describe(e.data)}`);
    case "pattern": {
      const pattern = String(params.pattern);
      if (pattern === DURATION_PATTERN && !ctx.input) {
        return at(SpecError.badDuration({ subject, detail: durationProblem(e.data) }), {
          hint: DURATION_HINT,
        });
      }
      const known = ctx.input ? undefined : PATTERN_PROBLEMS[pattern];
      if (known) return invalid(`${known}, got ${describe(e.data)}`);
      return invalid(
        `must match the pattern /${pattern}/, got ${describe(e.data)}`,
        schemaHint(e.parentSchema),
      );
    }
    case "format":
      return invalid(`must be a valid ${String(params.format)}, got ${describe(e.data)}`);
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return invalid(`must be ${String(params.comparison)} ${String(params.limit)}, got ${describe(e.data)}`);
    case "multipleOf":
      return invalid(`must be a multiple of ${String(params.multipleOf)}, got ${describe(e.data)}`);
    case "minItems":
    case "minProperties":
    case "minLength":
      if (path.length === 1 && path[0] === "steps") return invalid("must hold at least one step");
      if (params.limit === 1) return invalid("must not be empty");
      return invalid(`must have at least ${String(params.limit)} ${unitOf(e.keyword)}`);
    case "maxItems":
    case "maxProperties":
    case "maxLength":
      return invalid(`must have at most ${String(params.limit)} ${unitOf(e.keyword)}`);
    case "uniqueItems":
      // Duplicate `needs` entries are reported by the semantic checks, one per duplicate.
      if (!ctx.input && path[path.length - 1] === "needs") return undefined;
      return invalid(
        `must not contain duplicates (items ${String(params.j)} and ${String(params.i)} are the same)`,
      );
    case "dependencies":
    case "dependentRequired":
      return invalid(
        `needs \`${String(params.missingProperty)}\` when \`${String(params.property)}\` is set`,
      );
    case "oneOf":
      return invalid(oneOfProblem(e.schema));
    case "if":
      return undefined; // its `then`/`else` errors say what is wrong
    case "anyOf":
      return invalid("does not match any of the allowed forms", schemaHint(e.parentSchema));
    case "not":
      return invalid("is not allowed here");
    case "false schema":
      return invalid("is not allowed here");
    default:
      return invalid(e.message ?? `fails the \`${e.keyword}\` check`);
  }
}

function oneOfProblem(branches: unknown): string {
  if (Array.isArray(branches)) {
    const keys = branches.map((b) => {
      const r = (b as { required?: unknown }).required;
      return Array.isArray(r) && r.length === 1 && Object.keys(b as object).length === 1
        ? String(r[0])
        : undefined;
    });
    if (keys.every((k) => k !== undefined))
      return `must use only one of ${keys.map((k) => `\`${k}\``).join(", ")}`;
  }
  return "matches more than one of the allowed forms; make it match exactly one";
}

function durationProblem(value: unknown): string {
  try {
    parseDuration(String(value));
    return `got ${describe(value)}`;
  } catch (err) {
    return err instanceof DurationError ? err.reason : String(err);
  }
}

function schemaHint(schema: unknown): string | undefined {
  const d = (schema as { description?: unknown } | undefined)?.description;
  return typeof d === "string" ? d : undefined;
}

function unitOf(keyword: string): string {
  if (keyword.endsWith("Items")) return "items";
  if (keyword.endsWith("Properties")) return "keys";
  return "characters";
}
