/**
 * The step types a CLI command sees: the built-ins, the repository's plugins/ folder and the
 * packages listed in weft.config.yaml (`plugins:`, or WEFT_PLUGINS). Plugins that fail to
 * load are printed as errors naming the file and reason; the rest are returned.
 */
import { isConfigError, loadConfig } from "../config/index.js";
import { type LoadedStepTypes, loadStepTypes } from "../plugin/load.js";
import { type Io, paintFor, UsageError } from "./output.js";

export async function repoStepTypes(opts: {
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Where to print load problems; left out, the caller reports them. */
  io?: Io;
}): Promise<LoadedStepTypes> {
  const cwd = opts.cwd ?? process.cwd();
  let packages: string[];
  try {
    packages = loadConfig({ cwd, env: opts.env as NodeJS.ProcessEnv }).config.plugins;
  } catch (err) {
    if (isConfigError(err)) throw new UsageError(err.message);
    throw err;
  }
  const loaded = await loadStepTypes({ cwd, packages });
  if (opts.io) printProblems(loaded, opts.io);
  return loaded;
}

export function printProblems(loaded: LoadedStepTypes, io: Io): void {
  const p = paintFor(io.stderr, io.env);
  for (const problem of loaded.problems) {
    io.stderr.write(
      `${p.red("error")} ${p.bold(problem.source)}: ${problem.message} ${p.dim(`[${problem.code}]`)}\n`,
    );
  }
}
