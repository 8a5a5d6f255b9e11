import { pathToFileURL } from "node:url";
import httpStep from "../../plugins/http/index.js";
import logStep from "../../plugins/log/index.js";
import shellStep from "../../plugins/shell/index.js";
import sleepStep from "../../plugins/sleep/index.js";
import { distPath } from "../paths.js";
import { StepRegistry } from "./registry.js";
import type { StepType } from "./types.js";

const BUILTINS: Array<[folder: string, step: StepType]> = [
  ["shell", shellStep as StepType],
  ["http", httpStep as StepType],
  ["log", logStep as StepType],
  ["sleep", sleepStep as StepType],
];

/** A fresh registry holding the built-in step types; workers load them from dist/plugins. */
export function builtinRegistry(): StepRegistry {
  const registry = new StepRegistry();
  for (const [folder, stepType] of BUILTINS) {
    registry.add({
      name: stepType.name,
      description: stepType.description,
      inputSchema: stepType.inputSchema,
      ...(stepType.outputSchema ? { outputSchema: stepType.outputSchema } : {}),
      ...(stepType.literalInputs ? { literalInputs: stepType.literalInputs } : {}),
      moduleUrl: pathToFileURL(distPath("plugins", folder, "index.js")).href,
      source: "built-in",
      stepType,
    });
  }
  return registry;
}
