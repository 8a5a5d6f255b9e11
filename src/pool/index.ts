// The step thread pool: the engine hands it plain-data tasks and gets plain-data outcomes.
export { StepPool } from "./pool.js";
export type {
  LogLevel,
  ResourceLimits,
  StepHooks,
  StepOutcome,
  StepPoolOptions,
  StepTask,
  StopSignal,
} from "./types.js";
