#!/usr/bin/env -S node --v8-pool-size=1
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (prepare) or `npm run build`.
// --v8-pool-size=1: V8's background threads (GC, compilation) default to four. The engine's
// main thread is what limits throughput, and the step pool already has a thread per core, so
// four more runnable threads take CPU from it: on two cores, one background thread runs the
// 10,000-step benchmark ~12% faster (docs/operations.md). bench/engine.js reads this line.
import { main } from "../dist/src/cli/main.js";

// `weft runs list | head`: the reader went away. Stop quietly, as other Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(process.exitCode ?? 0);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`weft: internal error: ${err?.stack ?? err}\n`);
    process.exitCode = 70;
  },
);
