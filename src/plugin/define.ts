import { PLUGIN_API_VERSION, type Plugin, type StepType } from "./types.js";

export function defineStep<I = unknown, O = unknown>(def: StepType<I, O>): StepType<I, O> {
  if (!def.name || !/^[a-z][a-z0-9-]*(\/[a-z][a-z0-9._-]*)?$/.test(def.name)) {
    throw new Error(
      `defineStep: invalid step type name "${def.name}" (use lower-case, e.g. "acme/slack.post")`,
    );
  }
  if (typeof def.run !== "function") throw new Error(`defineStep(${def.name}): run(ctx) must be a function`);
  if (!def.inputSchema || typeof def.inputSchema !== "object") {
    throw new Error(`defineStep(${def.name}): inputSchema must be a JSON Schema object`);
  }
  return def;
}

export function definePlugin(def: {
  name: string;
  version: string;
  steps: StepType<never, unknown>[];
}): Plugin {
  return { ...def, apiVersion: PLUGIN_API_VERSION, steps: def.steps as StepType[] };
}
