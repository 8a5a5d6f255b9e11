import type { StepType } from "../plugin/types.js";
import { pluginLoadFailed } from "./errors.js";

// One import per module URL per worker thread; later tasks reuse the promise.
const modules = new Map<string, Promise<unknown>>();
// Step types already picked, by module URL then name: a step of a loaded type starts without
// awaiting anything (a tick per step on the path of every chain hop).
const loaded = new Map<string, Map<string, StepType>>();

/** The step type if this thread has loaded it before, else undefined (use loadStepType). */
export function loadedStepType(moduleUrl: string, stepType: string): StepType | undefined {
  return loaded.get(moduleUrl)?.get(stepType);
}

/** Imports `moduleUrl` and picks the StepType named `stepType` (default export or Plugin.steps). */
export async function loadStepType(moduleUrl: string, stepType: string): Promise<StepType> {
  let pending = modules.get(moduleUrl);
  if (!pending) {
    pending = import(moduleUrl);
    modules.set(moduleUrl, pending);
  }
  let mod: unknown;
  try {
    mod = await pending;
  } catch (err) {
    // Node caches a failed ESM evaluation too, so keeping the rejected promise changes nothing.
    throw pluginLoadFailed({ stepType, module: moduleUrl, reason: describe(err) });
  }
  const found = pick((mod as { default?: unknown }).default, stepType);
  if (typeof found === "string") throw pluginLoadFailed({ stepType, module: moduleUrl, reason: found });
  let byName = loaded.get(moduleUrl);
  if (!byName) {
    byName = new Map();
    loaded.set(moduleUrl, byName);
  }
  byName.set(stepType, found);
  return found;
}

function pick(exported: unknown, name: string): StepType | string {
  if (!exported || typeof exported !== "object") {
    return "its default export is not a step type or plugin (export default defineStep({...}))";
  }
  const steps = (exported as { steps?: unknown }).steps;
  if (Array.isArray(steps)) {
    const hit = steps.find((s): s is StepType => isStepType(s) && s.name === name);
    if (hit) return hit;
    const names = steps.map((s) => (s as { name?: unknown }).name).join(", ");
    return `the plugin has no step type "${name}" (it has: ${names || "none"})`;
  }
  if (!isStepType(exported)) return "its default export has no run(ctx) function";
  if (exported.name !== name) return `its default export is step type "${exported.name}", not "${name}"`;
  return exported;
}

function isStepType(value: unknown): value is StepType {
  return !!value && typeof value === "object" && typeof (value as { run?: unknown }).run === "function";
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
