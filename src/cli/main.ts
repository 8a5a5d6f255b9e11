/**
 * The `weft` command. Each command's module is imported only when that command runs, so
 * `weft validate` never loads the engine, the store or the HTTP server (start-up stays close
 * to bare Node). Usage errors exit 2, invalid workflows 1, success 0.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { PACKAGE_ROOT } from "../paths.js";
import { registerRunCommands } from "./engine/register.js";
import { EXIT_USAGE, type Io, processIo, UsageError } from "./output.js";
import { registerPluginCommands } from "./plugin-register.js";
import { registerReviewCommands } from "./review-register.js";
import { registerServeCommands } from "./serve-register.js";

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    if (err instanceof UsageError) {
      io.stderr.write(`weft: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command("weft");
  program
    .description("Git-driven declarative automation: validate, dry-run and run workflow files.")
    .version(packageVersion(), "-V, --version", "print the weft version")
    .helpOption("-h, --help", "show help for a command")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError("(run `weft <command> --help` for usage)")
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      "\nExamples:\n  weft validate                     check every workflow in workflows/\n  weft run --dry workflows/hello.yaml --input name=Ada\n  weft schema > weft.schema.json    editor schema with step inputs",
    );

  program
    .command("validate")
    .description("check workflow files (schema, step inputs, templates, references, cycles, schedules)")
    .argument("[paths...]", "workflow files or folders of *.yaml/*.yml files", ["workflows/"])
    .addOption(
      new Option(
        "-f, --format <format>",
        "how to print problems: text for people, json for tools, github for CI annotations",
      )
        .choices(["text", "json", "github"])
        .default("text"),
    )
    .action(async (paths: string[], opts: { format: "text" | "json" | "github" }) => {
      const { validateCommand } = await import("./commands/validate.js");
      setCode(await validateCommand(paths, opts, io));
    });

  program
    .command("run")
    .description(
      "run a workflow; with --dry, print what it would do (waves, rendered inputs, policies, next fires) and run nothing",
    )
    .argument("<path>", "a workflow file, or a folder (with --dry: every workflow in it)")
    .option("--dry", "validate and print the plan without executing anything", false)
    .option(
      "-i, --input <key=value>",
      "set a workflow input (repeatable); the value is coerced to the declared type",
      collect,
      [],
    )
    .option("--json", "print JSON (with --dry: the plan; otherwise the finished run)", false)
    .option(
      "--idempotency-key <key>",
      "reuse the run already started with this key instead of starting another",
    )
    .option("--store <path>", "the store: a SQLite file (default .weft/weft.db; WEFT_STORE also sets it)")
    .option(
      "--server <url>",
      "start the run on a running `weft serve` (its deployed version of the workflow); token from WEFT_API_TOKEN",
    )
    .action(
      async (
        path: string,
        opts: {
          dry: boolean;
          input: string[];
          json: boolean;
          store?: string;
          idempotencyKey?: string;
          server?: string;
        },
      ) => {
        if (opts.dry) {
          const { dryRunCommand } = await import("./commands/dry-run.js");
          setCode(await dryRunCommand(path, opts, io));
          return;
        }
        const { runCommand } = await import("./commands/run.js");
        setCode(await runCommand(path, opts, io));
      },
    );

  program
    .command("schema")
    .description(
      "print the workflow JSON Schema with every step type's inputs merged in (point your editor at it)",
    )
    .action(async () => {
      const { schemaCommand } = await import("./commands/schema.js");
      setCode(await schemaCommand(io));
    });

  registerRunCommands(program, io, setCode);
  registerServeCommands(program, io, setCode);
  registerReviewCommands(program, io, setCode);
  registerPluginCommands(program, io, setCode);
  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}
