// Runs every bench/*.js except this one, each in its own process (so one benchmark's JIT and
// heap never colour another's), and prints one JSON object keyed by file name.
// `npm run bench` builds first; benchmarks import the compiled code from dist/.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

const files = readdirSync(here)
  .filter((f) => f.endsWith(".js") && f !== self && !f.startsWith("_"))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.js$/, "")))
  .sort();

const results = {};
let failed = false;
for (const file of files) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(here, file)], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const name = file.replace(/\.js$/, "");
  if (r.status !== 0) {
    failed = true;
    results[name] = { error: `exited ${r.status}`, stderr: r.stderr.slice(-2000) };
    continue;
  }
  try {
    results[name] = JSON.parse(r.stdout);
  } catch {
    failed = true;
    results[name] = { error: "did not print one JSON document", stdout: r.stdout.slice(-2000) };
  }
  process.stderr.write(`bench: ${file} done in ${Date.now() - started} ms\n`);
}

process.stdout.write(
  `${JSON.stringify({ node: process.version, at: new Date().toISOString(), results }, null, 2)}\n`,
);
if (failed) process.exitCode = 1;
