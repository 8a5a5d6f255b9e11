export { currentBranch } from "./branch.js";
export { type ConfigError, isConfigError } from "./errors.js";
export { ENV_NAMES, FLAG_NAMES } from "./layers.js";
export { CONFIG_FILE, DEFAULTS, isRemote, type LoadConfigOptions, loadConfig } from "./load.js";
export { assertSafeBind, isLoopback, REDACTED, redactConfig } from "./safety.js";
export { CONFIG_SCHEMA_PATH, configSchema } from "./schema.js";
export type {
  ConfigFlags,
  ConfigSource,
  LoadedConfig,
  LogLevel,
  RawConfig,
  WeftConfig,
} from "./types.js";
export { LOG_LEVELS } from "./types.js";
