/**
 * The workflow JSON Schema, compiled once at module load (Fastify's habit: a bad schema stops
 * start-up, not the first request). The same file is published for editors.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Ajv as AjvClass, ValidateFunction } from "ajv";
import { distPath, PACKAGE_ROOT } from "../paths.js";

export const WORKFLOW_SCHEMA_PATH: string = join(PACKAGE_ROOT, "schemas", "workflow.schema.json");

/** The parsed schema document (read-only by convention; docs generation reads it). */
const schemaText = readFileSync(WORKFLOW_SCHEMA_PATH, "utf8");
export const workflowSchema: Record<string, unknown> = JSON.parse(schemaText);

const requireHere = createRequire(import.meta.url);

/** Ajv is loaded only when something must be compiled at run time (start-up cost ~70 ms). */
function ajvWithFormats(strict: boolean): AjvClass {
  const { Ajv } = requireHere("ajv") as { Ajv: typeof AjvClass };
  const addFormats = (requireHere("ajv-formats") as { default: (ajv: AjvClass) => void }).default;
  const ajv = new Ajv(baseOptions(strict));
  addFormats(ajv);
  return ajv;
}

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

/**
 * The build precompiles this schema (scripts/gen-validators.mjs) so start-up skips Ajv's
 * compiler; the precompiled code is used only when it was made from this very schema text.
 */
function precompiled(): ValidateFunction | undefined {
  try {
    const mod = createRequire(import.meta.url)(
      distPath("generated", "workflow-validator.cjs"),
    ) as ValidateFunction & {
      schemaHash?: string;
    };
    const hash = createHash("sha256").update(schemaText).digest("hex");
    return mod.schemaHash === hash ? mod : undefined;
  } catch {
    return undefined;
  }
}

function compileAtRuntime(): ValidateFunction {
  return ajvWithFormats(true).compile(workflowSchema);
}

export const validateWorkflowSchema: ValidateFunction = precompiled() ?? compileAtRuntime();

/**
 * A fresh Ajv for one step type's input schema. One instance per type keeps plugins from
 * colliding on `$id`s; plugin schemas are compiled non-strict (unknown keywords are theirs).
 */
export function createStepAjv(): AjvClass {
  return ajvWithFormats(false);
}

/** A built-in step type's input validator precompiled by the build, if it matches `schema`. */
export function precompiledStepValidator(name: string, schema: unknown): ValidateFunction | undefined {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
  try {
    const mod = requireHere(distPath("generated", `step-${name}.cjs`)) as ValidateFunction & {
      schemaHash?: string;
    };
    const hash = createHash("sha256").update(JSON.stringify(schema)).digest("hex");
    return mod.schemaHash === hash ? mod : undefined;
  } catch {
    return undefined;
  }
}
