/** The authoring commands: `weft test` (workflow tests without code) and `weft docs plugins`. */
import type { Command } from "commander";
import type { Io } from "./output.js";

export function registerPluginCommands(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("test")
    .description(
      "run the *.test.yaml files next to workflows: inputs, mocked steps, expected statuses and outputs",
    )
    .argument("[paths...]", "test files, or folders holding *.test.yaml files", ["workflows/"])
    .addHelpText(
      "after",
      "\nA test file names a workflow and its cases; see docs/testing.md. Exit 0 when every case\npasses, 1 when one fails or a test file is invalid, 2 when no test file is found.",
    )
    .action(async (paths: string[]) => {
      const { testCommand } = await import("./commands/test.js");
      setCode(await testCommand(paths, io));
    });

  const docs = program.command("docs").description("generate documentation");
  docs
    .command("plugins")
    .description("write a Markdown reference page per step type (inputs, outputs, examples) and an index")
    .option("-o, --out <dir>", "where to write the pages", "docs/steps")
    .option(
      "-p, --plugin <module>",
      "document only the step types of this module (a plugin's built entry); repeatable",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--check", "write nothing; exit 1 when a page differs from what would be written", false)
    .action(async (opts: { out: string; plugin: string[]; check: boolean }) => {
      const { docsPluginsCommand } = await import("./commands/docs.js");
      setCode(await docsPluginsCommand(opts, io));
    });
}
