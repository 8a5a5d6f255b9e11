/**
 * The three places settings come from, each turned into the file vocabulary (RawConfig) and
 * checked against the same schema: the YAML file (problems with file:line:col), WEFT_*
 * variables and command-line flags (problems naming the variable or flag).
 */
import { readFileSync } from "node:fs";
import type { ErrorObject } from "ajv";
import { sortDiagnostics } from "../spec/diagnostics.js";
import { explainErrors } from "../spec/explain.js";
import { loadDocument } from "../spec/load.js";
import type { Diagnostic } from "../spec/types.js";
import { describe, expectedTypes } from "../spec/wording.js";
import { configUnreadable } from "./errors.js";
import { configValidator } from "./schema.js";
import type { ConfigFlags, RawConfig } from "./types.js";

export type RawKey = keyof RawConfig;

/** Environment variable per setting. List settings take comma-separated values. */
export const ENV_NAMES: Record<RawKey, string> = {
  repo: "WEFT_REPO",
  branch: "WEFT_BRANCH",
  poll: "WEFT_POLL",
  store: "WEFT_STORE",
  dataDir: "WEFT_DATA_DIR",
  host: "WEFT_HOST",
  port: "WEFT_PORT",
  apiTokens: "WEFT_API_TOKEN",
  plugins: "WEFT_PLUGINS",
  logLevel: "WEFT_LOG_LEVEL",
  grace: "WEFT_GRACE",
  catchupMax: "WEFT_CATCHUP_MAX",
};

export const FLAG_NAMES: Record<RawKey, string> = {
  repo: "--repo",
  branch: "--branch",
  poll: "--poll",
  store: "--store",
  dataDir: "--data-dir",
  host: "--host",
  port: "--port",
  apiTokens: "--api-token",
  plugins: "--plugin",
  logLevel: "--log-level",
  grace: "--grace",
  catchupMax: "--catchup-max",
};

const LISTS = new Set<RawKey>(["apiTokens", "plugins"]);
const INTEGERS = new Set<RawKey>(["port", "catchupMax"]);

export interface FileLayer {
  raw: RawConfig;
  diagnostics: Diagnostic[];
  source: string;
}

export function readFileLayer(file: string): FileLayer {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (err) {
    throw configUnreadable({ file, reason: err instanceof Error ? err.message : String(err) });
  }
  // A file of comments only is an empty configuration, not a mistake.
  if (source.split("\n").every((l) => /^\s*(#.*)?$/.test(l))) return { raw: {}, diagnostics: [], source };
  const loaded = loadDocument(source, file);
  const errors = loaded.diagnostics.filter((d) => d.severity === "error");
  if (!loaded.doc || errors.length > 0) return { raw: {}, diagnostics: errors, source };
  const data = loaded.doc.data;
  const validateConfigSchema = configValidator();
  if (validateConfigSchema(data)) return { raw: data as RawConfig, diagnostics: [], source };
  const diagnostics = sortDiagnostics(
    explainErrors(validateConfigSchema.errors ?? [], { positions: loaded.doc.positions, base: [], data }).map(
      hideTokens,
    ),
  );
  return { raw: {}, diagnostics, source };
}

export function envLayer(env: NodeJS.ProcessEnv): { raw: RawConfig; problems: string[] } {
  const values: Partial<Record<RawKey, string | string[]>> = {};
  for (const [key, name] of Object.entries(ENV_NAMES) as Array<[RawKey, string]>) {
    const v = env[name];
    if (v === undefined || v.trim() === "") continue;
    values[key] = LISTS.has(key) ? splitList(v) : v.trim();
  }
  return checked(values, ENV_NAMES);
}

export function flagLayer(flags: ConfigFlags): { raw: RawConfig; problems: string[] } {
  const values: Partial<Record<RawKey, string | number | string[]>> = {};
  const set = (key: RawKey, v: string | number | string[] | undefined) => {
    if (v !== undefined && v !== "") values[key] = v;
  };
  set("repo", flags.repo);
  set("branch", flags.branch);
  set("poll", flags.poll);
  set("store", flags.store);
  set("dataDir", flags.dataDir);
  set("host", flags.host);
  set("port", flags.port);
  set("apiTokens", flags.apiToken === undefined ? undefined : splitList(flags.apiToken));
  set("plugins", flags.plugins);
  set("logLevel", flags.logLevel);
  set("grace", flags.grace);
  set("catchupMax", flags.catchupMax);
  return checked(values, FLAG_NAMES);
}

const TOKEN_RULE = "must be at least 16 printable characters without spaces (the value is not shown)";

/** A message about an API token must not quote the token. */
function hideTokens(d: Diagnostic): Diagnostic {
  if (d.path !== "apiTokens" && !d.path?.startsWith("apiTokens[")) return d;
  return { ...d, message: `\`${d.path}\` ${TOKEN_RULE}` };
}

function splitList(v: string): string[] {
  return v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Whole numbers arrive as text from env and argv; anything else is left for the schema to refuse. */
function checked(
  values: Partial<Record<RawKey, string | number | string[]>>,
  names: Record<RawKey, string>,
): { raw: RawConfig; problems: string[] } {
  const data: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(values) as Array<[RawKey, string | number | string[]]>) {
    data[key] = INTEGERS.has(key) && typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  }
  if (Object.keys(data).length === 0) return { raw: {}, problems: [] };
  const validateConfigSchema = configValidator();
  if (validateConfigSchema(data)) return { raw: data as RawConfig, problems: [] };
  const problems = (validateConfigSchema.errors ?? []).map((e) => problemOf(e, names));
  return { raw: {}, problems: [...new Set(problems)] };
}

function problemOf(e: ErrorObject, names: Record<RawKey, string>): string {
  const [key, index] = e.instancePath.slice(1).split("/");
  const label = names[key as RawKey] ?? key ?? "a setting";
  const where = index === undefined ? label : `${label} (item ${Number(index) + 1})`;
  const params = e.params as Record<string, unknown>;
  if (key === "apiTokens") return `${where} ${TOKEN_RULE}`;
  switch (e.keyword) {
    case "type":
      return `${where} must be ${expectedTypes(String(params.type))}, got ${describe(e.data)}`;
    case "enum":
      return `${where} must be one of ${(params.allowedValues as unknown[]).join(", ")}, got ${describe(e.data)}`;
    case "pattern":
      return String(params.pattern).includes("ms|s|m|h|d")
        ? `${where} must be a duration such as 30s, 5m or 1h30m, got ${describe(e.data)}`
        : `${where} has an invalid value ${describe(e.data)}`;
    default:
      return `${where} ${e.message ?? "is invalid"}`;
  }
}
