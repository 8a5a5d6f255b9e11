/** Helpers shared by the CLI commands. */
import { WeftError } from "../../errors.js";
import { UsageError } from "../output.js";

/** A missing path is a usage problem (exit 2), not an invalid workflow (exit 1). */
export function loadWorkflowsOrUsage<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof WeftError && err.code === "WEFT_COMPILE_PATH_NOT_FOUND")
      throw new UsageError(err.message);
    throw err;
  }
}

/** Bad arguments (an input that is not KEY=VALUE, an unknown input…) exit 2 with their message. */
export function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof WeftError) throw new UsageError(err.message);
    throw err;
  }
}
