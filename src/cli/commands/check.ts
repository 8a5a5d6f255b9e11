/**
 * `weft check [PATH…]`: `weft validate` plus the review lints. Exit 0 when every workflow is
 * valid and no unsilenced finding is an error, 1 otherwise, 2 for a bad path or WEFT_NOW.
 */
import { WeftError } from "../../errors.js";
import { builtinRegistry } from "../../plugin/builtins.js";
import { type CheckReport, runCheck } from "../../review/check.js";
import { REVIEW_USAGE_CODES } from "../../review/errors.js";
import { reviewNow } from "../../review/now.js";
import { findingJson, findingsGithub, findingsText } from "../../review/render/findings.js";
import { stableJson } from "../../review/render/json.js";
import { EXIT_INVALID, EXIT_OK, type Io, paintFor, plural, UsageError } from "../output.js";
import { loadWorkflowsOrUsage } from "./shared.js";

export type CheckFormat = "text" | "json" | "github";

export async function checkCommand(paths: string[], opts: { format: CheckFormat }, io: Io): Promise<number> {
  const now = await asUsage(async () => reviewNow(io.env));
  const report = loadWorkflowsOrUsage(() => runCheck(paths, { types: builtinRegistry(), env: io.env, now }));
  if (report.workflows.length === 0)
    throw new UsageError(`no workflow files (*.yaml, *.yml) in ${paths.join(", ")}`);
  const findings = report.workflows.flatMap((w) => w.findings);

  if (opts.format === "json") {
    io.stdout.write(`${stableJson(checkJson(report))}\n`);
  } else if (opts.format === "github") {
    const lines = findingsGithub(findings);
    if (lines.length > 0) io.stdout.write(`${lines.join("\n")}\n`);
    io.stdout.write(`${summary(report)}\n`);
  } else {
    const p = paintFor(io.stderr, io.env);
    if (findings.length > 0)
      io.stderr.write(`${findingsText(findings, { color: p.enabled, sources: report.sources })}\n`);
    if (report.valid) io.stdout.write(`${paintFor(io.stdout, io.env).green(summary(report))}\n`);
    else io.stderr.write(`${p.red(summary(report))}\n`);
  }
  return report.valid ? EXIT_OK : EXIT_INVALID;
}

function summary(r: CheckReport): string {
  const s = r.summary;
  const counts = [plural(s.errors, "error"), plural(s.warnings, "warning")];
  if (s.silenced > 0) counts.push(`${s.silenced} silenced`);
  const head =
    s.invalid === 0
      ? `${plural(s.workflows, "workflow")} valid`
      : `${s.invalid} of ${plural(s.workflows, "workflow")} invalid`;
  return `${head}: ${counts.join(", ")}`;
}

function checkJson(r: CheckReport) {
  return {
    version: r.version,
    valid: r.valid,
    summary: r.summary,
    workflows: r.workflows.map((w) => ({ ...w, findings: w.findings.map(findingJson) })),
  };
}

/** Review errors that mean a wrong call (bad ref, not a repository, bad WEFT_NOW) exit 2. */
export async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof WeftError && REVIEW_USAGE_CODES.has(err.code)) throw new UsageError(err.message);
    throw err;
  }
}
