/**
 * `weft schema`: the workflow schema with every known step type's input schema merged in.
 * Point an editor at the output (or at schemas/workflow.schema.json for the base schema).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mergeStepSchemas } from "../../compile/schema-merge.js";
import { PACKAGE_ROOT } from "../../paths.js";
import { EXIT_OK, type Io } from "../output.js";
import { repoStepTypes } from "../step-types.js";

export async function schemaCommand(io: Io): Promise<number> {
  const base = JSON.parse(
    readFileSync(join(PACKAGE_ROOT, "schemas", "workflow.schema.json"), "utf8"),
  ) as Record<string, unknown>;
  const { types } = await repoStepTypes({ env: io.env, io });
  io.stdout.write(`${JSON.stringify(mergeStepSchemas(base, types), null, 2)}\n`);
  return EXIT_OK;
}
