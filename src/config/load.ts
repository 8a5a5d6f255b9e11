/**
 * loadConfig: flags beat WEFT_* variables, which beat weft.config.yaml, which beats the
 * defaults. Every layer is validated before anything is merged, and all problems are reported
 * together. The result is compiled once (paths absolute, durations in ms); the server reads
 * only that.
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { parseDuration } from "../spec/duration.js";
import { formatDiagnostics } from "../spec/format.js";
import type { Diagnostic } from "../spec/types.js";
import { currentBranch } from "./branch.js";
import { type ConfigError, configInvalid, configNotFound } from "./errors.js";
import { ENV_NAMES, envLayer, FLAG_NAMES, flagLayer, type RawKey, readFileLayer } from "./layers.js";
import type { ConfigFlags, ConfigSource, LoadedConfig, RawConfig, WeftConfig } from "./types.js";

export const CONFIG_FILE = "weft.config.yaml";

export const DEFAULTS = {
  poll: "30s",
  dataDir: ".weft",
  storeFile: "weft.db",
  host: "127.0.0.1",
  port: 8080,
  logLevel: "info",
  grace: "30s",
  catchupMax: 100,
  branch: "main",
} as const;

const MIN_POLL_MS = 1000;

export interface LoadConfigOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  flags?: ConfigFlags;
}

export function loadConfig(opts: LoadConfigOptions): LoadedConfig {
  const cwd = resolve(opts.cwd);
  const env = opts.env ?? {};
  const flags = opts.flags ?? {};

  const file = configFile(cwd, env, flags);
  const fileLayer = file ? readFileLayer(file) : undefined;
  const envRaw = envLayer(env);
  const flagRaw = flagLayer(flags);
  const diagnostics = fileLayer?.diagnostics ?? [];
  const problems = [...envRaw.problems, ...flagRaw.problems];
  if (diagnostics.length > 0 || problems.length > 0) throw invalid(diagnostics, problems, fileLayer?.source);

  const layers: Array<[ConfigSource, RawConfig, string]> = [
    ["flag", flagRaw.raw, cwd],
    ["env", envRaw.raw, cwd],
    ["file", fileLayer?.raw ?? {}, file ? dirname(file) : cwd],
  ];
  const pick = <K extends RawKey>(key: K): { value?: RawConfig[K]; source: ConfigSource; base: string } => {
    for (const [source, raw, base] of layers)
      if (raw[key] !== undefined) return { value: raw[key], source, base };
    return { source: "default", base: cwd };
  };

  const late: string[] = [];
  const duration = (key: "poll" | "grace", fallback: string, min = 0): number => {
    const { value, source } = pick(key);
    const ms = parseDuration(value ?? fallback);
    if (ms < min) late.push(`${labelOf(key, source)} must be at least ${min / 1000}s, got ${value}`);
    return ms;
  };

  const repo = pick("repo");
  const repoValue =
    repo.value === undefined ? cwd : isRemote(repo.value) ? repo.value : resolve(repo.base, repo.value);
  const dataDir = pick("dataDir");
  const dataDirValue = resolve(dataDir.base, dataDir.value ?? DEFAULTS.dataDir);
  const store = pick("store");
  const storeValue =
    store.value === undefined
      ? join(dataDirValue, DEFAULTS.storeFile)
      : /^postgres(ql)?:\/\//i.test(store.value) || isAbsolute(store.value)
        ? store.value
        : resolve(store.base, store.value);
  const branch = pick("branch");
  const branchValue =
    branch.value ?? (isRemote(repoValue) ? undefined : currentBranch(repoValue)) ?? DEFAULTS.branch;

  const config: WeftConfig = {
    repo: repoValue,
    branch: branchValue,
    pollMs: duration("poll", DEFAULTS.poll, MIN_POLL_MS),
    store: storeValue,
    dataDir: dataDirValue,
    host: pick("host").value ?? DEFAULTS.host,
    port: pick("port").value ?? DEFAULTS.port,
    apiTokens: pick("apiTokens").value ?? [],
    plugins: pick("plugins").value ?? [],
    logLevel: pick("logLevel").value ?? DEFAULTS.logLevel,
    shutdownGraceMs: duration("grace", DEFAULTS.grace),
    catchupMax: pick("catchupMax").value ?? DEFAULTS.catchupMax,
  };
  if (late.length > 0) throw invalid([], late, undefined);

  const sources: LoadedConfig["sources"] = {
    repo: repo.source,
    branch: branch.source,
    pollMs: pick("poll").source,
    store: store.source,
    dataDir: dataDir.source,
    host: pick("host").source,
    port: pick("port").source,
    apiTokens: pick("apiTokens").source,
    plugins: pick("plugins").source,
    logLevel: pick("logLevel").source,
    shutdownGraceMs: pick("grace").source,
    catchupMax: pick("catchupMax").source,
  };
  return { config, sources, file };
}

/** `--config`, else WEFT_CONFIG, else weft.config.yaml in cwd when it exists. */
function configFile(cwd: string, env: NodeJS.ProcessEnv, flags: ConfigFlags): string | null {
  const explicit = flags.config ? { path: flags.config, from: "--config" } : undefined;
  const fromEnv = env.WEFT_CONFIG ? { path: env.WEFT_CONFIG, from: "WEFT_CONFIG" } : undefined;
  const chosen = explicit ?? fromEnv;
  if (chosen) {
    const path = resolve(cwd, chosen.path);
    if (!existsSync(path)) throw configNotFound({ file: path, from: chosen.from });
    return path;
  }
  const implicit = join(cwd, CONFIG_FILE);
  return existsSync(implicit) ? implicit : null;
}

/** URLs (`https://`, `ssh://`, `file://`) and scp-style `user@host:path` are remotes; the rest are paths. */
export function isRemote(repo: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/\\\s]+@[^/\\\s:]+:/.test(repo);
}

function labelOf(key: RawKey, source: ConfigSource): string {
  if (source === "env") return ENV_NAMES[key];
  if (source === "flag") return FLAG_NAMES[key];
  return `\`${key}\``;
}

function invalid(diagnostics: Diagnostic[], problems: string[], source: string | undefined): ConfigError {
  // A code frame would print the line holding the token; token problems go without one.
  const quiet = diagnostics.some((d) => d.path?.startsWith("apiTokens"));
  const file = diagnostics[0]?.file;
  const sources =
    source !== undefined && file !== undefined && !quiet ? new Map([[file, source]]) : undefined;
  const parts: string[] = [];
  if (diagnostics.length > 0) {
    parts.push(
      formatDiagnostics(diagnostics, { format: "text", color: false, ...(sources ? { sources } : {}) }),
    );
  }
  parts.push(...problems.map((p) => `error: ${p}`));
  return Object.assign(configInvalid({ details: parts.join("\n\n") }), { diagnostics });
}
