// Step-pool overhead benchmark: 5,000 no-op tasks through bare piscina and through StepPool,
// 2 threads each, with an in-flight window of 32 per thread. Rounds
// alternate between the two so a noisy neighbour on a shared machine hits both alike; the
// ratio is the median of per-round ratios. Imports the built code (npm run build first).
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { StepPool } from "../dist/src/pool/index.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const THREADS = 2;
const TASKS = 5_000;
const IN_FLIGHT = THREADS * 32;
const ROUNDS = 7;
// The pool may cost at most this much more per task than piscina alone.
const TARGET_RATIO = 1.5;
// The engine needs this many no-op steps per second on 2 cores; the pool alone must beat it.
const TARGET_STEPS_PER_S = 8_000;

/** Runs `count` calls of `one(i)`, at most `window` in flight; µs per task (wall, and CPU of all threads). */
async function timed(count, window, one) {
  let next = 0;
  const lane = async () => {
    while (next < count) await one(next++);
  };
  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  await Promise.all(Array.from({ length: window }, lane));
  const wall = Number(process.hrtime.bigint() - t) / 1e3 / count;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / count };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const NOOP_URL = pathToFileURL(join(HERE, "fixtures", "pool-noop-step.mjs")).href;
const WORKSPACE = tmpdir();

export function noopStepTask(i) {
  return {
    moduleUrl: NOOP_URL,
    stepType: "noop",
    input: { n: i },
    attempt: 1,
    idempotencyKey: `run-1:s${i}`,
    run: { id: "run-1", workflow: "bench", version: "v1" },
    step: { id: `s${i}` },
    checkpoint: undefined,
    secrets: {},
    workspace: WORKSPACE,
    timeoutMs: 60_000,
  };
}

const hooks = { onLog: () => {}, onCheckpoint: async () => {} };

/** A task runner for a StepPool that fails loudly if a no-op step does not succeed. */
export function poolRunner(pool) {
  return async (i) => {
    const outcome = await pool.run(noopStepTask(i), hooks);
    if (!outcome.ok) throw new Error(`no-op step failed: ${outcome.error.message}`);
  };
}

const round1 = (n) => Math.round(n * 10) / 10;

export async function run() {
  const piscina = new Piscina({
    filename: pathToFileURL(join(HERE, "fixtures", "bare-noop.mjs")).href,
    minThreads: THREADS,
    maxThreads: THREADS,
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  const pool = new StepPool({ size: THREADS });
  const sides = {
    bare: (i) => piscina.run({ n: i }),
    // The same StepTask the pool sends, through bare piscina: the part of the gap that is
    // the cost of cloning a real task between threads, not the pool's own work.
    barePayload: (i) => piscina.run({ id: i, task: noopStepTask(i) }),
    pool: poolRunner(pool),
  };
  const samples = { bare: [], barePayload: [], pool: [] };
  try {
    // Warm-up: threads boot, modules load, JIT settles.
    for (const one of Object.values(sides)) await timed(1_000, IN_FLIGHT, one);
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 ? ["pool", "barePayload", "bare"] : ["bare", "barePayload", "pool"];
      for (const side of order) samples[side].push(await timed(TASKS, IN_FLIGHT, sides[side]));
    }
  } finally {
    await pool.destroy();
    await piscina.destroy();
  }
  const ratios = samples.pool.map((p, i) => p.wall / (samples.bare[i]?.wall ?? Number.NaN));
  const cpuRatios = samples.pool.map((p, i) => p.cpu / (samples.bare[i]?.cpu ?? Number.NaN));
  const poolUs = median(samples.pool.map((s) => s.wall));
  const ratio = median(ratios);
  return {
    bench: "pool",
    threads: THREADS,
    tasks: TASKS,
    inFlight: IN_FLIGHT,
    rounds: ROUNDS,
    bare_us_per_task: round1(median(samples.bare.map((s) => s.wall))),
    bare_with_step_task_us_per_task: round1(median(samples.barePayload.map((s) => s.wall))),
    pool_us_per_task: round1(poolUs),
    ratio: Math.round(ratio * 100) / 100,
    cpu_us_per_task: {
      bare: round1(median(samples.bare.map((s) => s.cpu))),
      pool: round1(median(samples.pool.map((s) => s.cpu))),
      ratio: Math.round(median(cpuRatios) * 100) / 100,
    },
    pool_steps_per_s: Math.round(1e6 / poolUs),
    targets: { ratio: TARGET_RATIO, poolStepsPerS: TARGET_STEPS_PER_S },
    pass: { ratio: ratio <= TARGET_RATIO, poolStepsPerS: 1e6 / poolUs >= TARGET_STEPS_PER_S },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await run(), null, 2)}\n`);
}
