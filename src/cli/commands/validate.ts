/**
 * `weft validate [PATH…]`: load, validate and compile every workflow; print problems with
 * their positions. Exit 0 when all are valid, 1 when any is not, 2 for a bad path.
 */
import { type LoadedWorkflow, loadAndCompile } from "../../compile/load.js";
import { formatDiagnostics } from "../../spec/format.js";
import type { Diagnostic } from "../../spec/types.js";
import { EXIT_INVALID, EXIT_OK, type Io, paintFor, plural, UsageError } from "../output.js";
import { repoStepTypes } from "../step-types.js";
import { loadWorkflowsOrUsage } from "./shared.js";

export type ValidateFormat = "text" | "json" | "github";

export async function validateCommand(
  paths: string[],
  opts: { format: ValidateFormat },
  io: Io,
): Promise<number> {
  // A plugin that fails to load is printed here and makes the check fail (exit 1).
  const { types, problems } = await repoStepTypes({ env: io.env, io });
  const results = loadWorkflowsOrUsage(() => loadAndCompile(paths, types));
  if (results.length === 0) throw new UsageError(`no workflow files (*.yaml, *.yml) in ${paths.join(", ")}`);
  const diagnostics = results.flatMap((r) => r.diagnostics);
  const invalid = results.filter(isInvalid);
  const sources = new Map(results.map((r) => [r.file, r.source]));

  if (opts.format === "json") {
    io.stdout.write(`${JSON.stringify(jsonReport(results), null, 2)}\n`);
  } else if (opts.format === "github") {
    if (diagnostics.length > 0)
      io.stdout.write(
        ensureNewline(formatDiagnostics(diagnostics, { format: "github", color: false, sources })),
      );
    io.stdout.write(`${summary(results.length, invalid.length, diagnostics)}\n`);
  } else {
    const p = paintFor(io.stderr, io.env);
    if (diagnostics.length > 0) {
      io.stderr.write(
        ensureNewline(formatDiagnostics(diagnostics, { format: "text", color: p.enabled, sources })),
      );
    }
    if (invalid.length > 0)
      io.stderr.write(`${p.red(summary(results.length, invalid.length, diagnostics))}\n`);
    else io.stdout.write(`${paintFor(io.stdout, io.env).green(summary(results.length, 0, diagnostics))}\n`);
  }
  return invalid.length > 0 || problems.length > 0 ? EXIT_INVALID : EXIT_OK;
}

function isInvalid(r: LoadedWorkflow): boolean {
  return !r.plan || r.diagnostics.some((d) => d.severity === "error");
}

function summary(total: number, invalid: number, diagnostics: Diagnostic[]): string {
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  const tail = warnings > 0 ? ` (${plural(warnings, "warning")})` : "";
  if (invalid === 0) return `${plural(total, "workflow")} valid${tail}`;
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return `${invalid} of ${plural(total, "workflow")} invalid: ${plural(errors, "error")}${warnings > 0 ? `, ${plural(warnings, "warning")}` : ""}`;
}

function jsonReport(results: LoadedWorkflow[]) {
  return {
    valid: !results.some(isInvalid),
    workflows: results.map((r) => ({
      file: r.file,
      name: r.plan?.name ?? null,
      valid: !isInvalid(r),
      diagnostics: r.diagnostics,
    })),
  };
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") || text === "" ? text : `${text}\n`;
}
