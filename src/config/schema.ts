/**
 * The config JSON Schema, compiled on first use: most commands never read a config file, and
 * importing and running Ajv's compiler costs ~70 ms of CLI start-up.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Ajv as AjvClass, ValidateFunction } from "ajv";
import { PACKAGE_ROOT } from "../paths.js";

export const CONFIG_SCHEMA_PATH: string = join(PACKAGE_ROOT, "schemas", "config.schema.json");

export const configSchema: Record<string, unknown> = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, "utf8"));

let compiled: ValidateFunction | undefined;

export function configValidator(): ValidateFunction {
  if (!compiled) {
    const { Ajv } = createRequire(import.meta.url)("ajv") as { Ajv: typeof AjvClass };
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, logger: false, $data: false });
    compiled = ajv.compile(configSchema);
  }
  return compiled;
}
