/**
 * The editor schema: the workflow schema with each step type's input schema merged in, so
 * that under `uses: X` the `with` block is completed and checked against X's inputs. Draft-07
 * has no discriminator, so each type is one `if: {uses: const X} then: {with: schema}` entry.
 */

import type { StepTypeLookup } from "../plugin/registry.js";
import type { JsonSchema } from "../plugin/types.js";

type Schema = Record<string, unknown>;

export function mergeStepSchemas(base: JsonSchema, types: StepTypeLookup): JsonSchema {
  const merged = structuredClone(base) as Schema;
  const definitions = (merged.definitions ?? {}) as Schema;
  const step = definitions.step as Schema | undefined;
  if (!step || typeof step !== "object") {
    throw new Error("mergeStepSchemas: the workflow schema has no definitions.step to extend");
  }
  const names = types.names();
  const branches = names.map((name) => {
    const info = types.get(name);
    return {
      if: { properties: { uses: { const: name } }, required: ["uses"] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited
      then: {
        properties: { with: { description: info?.description ?? name, ...(info?.inputSchema ?? {}) } },
      },
    };
  });
  const properties = { ...((step.properties ?? {}) as Schema) };
  const uses = properties.uses as Schema | undefined;
  if (uses) {
    // anyOf keeps third-party names valid while editors offer the known types with descriptions.
    properties.uses = {
      ...uses,
      anyOf: [
        ...names.map((name) => ({ const: name, description: types.get(name)?.description ?? name })),
        { type: "string" },
      ],
    };
  }
  definitions.step = { ...step, properties, allOf: [...((step.allOf as unknown[]) ?? []), ...branches] };
  merged.definitions = definitions;
  return merged;
}
