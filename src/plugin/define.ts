import { type InputOf, type JsonSchema, PLUGIN_API_VERSION, type Plugin, type StepType } from "./types.js";

/** Built-ins use bare names; third-party names carry a namespace (`acme/slack.post`). */
export const STEP_NAME_PATTERN = /^[a-z][a-z0-9-]*(\/[a-z][a-z0-9._-]*)?$/;

/** What `defineStep` takes: a StepType whose input schema `S` is kept literal for inference. */
export type StepDefinition<S extends JsonSchema, I, O> = Omit<StepType<I, O>, "inputSchema"> & {
  inputSchema: S;
};

/** `ctx.input`'s type: the explicit `I` when one is given, otherwise inferred from the schema. */
export type ResolvedInput<I, S> = [I] extends [never] ? InputOf<S> : I;

/**
 * Declares a step type. Without type arguments `ctx.input` is inferred from `inputSchema`
 * (write the schema inline or `as const`); `defineStep<MyInput, MyOutput>({...})` states
 * the types instead. Checks the parts the engine relies on and returns the definition.
 */
export function defineStep<I = never, O = unknown, const S extends JsonSchema = JsonSchema>(
  def: StepDefinition<S, ResolvedInput<I, S>, O>,
): StepType<ResolvedInput<I, S>, O> {
  if (!def.name || !STEP_NAME_PATTERN.test(def.name)) {
    throw new Error(
      `defineStep: invalid step type name "${def.name}" (use lower-case, e.g. "acme/slack.post")`,
    );
  }
  if (typeof def.run !== "function") throw new Error(`defineStep(${def.name}): run(ctx) must be a function`);
  if (!def.inputSchema || typeof def.inputSchema !== "object") {
    throw new Error(`defineStep(${def.name}): inputSchema must be a JSON Schema object`);
  }
  if (def.dryRun !== undefined && typeof def.dryRun !== "function") {
    throw new Error(`defineStep(${def.name}): dryRun, when given, must be a function`);
  }
  return def as StepType<ResolvedInput<I, S>, O>;
}

/**
 * Bundles step types into the default export of a plugin package. `apiVersion` is the
 * PLUGIN_API_VERSION the plugin was written for: write the number itself (not the imported
 * constant), so a Weft with a different plugin API refuses the package with a clear error.
 */
export function definePlugin(def: {
  name: string;
  version: string;
  apiVersion: typeof PLUGIN_API_VERSION;
  steps: StepType<never, unknown>[];
}): Plugin {
  if (!def.name) throw new Error("definePlugin: name is required (use the npm package name)");
  if (!Array.isArray(def.steps) || def.steps.length === 0) {
    throw new Error(`definePlugin(${def.name}): steps must list at least one step type`);
  }
  if (typeof def.apiVersion !== "number") {
    throw new Error(
      `definePlugin(${def.name}): apiVersion is required; this Weft's plugin API is ${PLUGIN_API_VERSION}`,
    );
  }
  return { ...def, steps: def.steps as StepType[] };
}
