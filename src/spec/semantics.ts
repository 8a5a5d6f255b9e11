/**
 * Checks the schema cannot express: step types exist and accept their `with:`, `needs` name
 * real steps once each, durations parse, time zones exist, input defaults fit their type.
 * Runs defensively on data that may also have schema errors, so an author sees every
 * independent mistake in one pass; cycles and cron syntax are left to compile.
 */
import type { StepTypeLookup } from "../plugin/registry.js";
import { diagnosticAt, SpecError } from "./diagnostics.js";
import { DurationError, parseDuration } from "./duration.js";
import { DURATION_PATTERN } from "./explain.js";
import { isSingleExpression, validateStepInputs } from "./step-inputs.js";
import { didYouMean, suggest } from "./suggest.js";
import type { Diagnostic, PositionMap } from "./types.js";
import { describe, subjectOf } from "./wording.js";

type Obj = Record<string, unknown>;
type Path = Array<string | number>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const DURATION_SHAPE = new RegExp(DURATION_PATTERN);
const STEP_TYPE_NAME = /^[a-z][a-z0-9-]*(\/[a-z][a-z0-9._-]*)?$/;

export function checkSemantics(data: unknown, positions: PositionMap, types: StepTypeLookup): Diagnostic[] {
  if (!isObj(data)) return [];
  const out: Diagnostic[] = [];
  const maps: Array<["steps" | "onFailure", Obj]> = [];
  if (isObj(data.steps)) maps.push(["steps", data.steps]);
  if (isObj(data.onFailure)) maps.push(["onFailure", data.onFailure]);

  // Id sets computed once: a workflow may have thousands of steps.
  const ids = new Map(maps.map(([section, steps]) => [section, new Set(Object.keys(steps))]));
  const none = new Set<string>();
  for (const [section, steps] of maps) {
    const siblings = ids.get(section) ?? none;
    const others = ids.get(section === "steps" ? "onFailure" : "steps") ?? none;
    for (const [id, step] of Object.entries(steps)) {
      if (!isObj(step)) continue;
      const path: Path = [section, id];
      if (section === "onFailure" && others.has(id)) {
        out.push(diagnosticAt(positions, path, SpecError.duplicateStepId({ step: id }), { at: "key" }));
      }
      checkUses(step, id, path, positions, types, out);
      checkNeeds(step, id, path, siblings, others, section, positions, out);
      checkDurations(step, path, positions, out);
      checkExpressions(step, path, positions, out);
      if (step.concurrency !== undefined && step.forEach === undefined) {
        const err = SpecError.uselessConcurrency({ step: id });
        out.push(
          diagnosticAt(positions, [...path, "concurrency"], err, {
            at: "key",
            severity: "warning",
            hint: "add `forEach`, or remove `concurrency`",
          }),
        );
      }
    }
  }
  if (isObj(data.defaults)) checkDurations(data.defaults, ["defaults"], positions, out);
  checkTimezones(data, positions, out);
  checkInputDefaults(data, positions, out);
  return out;
}

function checkUses(
  step: Obj,
  id: string,
  path: Path,
  positions: PositionMap,
  types: StepTypeLookup,
  out: Diagnostic[],
) {
  const uses = step.uses;
  if (typeof uses !== "string" || !STEP_TYPE_NAME.test(uses)) return; // the schema reports it
  const info = types.get(uses);
  if (!info) {
    const names = types.names();
    const err = SpecError.unknownStepType({ type: uses, step: id, suggestion: didYouMean(uses, names) });
    const hint = names.length <= 20 ? `known step types: ${names.join(", ")}` : undefined;
    out.push(diagnosticAt(positions, [...path, "uses"], err, hint ? { hint } : {}));
    return;
  }
  const withValue = step.with === undefined ? {} : step.with;
  if (isObj(withValue)) out.push(...validateStepInputs(positions, path, id, withValue, info));
}

function checkNeeds(
  step: Obj,
  id: string,
  path: Path,
  siblings: ReadonlySet<string>,
  others: ReadonlySet<string>,
  section: string,
  positions: PositionMap,
  out: Diagnostic[],
) {
  if (!Array.isArray(step.needs)) return;
  const seen = new Set<string>();
  step.needs.forEach((need, i) => {
    if (typeof need !== "string") return;
    const at: Path = [...path, "needs", i];
    if (seen.has(need)) {
      out.push(
        diagnosticAt(positions, at, SpecError.duplicateNeed({ step: id, need }), {
          hint: "remove the repeat",
        }),
      );
      return;
    }
    seen.add(need);
    if (siblings.has(need)) return;
    const near = suggest(
      need,
      [...siblings].filter((s) => s !== id),
    );
    const err = SpecError.unknownNeed({
      step: id,
      need,
      suggestion: near === undefined ? "" : `; did you mean \`${near}\`?`,
    });
    const hint = others.has(need)
      ? `\`${need}\` is not in \`${section}\`; a step can only need steps of its own section`
      : undefined;
    out.push(diagnosticAt(positions, at, err, hint ? { hint } : {}));
  });
}

/**
 * `if` and a string `forEach` are evaluated for their typed value; text around a template
 * would turn them into a string (always truthy; not a list), which is never what was meant.
 */
function checkExpressions(step: Obj, path: Path, positions: PositionMap, out: Diagnostic[]) {
  const hints = {
    if: 'put the whole condition inside one `{{ }}`, e.g. `{{ eq inputs.region "eu" }}`',
    forEach: "use one `{{ }}` expression that evaluates to a list, or write the list in YAML",
  } as const;
  for (const field of ["if", "forEach"] as const) {
    const value = step[field];
    if (typeof value !== "string" || isSingleExpression(value)) continue;
    const fieldPath = [...path, field];
    const err = SpecError.templateExpected({
      subject: subjectOf(fieldPath, { base: [] }),
      actual: describe(value),
    });
    out.push(diagnosticAt(positions, fieldPath, err, { hint: hints[field] }));
  }
}

/** Only durations with the right shape: a wrong shape is already a schema error. */
function checkDurations(owner: Obj, path: Path, positions: PositionMap, out: Diagnostic[]) {
  const fields: Path[] = [["timeout"], ["retry", "delay"], ["retry", "maxDelay"]];
  for (const field of fields) {
    let value: unknown = owner;
    for (const seg of field) value = isObj(value) ? value[seg as string] : undefined;
    if (typeof value !== "string" || !DURATION_SHAPE.test(value)) continue;
    try {
      parseDuration(value);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      const subject = subjectOf([...path, ...field], { base: [] });
      out.push(
        diagnosticAt(positions, [...path, ...field], SpecError.badDuration({ subject, detail: err.reason })),
      );
    }
  }
}

let zones: string[] | undefined;

function checkTimezones(data: Obj, positions: PositionMap, out: Diagnostic[]) {
  const schedule = isObj(data.on) ? data.on.schedule : undefined;
  if (!Array.isArray(schedule)) return;
  schedule.forEach((entry, i) => {
    const zone = isObj(entry) ? entry.timezone : undefined;
    if (typeof zone !== "string" || zone === "" || isTimeZone(zone)) return;
    zones ??= Intl.supportedValuesOf("timeZone");
    const err = SpecError.badTimezone({
      zone,
      where: `in \`on.schedule[${i}]\``,
      suggestion: didYouMean(zone, zones),
    });
    out.push(
      diagnosticAt(positions, ["on", "schedule", i, "timezone"], err, {
        hint: "use an IANA time zone name such as `Europe/Berlin`, `America/New_York` or `UTC`",
      }),
    );
  });
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const JSON_TYPE: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number",
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === "boolean",
  object: isObj,
  array: Array.isArray,
};

function checkInputDefaults(data: Obj, positions: PositionMap, out: Diagnostic[]) {
  if (!isObj(data.inputs)) return;
  for (const [name, input] of Object.entries(data.inputs)) {
    if (!isObj(input) || typeof input.type !== "string") continue;
    const fits = JSON_TYPE[input.type];
    if (!fits) continue;
    const path: Path = ["inputs", name];
    if (input.default !== undefined && !fits(input.default)) {
      const err = SpecError.inputDefault({ input: name, problem: `must be of type ${input.type}` });
      out.push(diagnosticAt(positions, [...path, "default"], err));
    } else if (
      input.default !== undefined &&
      Array.isArray(input.enum) &&
      !input.enum.some((v) => JSON.stringify(v) === JSON.stringify(input.default))
    ) {
      const err = SpecError.inputDefault({ input: name, problem: "must be one of the values in `enum`" });
      out.push(diagnosticAt(positions, [...path, "default"], err));
    }
  }
}
