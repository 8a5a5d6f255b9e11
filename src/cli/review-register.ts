/** The review commands: `weft check` (validate + lints) and `weft plan` (what a change does). */
import { type Command, Option } from "commander";
import type { Io } from "./output.js";

export function registerReviewCommands(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("check")
    .description(
      "validate workflow files and run the review lints (injection, timeouts, secrets, outputs, schedules)",
    )
    .argument("[paths...]", "workflow files or folders of *.yaml/*.yml files", ["workflows/"])
    .addOption(
      new Option("-f, --format <format>", "text for people, json for tools, github for CI annotations")
        .choices(["text", "json", "github"])
        .default("text"),
    )
    .addHelpText(
      "after",
      "\nSilence a lint on a step with a comment on or above its key:\n  # weft-ignore: shell-injection -- the value is an enum\nWEFT_NOW=2026-01-01T00:00:00Z pins the clock used for schedule checks.",
    )
    .action(async (paths: string[], opts: { format: "text" | "json" | "github" }) => {
      const { checkCommand } = await import("./commands/check.js");
      setCode(await checkCommand(paths, opts, io));
    });

  program
    .command("plan")
    .description(
      "show what a change does to the workflows between two Git revisions: steps, edges, triggers with next fires, findings",
    )
    .requiredOption("--base <ref>", "the revision the change starts from (e.g. origin/main)")
    .option("--head <ref>", "the revision with the change", "HEAD")
    .option("--dir <dir>", "the workflows folder inside the repository", "workflows")
    .option("--repo <dir>", "the Git repository (default: the current directory)")
    .addOption(
      new Option(
        "-f, --format <format>",
        "text for people, markdown for a pull-request comment, json for tools, github for CI annotations",
      )
        .choices(["text", "markdown", "json", "github"])
        .default("text"),
    )
    .addHelpText(
      "after",
      "\nReads both revisions from Git objects, never the working tree. Exit 0 when the head is valid\nand has no error finding, 1 otherwise, 2 for an unknown ref or a folder outside a repository.\nExample: weft plan --base origin/main --format markdown > plan.md",
    )
    .action(
      async (opts: {
        base: string;
        head: string;
        dir: string;
        repo?: string;
        format: "text" | "markdown" | "json" | "github";
      }) => {
        const { planCommand } = await import("./commands/plan.js");
        setCode(await planCommand(opts, io));
      },
    );
}
