/** The settings of `weft serve`: what a user writes, and the compiled form everything reads. */

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The vocabulary of weft.config.yaml (durations as strings); env vars and flags map onto it. */
export interface RawConfig {
  repo?: string;
  branch?: string;
  poll?: string;
  store?: string;
  dataDir?: string;
  host?: string;
  port?: number;
  apiTokens?: string[];
  plugins?: string[];
  logLevel?: LogLevel;
  grace?: string;
  catchupMax?: number;
}

/** Compiled: every default applied, paths absolute, durations in ms. Read only this. */
export interface WeftConfig {
  /** A remote URL (https, ssh, file, scp-style) as written, or an absolute local path. */
  repo: string;
  branch: string;
  pollMs: number;
  /** An absolute SQLite path (or a postgres:// URL, kept as written). */
  store: string;
  dataDir: string;
  host: string;
  port: number;
  apiTokens: string[];
  /** npm package names; loading them is the plugin loader's job. */
  plugins: string[];
  logLevel: LogLevel;
  shutdownGraceMs: number;
  /** Bound of the `catchup: all` policy (CronScheduler maxCatchup). */
  catchupMax: number;
}

export type ConfigSource = "flag" | "env" | "file" | "default";

/** What the `weft serve` command passes in; strings as commander gives them. */
export interface ConfigFlags {
  config?: string;
  repo?: string;
  branch?: string;
  poll?: string;
  store?: string;
  dataDir?: string;
  host?: string;
  port?: string | number;
  /** Visible to other local users in the process list; WEFT_API_TOKEN is the better place. */
  apiToken?: string;
  plugins?: string[];
  logLevel?: string;
  grace?: string;
  catchupMax?: string | number;
}

export interface LoadedConfig {
  config: WeftConfig;
  sources: Record<keyof WeftConfig, ConfigSource>;
  /** The config file read, if any. */
  file: string | null;
}
