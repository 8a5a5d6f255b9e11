/**
 * `weft docs plugins [--out DIR] [--plugin MODULE…] [--check]`: one Markdown page per step
 * type plus an index. Without --plugin it documents what a workflow here can use (built-ins,
 * plugins/, weft.config.yaml packages); with --plugin, only the named modules' types.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { stepTypePages } from "../../plugin/docs.js";
import { loadStepTypes } from "../../plugin/load.js";
import { EXIT_INVALID, EXIT_OK, type Io, paintFor, plural } from "../output.js";
import { printProblems, repoStepTypes } from "../step-types.js";

export async function docsPluginsCommand(
  opts: { out: string; plugin: string[]; check: boolean },
  io: Io,
): Promise<number> {
  const cwd = process.cwd();
  const loaded =
    opts.plugin.length > 0
      ? await loadStepTypes({ cwd, builtins: false, modules: opts.plugin })
      : await repoStepTypes({ env: io.env, cwd });
  if (opts.plugin.length > 0) printProblems(loaded, io);
  if (loaded.problems.length > 0) return EXIT_INVALID;

  const out = resolve(cwd, opts.out);
  const stale: string[] = [];
  for (const [path, text] of stepTypePages(loaded.types)) {
    const file = join(out, ...path.split("/"));
    if (opts.check) {
      if (read(file) !== text) stale.push(file);
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  const p = paintFor(io.stdout, io.env);
  const count = loaded.types.names().length;
  if (opts.check) {
    for (const file of stale) io.stderr.write(`out of date: ${file}\n`);
    if (stale.length > 0) {
      io.stderr.write("run `weft docs plugins` and commit the result\n");
      return EXIT_INVALID;
    }
    io.stdout.write(`${p.green(`${plural(count, "step type page")} up to date`)} in ${opts.out}\n`);
    return EXIT_OK;
  }
  io.stdout.write(`wrote ${plural(count, "step type page")} and an index to ${opts.out}\n`);
  return EXIT_OK;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
