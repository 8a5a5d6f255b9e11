/** The config JSON Schema, compiled once at load (a broken schema stops start-up, not a request). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { PACKAGE_ROOT } from "../paths.js";

export const CONFIG_SCHEMA_PATH: string = join(PACKAGE_ROOT, "schemas", "config.schema.json");

export const configSchema: Record<string, unknown> = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, "utf8"));

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, logger: false, $data: false });

export const validateConfigSchema: ValidateFunction = ajv.compile(configSchema);
