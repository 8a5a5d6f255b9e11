/**
 * `weft serve`: load the configuration (flags > WEFT_* > weft.config.yaml > defaults), log
 * it with secrets redacted, start the service, and run until SIGTERM or SIGINT. A signal
 * stops new work, gives running steps the grace period, releases the rest for the next
 * start and exits 0; a second signal exits at once (the next start resumes the runs).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type ConfigFlags, isConfigError, loadConfig, redactConfig } from "../../config/index.js";
import { envSecrets } from "../../engine/secrets.js";
import { WeftError } from "../../errors.js";
import { createLogger } from "../../observe/logger.js";
import { PACKAGE_ROOT } from "../../paths.js";
import { startService } from "../../server/service.js";
import { findLocalRepository } from "../../sync/index.js";
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Io } from "../output.js";

export async function serveCommand(flags: ConfigFlags, io: Io): Promise<number> {
  const cwd = process.cwd();
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig({ cwd, env: io.env as NodeJS.ProcessEnv, flags });
  } catch (err) {
    if (isConfigError(err) || err instanceof WeftError) {
      io.stderr.write(`weft: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  const { config, sources } = loaded;
  const secrets = envSecrets(io.env as NodeJS.ProcessEnv);
  const logger = createLogger({
    level: config.logLevel,
    secrets: [...secrets.values(), ...config.apiTokens],
    destination: io.stdout,
  });
  logger.info({ config: redactConfig(config), sources, file: loaded.file }, "effective configuration");

  let repo = config.repo;
  try {
    // Without --repo: the repository the server was started in, even from a subfolder.
    if (sources.repo === "default") repo = findLocalRepository(cwd).root;
  } catch (err) {
    if (err instanceof WeftError) {
      io.stderr.write(`weft: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }

  let service: Awaited<ReturnType<typeof startService>>;
  try {
    service = await startService({
      repo,
      branch: config.branch,
      pollMs: config.pollMs,
      store: config.store,
      sqliteSynchronous: io.env.WEFT_SQLITE_SYNCHRONOUS === "NORMAL" ? "NORMAL" : "FULL",
      host: config.host,
      port: config.port,
      dataDir: config.dataDir,
      plugins: config.plugins,
      tokens: config.apiTokens,
      catchupMax: config.catchupMax,
      graceMs: config.shutdownGraceMs,
      workspace: cwd,
      cwd,
      env: io.env,
      logger,
      version: packageVersion(),
    });
  } catch (err) {
    if (err instanceof WeftError) {
      logger.fatal({ code: err.code }, err.message);
      io.stderr.write(`weft: ${err.message}\n`);
      return EXIT_INVALID;
    }
    throw err;
  }

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, "second signal: exiting now; unfinished runs resume on the next start");
        process.exit(130);
      }
      stopping = true;
      logger.info({ signal }, "signal received");
      service.close().then(resolve, (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        resolve();
      });
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
  return EXIT_OK;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}
