/**
 * `weft run --dry PATH`: validate, compile and print what each workflow would do. Runs
 * nothing and writes nothing but stdout/stderr. Exit 0 when every plan rendered, 1 when a
 * workflow is invalid or a template fails with the given inputs, 2 for bad arguments.
 */
import { type DryRunWorkflow, dryRunWorkflow } from "../../compile/dry-run.js";
import { parseInputArgs, resolveInputs } from "../../compile/inputs.js";
import { loadAndCompile } from "../../compile/load.js";
import type { CompiledWorkflow } from "../../compile/types.js";
import { WeftError } from "../../errors.js";
import { formatDiagnostics } from "../../spec/format.js";
import { EXIT_INVALID, EXIT_OK, type Io, paintFor, UsageError } from "../output.js";
import { formatDryRun } from "../plan-text.js";
import { repoStepTypes } from "../step-types.js";
import { loadWorkflowsOrUsage } from "./shared.js";

export interface DryRunOptions {
  input: string[];
  json: boolean;
}

export async function dryRunCommand(path: string, opts: DryRunOptions, io: Io): Promise<number> {
  const given = usage(() => parseInputArgs(opts.input));
  const { types } = await repoStepTypes({ env: io.env, io });
  const results = loadWorkflowsOrUsage(() => loadAndCompile([path], types));
  if (results.length === 0) throw new UsageError(`no workflow files (*.yaml, *.yml) in ${path}`);

  const diagnostics = results.flatMap((r) => r.diagnostics);
  if (diagnostics.length > 0) {
    const sources = new Map(results.map((r) => [r.file, r.source]));
    const color = paintFor(io.stderr, io.env).enabled;
    io.stderr.write(`${formatDiagnostics(diagnostics, { format: "text", color, sources }).trimEnd()}\n`);
  }
  const plans = results.flatMap((r) => (r.plan ? [r.plan] : []));
  if (plans.length < results.length) return EXIT_INVALID;

  checkInputsKnown(given, plans);
  const dry: DryRunWorkflow[] = [];
  for (const plan of plans) {
    const declared = new Map([...given].filter(([name]) => Object.hasOwn(plan.inputs, name)));
    const inputs = usage(() => resolveInputs(plan.name, plan.inputs, plans.length === 1 ? given : declared));
    dry.push(await dryRunWorkflow(plan, inputs, types));
  }

  if (opts.json) io.stdout.write(`${JSON.stringify({ dryRun: true, workflows: dry }, null, 2)}\n`);
  else {
    const p = paintFor(io.stdout, io.env);
    io.stdout.write(dry.map((w) => formatDryRun(w, p)).join("\n"));
  }
  const failed = dry.flatMap((w) => [...w.steps, ...w.onFailure.steps].filter((s) => s.error));
  for (const s of failed) io.stderr.write(`weft: step "${s.id}" would fail: ${s.error}\n`);
  return failed.length > 0 ? EXIT_INVALID : EXIT_OK;
}

/** With a folder, an input must be declared by at least one of its workflows. */
function checkInputsKnown(given: Map<string, string>, plans: CompiledWorkflow[]): void {
  if (plans.length < 2) return;
  for (const name of given.keys()) {
    if (!plans.some((p) => Object.hasOwn(p.inputs, name))) {
      throw new UsageError(`no workflow in this folder declares an input "${name}"`);
    }
  }
}

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof WeftError && err.code.startsWith("WEFT_INPUT_")) throw new UsageError(err.message);
    throw err;
  }
}
