/** The commands that work on recorded runs: runs, resume, cancel, dead. */
import type { Command } from "commander";
import type { Io } from "../output.js";

const STORE_HELP = "the store: a SQLite file (default .weft/weft.db; WEFT_STORE also sets it)";

export function registerRunCommands(program: Command, io: Io, setCode: (code: number) => void): void {
  const runs = program.command("runs").description("list and inspect recorded runs");
  runs
    .command("list")
    .description("list runs, newest first")
    .option("--json", "print JSON", false)
    .option("--workflow <name>", "only runs of this workflow")
    .option("--status <status>", "only runs with this status")
    .option("--limit <n>", "at most this many runs", "50")
    .option("--before <runId>", "page: runs created before this one")
    .option("--store <path>", STORE_HELP)
    .action(async (opts) => {
      const { runsListCommand } = await import("../commands/runs.js");
      setCode(await runsListCommand(opts, io));
    });
  runs
    .command("show")
    .description("show a run: its steps, attempts, inputs and outputs (secrets redacted)")
    .argument("<run>", "run id")
    .option("--json", "print JSON", false)
    .option("--logs", "include the steps' log lines", false)
    .option("--store <path>", STORE_HELP)
    .action(async (runId: string, opts) => {
      const { runsShowCommand } = await import("../commands/runs.js");
      setCode(await runsShowCommand(runId, opts, io));
    });

  program
    .command("resume")
    .description("continue an interrupted or failed run; finished steps keep their outputs")
    .argument("<run>", "run id")
    .option("--from <step>", "run this step and everything downstream of it again")
    .option("--dry", "show which steps would run again and which keep their results; run nothing", false)
    .option("--json", "print JSON", false)
    .option("--store <path>", STORE_HELP)
    .action(async (runId: string, opts) => {
      const { resumeCommand } = await import("../commands/resume.js");
      setCode(await resumeCommand(runId, opts, io));
    });

  program
    .command("cancel")
    .description("cancel a queued or running run; running steps are stopped")
    .argument("<run>", "run id")
    .option("--store <path>", STORE_HELP)
    .action(async (runId: string, opts) => {
      const { cancelCommand } = await import("../commands/runs.js");
      setCode(await cancelCommand(runId, opts, io));
    });

  const dead = program.command("dead").description("steps that failed after their last retry");
  dead
    .command("list")
    .description("list dead letters with their error and attempts")
    .option("--json", "print JSON", false)
    .option("--all", "include replayed ones", false)
    .option("--store <path>", STORE_HELP)
    .action(async (opts) => {
      const { deadListCommand } = await import("../commands/resume.js");
      setCode(await deadListCommand(opts, io));
    });
  dead
    .command("replay")
    .description("run a dead-lettered step again (resumes its run)")
    .argument("<id>", "dead letter id")
    .option("--json", "print JSON", false)
    .option("--store <path>", STORE_HELP)
    .action(async (id: string, opts) => {
      const { deadReplayCommand } = await import("../commands/resume.js");
      setCode(await deadReplayCommand(id, opts, io));
    });
}
