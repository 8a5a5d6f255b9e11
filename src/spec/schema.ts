/**
 * The workflow JSON Schema, compiled once at module load (Fastify's habit: a bad schema stops
 * start-up, not the first request). The same file is published for editors.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { PACKAGE_ROOT } from "../paths.js";

export const WORKFLOW_SCHEMA_PATH: string = join(PACKAGE_ROOT, "schemas", "workflow.schema.json");

/** The parsed schema document (read-only by convention; docs generation reads it). */
export const workflowSchema: Record<string, unknown> = JSON.parse(readFileSync(WORKFLOW_SCHEMA_PATH, "utf8"));

// ajv-formats is CommonJS with `exports.default`; NodeNext types see the module object.
const addFormats = addFormatsModule.default;

/** Options shared by every Ajv instance here: all errors, with schemas attached; never $data. */
function baseOptions(strict: boolean) {
  return {
    allErrors: true,
    verbose: true,
    strict,
    allowUnionTypes: true,
    logger: false as const,
    $data: false,
  };
}

const workflowAjv = new Ajv(baseOptions(true));
addFormats(workflowAjv);

export const validateWorkflowSchema: ValidateFunction = workflowAjv.compile(workflowSchema);

/**
 * A fresh Ajv for one step type's input schema. One instance per type keeps plugins from
 * colliding on `$id`s; plugin schemas are compiled non-strict (unknown keywords are theirs).
 */
export function createStepAjv(): Ajv {
  const ajv = new Ajv(baseOptions(false));
  addFormats(ajv);
  return ajv;
}
