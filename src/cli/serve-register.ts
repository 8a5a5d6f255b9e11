/** `weft serve`: the long-running server (Git sync, triggers, HTTP API, metrics). */
import type { Command } from "commander";
import type { Io } from "./output.js";

export function registerServeCommands(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command("serve")
    .description(
      "serve workflows from a Git repository: sync, cron and webhook triggers, the HTTP API and metrics",
    )
    .option("--config <file>", "settings file (default weft.config.yaml in the working folder; WEFT_CONFIG)")
    .option("--repo <url|path>", "repository to sync workflows from (default: the one started in; WEFT_REPO)")
    .option("--branch <name>", "branch to follow (default: the checked-out branch; WEFT_BRANCH)")
    .option("--poll <duration>", "how often to fetch, e.g. 30s or 5m (WEFT_POLL)")
    .option("--store <path>", "SQLite store file (default <data-dir>/weft.db; WEFT_STORE)")
    .option("--data-dir <path>", "where the Git mirror and store live (default .weft; WEFT_DATA_DIR)")
    .option("--host <host>", "address to listen on (default 127.0.0.1; WEFT_HOST)")
    .option("--port <port>", "port to listen on (default 8080; WEFT_PORT)")
    .option(
      "--api-token <token>",
      "bearer token for /api (visible in the process list: prefer WEFT_API_TOKEN)",
    )
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (WEFT_LOG_LEVEL)")
    .option("--grace <duration>", "how long running steps may finish on shutdown (default 30s; WEFT_GRACE)")
    .option(
      "--catchup-max <n>",
      "most missed cron slots one `catchup: all` schedule fires (WEFT_CATCHUP_MAX)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  weft serve                                serve this repository's workflows/ on 127.0.0.1:8080\n  WEFT_API_TOKEN=$(openssl rand -hex 32) weft serve --host 0.0.0.0 --repo https://github.com/acme/automation.git",
    )
    .action(async (opts) => {
      const { serveCommand } = await import("./commands/serve.js");
      setCode(await serveCommand(opts, io));
    });
}
