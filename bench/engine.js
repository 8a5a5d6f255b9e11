// bench/engine: the engine's cost per step on the durable SQLite store, against floors measured
// by each run right after itself, in its own process (a bare piscina no-op round trip; bare
// better-sqlite3 commits with the same pragmas; the two alternated, as a chain hop does):
// `ratio_to_floor` is the run's figure over its floor. Each scenario runs in its own process
// (peak RSS is taken before the floors), three times; the median run (by time) is reported. The issue's absolute targets
// assume the floors it quotes; `scaled_targets` scales them by this run's floors. Scenarios run
// with the V8 flags of bin/weft.js (`node_flags` in the report), as `weft run` does.
// Usage: node bench/engine.js            (all scenarios, prints JSON)
//        node bench/engine.js SCENARIO SYNC  (one scenario, used internally)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const dist = (p) => pathToFileURL(join(here, "..", "dist", p)).href;
const POOL = 2;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

async function piscinaFloor() {
  const { Piscina } = await import("piscina");
  const pool = new Piscina({
    filename: join(here, "fixtures", "piscina-noop.mjs"),
    minThreads: POOL,
    maxThreads: POOL,
  });
  const n = 5000;
  await Promise.all(Array.from({ length: 200 }, (_, i) => pool.run(i)));
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, (_, i) => pool.run(i)));
  const parallel = ((performance.now() - t0) * 1000) / n;
  // Median of single round trips: a mean lets one descheduled millisecond dominate.
  const trips = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    await pool.run(i);
    trips.push(performance.now() - t);
  }
  const serial = median(trips) * 1000;
  await pool.destroy();
  return { us_per_task_parallel: round(parallel), us_per_roundtrip_serial: round(serial) };
}

/**
 * A bare database with the store's pragmas, and `commit(v)`: one one-row write transaction
 * (its INSERT prepared once, outside anything timed).
 */
async function floorDb(sync) {
  const { default: Database } = await import("better-sqlite3");
  const dir = mkdtempSync(join(tmpdir(), "weft-bench-floor-"));
  const db = new Database(join(dir, "f.db"));
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${sync}`);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  const ins = db.prepare("INSERT INTO t (v) VALUES (?)");
  const commit = db.transaction((v) => ins.run(v)).immediate;
  const close = () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { commit, close };
}

async function sqliteFloor(sync) {
  const db = await floorDb(sync);
  const n = sync === "FULL" ? 1000 : 5000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) db.commit(`row ${i}`);
  const us = ((performance.now() - t0) * 1000) / n;
  db.close();
  return round(us);
}

/**
 * The least a durable chain hop can cost here: one commit with the same pragmas, then one bare
 * piscina round trip, alternated. Unlike the tight-loop round trip above, the thread sleeps
 * while the commit runs, as in a real chain, so the cost of waking it is included.
 */
async function hopFloor(sync) {
  const { Piscina } = await import("piscina");
  const pool = new Piscina({
    filename: join(here, "fixtures", "piscina-noop.mjs"),
    minThreads: POOL,
    maxThreads: POOL,
  });
  const db = await floorDb(sync);
  for (let i = 0; i < 50; i++) await pool.run(i);
  const hops = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    db.commit(`row ${i}`);
    await pool.run(i);
    hops.push(performance.now() - t);
  }
  await pool.destroy();
  db.close();
  return round(median(hops) * 1000);
}

function round(x) {
  return Math.round(x * 10) / 10;
}

function workflowYaml(scenario) {
  const lines = [`name: bench-${scenario}`, "steps:"];
  if (scenario === "wide") {
    for (let i = 0; i < 10_000; i++) lines.push(`  s${i}: { uses: bench/noop }`);
  } else if (scenario === "chain") {
    for (let i = 0; i < 1000; i++)
      lines.push(`  s${i}: { uses: bench/noop${i ? `, needs: [s${i - 1}]` : ""} }`);
  } else {
    lines.push("  src: { uses: bench/noop }");
    lines.push(
      "  fan:",
      "    uses: bench/noop",
      "    needs: [src]",
      '    forEach: "{{ range 1000 }}"',
      "    concurrency: 1000",
    );
    lines.push("  sink: { uses: bench/noop, needs: [fan] }");
  }
  return `${lines.join("\n")}\n`;
}

async function scenario(name, sync) {
  const { SqliteStore } = await import(dist("src/store/sqlite/store.js"));
  const { Engine } = await import(dist("src/engine/engine.js"));
  const { StepPool } = await import(dist("src/pool/index.js"));
  const { builtinRegistry } = await import(dist("src/plugin/builtins.js"));
  const { loadWorkflow } = await import(dist("src/spec/workflow-file.js"));
  const { compileWorkflow } = await import(dist("src/compile/compile.js"));
  const { staticSecrets } = await import(dist("src/engine/secrets.js"));
  const types = builtinRegistry();
  const noopUrl = pathToFileURL(join(here, "fixtures", "noop-step.mjs")).href;
  const noop = (await import(noopUrl)).default;
  types.add({
    name: noop.name,
    description: noop.description,
    inputSchema: noop.inputSchema,
    moduleUrl: noopUrl,
    source: "bench",
  });
  let yaml = workflowYaml(name);
  if (name === "fanout")
    yaml = yaml.replace('"{{ range 1000 }}"', JSON.stringify(Array.from({ length: 1000 }, (_, i) => i)));
  const loaded = loadWorkflow(yaml, `${name}.yaml`, types);
  if (!loaded.spec) throw new Error(JSON.stringify(loaded.diagnostics.slice(0, 3)));
  const { plan, diagnostics } = compileWorkflow(loaded.spec, loaded.doc, types);
  if (!plan) throw new Error(JSON.stringify(diagnostics.slice(0, 3)));

  const dir = mkdtempSync(join(tmpdir(), "weft-bench-"));
  const store = new SqliteStore(join(dir, "weft.db"), { synchronous: sync });
  const commits = { n: 0, ops: 0, claimed: 0 };
  const realCommit = store.commit.bind(store);
  store.commit = async (ops, claim) => {
    const r = await realCommit(ops, claim);
    commits.n++;
    commits.ops += ops.length;
    commits.claimed += r.claimed.length;
    return r;
  };
  const pool = new StepPool({ size: POOL });
  const finished = [];
  const engine = new Engine({
    store,
    pool,
    types,
    workspace: dir,
    secrets: staticSecrets({}),
    onStep: (e) => {
      if (e.status === "succeeded") finished.push(performance.now());
    },
  });
  // Warm the pool's threads and module cache outside the measurement.
  await Promise.all(
    Array.from({ length: POOL * 4 }, () =>
      pool.run(
        {
          moduleUrl: noopUrl,
          stepType: "bench/noop",
          input: {},
          attempt: 1,
          idempotencyKey: "w",
          run: { id: "w", workflow: "w", version: "1" },
          step: { id: "w" },
          checkpoint: undefined,
          secrets: {},
          workspace: dir,
          timeoutMs: 10_000,
        },
        { onLog() {}, onCheckpoint: async () => {} },
      ),
    ),
  );
  const version = await engine.deploy(plan, yaml);
  engine.start();
  const t0 = performance.now();
  const { run } = await engine.startRun({ version, inputs: {}, trigger: { kind: "test" } });
  const done = await engine.waitForRun(run.id);
  const ms = performance.now() - t0;
  if (done.status !== "succeeded") throw new Error(`run ${done.status}: ${done.error?.message}`);
  const steps = name === "wide" ? 10_000 : name === "chain" ? 1000 : 1002;
  const hops = finished.slice(1).map((t, i) => t - finished[i]);
  await engine.stop(1000);
  await pool.destroy();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const peakRss = Math.round(process.resourceUsage().maxRSS / 1024);
  // This run's own floors, taken right after it in the same process: the host's speed drifts
  // over minutes, so floors taken once at the start would not describe later runs.
  const floor =
    name === "chain"
      ? { hop_us: await hopFloor(sync), piscina_serial_us: (await piscinaFloor()).us_per_roundtrip_serial }
      : { ...(await piscinaFloorBoth()), sqlite_commit_us: await sqliteFloor(sync) };
  const result = {
    ms: round(ms),
    steps,
    steps_per_s: Math.round((steps / ms) * 1000),
    ...(name === "chain"
      ? { median_hop_ms: round(median(hops) * 1000) / 1000, mean_hop_ms: round((ms / steps) * 1000) / 1000 }
      : {}),
    peak_rss_mb: peakRss,
    commits: commits.n,
    ops_per_commit: round(commits.ops / Math.max(1, commits.n)),
    floor,
  };
  result.ratio_to_floor =
    name === "chain"
      ? round((result.median_hop_ms * 1000) / floor.hop_us)
      : round((ms * 1000) / steps / floor.piscina_parallel_us);
  return result;
}

async function piscinaFloorBoth() {
  const f = await piscinaFloor();
  return { piscina_parallel_us: f.us_per_task_parallel, piscina_serial_us: f.us_per_roundtrip_serial };
}

/** The figures the issue quotes for this kind of machine, which its absolute targets assume. */
const REFERENCE = { piscinaRoundTripUs: 17.5, commitUs: { FULL: 110, NORMAL: 11 } };
const REPEAT = 3;

/**
 * The V8 flags `weft` runs with (its shebang): scenarios run as the engine runs in production,
 * not with Node's defaults.
 */
function weftNodeFlags() {
  const first = readFileSync(join(here, "..", "bin", "weft.js"), "utf8").split("\n", 1)[0];
  const m = /^#!\/usr\/bin\/env -S node(.*)$/.exec(first);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}
const NODE_FLAGS = weftNodeFlags();

function runScenario(s, sync) {
  const out = execFileSync(process.execPath, [...NODE_FLAGS, fileURLToPath(import.meta.url), s, sync], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out);
}

async function main() {
  const [name, sync] = process.argv.slice(2);
  if (name) {
    process.stdout.write(JSON.stringify(await scenario(name, sync)));
    return;
  }
  const results = {};
  for (const sync of ["FULL", "NORMAL"]) {
    results[sync] = {};
    for (const s of ["wide", "chain", "fanout"]) {
      // The median of a few runs (by time): one noisy neighbour should not make the figure.
      const runs = Array.from({ length: REPEAT }, () => runScenario(s, sync)).sort((a, b) => a.ms - b.ms);
      const r = runs[Math.floor(REPEAT / 2)];
      r.runs_ms = runs.map((x) => x.ms);
      r.runs_ratio_to_floor = runs.map((x) => x.ratio_to_floor);
      r.us_per_step = round((r.ms * 1000) / r.steps);
      results[sync][s] = r;
    }
  }
  const F = results.FULL;
  const N = results.NORMAL;
  const targets = {
    full_wide_ge_8000_steps_s: F.wide.steps_per_s >= 8000,
    full_chain_median_hop_lt_0_5ms: F.chain.median_hop_ms < 0.5,
    full_fanout_lt_150ms: F.fanout.ms < 150,
    normal_wide_ge_20000_steps_s: N.wide.steps_per_s >= 20000,
    normal_chain_hop_lt_0_2ms: N.chain.median_hop_ms < 0.2,
    wide_rss_lt_300mb: F.wide.peak_rss_mb < 300 && N.wide.peak_rss_mb < 300,
  };
  // The same targets scaled by how the reported run's own floors compare with the figures the
  // issue quotes (a slower disk or slower thread hand-off here raises the bar by that factor).
  const piscina = (r) => r.floor.piscina_serial_us / REFERENCE.piscinaRoundTripUs;
  const hop = (sync) =>
    results[sync].chain.floor.hop_us / (REFERENCE.commitUs[sync] + REFERENCE.piscinaRoundTripUs);
  const scaled = {
    full_wide_steps_s: Math.round(8000 / piscina(F.wide)),
    full_chain_hop_ms: round(500 * hop("FULL")) / 1000,
    full_fanout_ms: round(150 * piscina(F.fanout)),
    normal_wide_steps_s: Math.round(20000 / piscina(N.wide)),
    normal_chain_hop_ms: round(200 * hop("NORMAL")) / 1000,
  };
  const scaledPass = {
    full_wide: F.wide.steps_per_s >= scaled.full_wide_steps_s,
    full_chain: F.chain.median_hop_ms < scaled.full_chain_hop_ms,
    full_fanout: F.fanout.ms < scaled.full_fanout_ms,
    normal_wide: N.wide.steps_per_s >= scaled.normal_wide_steps_s,
    normal_chain: N.chain.median_hop_ms < scaled.normal_chain_hop_ms,
  };
  const report = {
    bench: "engine",
    pool_threads: POOL,
    node_flags: NODE_FLAGS,
    loadAverage: loadavg().map((x) => round(x)),
    results,
    targets,
    scaled_targets: { reference_floors: REFERENCE, targets: scaled, pass: scaledPass },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
