/**
 * `weft plan --base REF [--head REF]`: what merging the change does to the workflows. Exit 0
 * when the head is valid with no unsilenced error finding, 1 otherwise, 2 for a bad ref, a
 * folder outside a Git repository or a bad WEFT_NOW.
 */
import { builtinRegistry } from "../../plugin/builtins.js";
import { reviewNow } from "../../review/now.js";
import { buildPlan } from "../../review/plan.js";
import { planGithub } from "../../review/render/github.js";
import { planMarkdown } from "../../review/render/markdown.js";
import { planJson } from "../../review/render/plan-json.js";
import { planText } from "../../review/render/text.js";
import { EXIT_INVALID, EXIT_OK, type Io, paintFor } from "../output.js";
import { asUsage } from "./check.js";

export type PlanFormat = "text" | "markdown" | "json" | "github";

export async function planCommand(
  opts: { base: string; head: string; dir: string; repo?: string; format: PlanFormat },
  io: Io,
): Promise<number> {
  const { report, sources } = await asUsage(async () =>
    buildPlan({
      repo: opts.repo ?? process.cwd(),
      base: opts.base,
      head: opts.head,
      dir: opts.dir,
      types: builtinRegistry(),
      env: io.env,
      now: reviewNow(io.env),
    }),
  );
  if (opts.format === "json") io.stdout.write(planJson(report));
  else if (opts.format === "markdown") io.stdout.write(planMarkdown(report));
  else if (opts.format === "github") io.stdout.write(planGithub(report));
  else io.stdout.write(planText(report, paintFor(io.stdout, io.env), sources));
  return report.valid ? EXIT_OK : EXIT_INVALID;
}
