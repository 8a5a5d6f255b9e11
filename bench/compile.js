// Compile-path benchmark: CLI start-up against bare Node, one 10,000-step workflow, and a
// folder of 500 workflow files. Imports the built code (npm run build first). Prints JSON.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, Parser } from "yaml";
import { compileWorkflow } from "../dist/src/compile/compile.js";
import { loadAndCompile } from "../dist/src/compile/load.js";
import { builtinRegistry } from "../dist/src/plugin/builtins.js";
import { loadDocument } from "../dist/src/spec/load.js";
import { validateWorkflow } from "../dist/src/spec/validate.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WEFT = join(ROOT, "bin", "weft.js");
const TARGETS = { bigWorkflowMs: 250, manyFilesMs: 1000, cliStartupRatio: 3 };

/** A chain of log steps: each reads the previous one's output, every 10th also needs one further back. */
export function bigWorkflow(steps) {
  const lines = ["name: big", "inputs:", "  n: { type: integer, default: 1 }", "steps:"];
  lines.push('  s0: { uses: log, with: { message: "start {{ inputs.n }}" } }');
  for (let i = 1; i < steps; i++) {
    const needs = i % 10 === 0 && i >= 7 ? `needs: [s${i - 7}], ` : "";
    lines.push(`  s${i}: { uses: log, ${needs}with: { message: "{{ steps.s${i - 1}.output.message }}" } }`);
  }
  return `${lines.join("\n")}\n`;
}

function smallWorkflow(i) {
  return `# yaml-language-server: $schema=../schemas/workflow.schema.json
name: wf-${i}
inputs:
  day: { type: string, default: yesterday }
on:
  schedule: [{ cron: "${i % 60} 2 * * *", timezone: Europe/Berlin }]
steps:
  fetch:
    uses: http
    with:
      url: "https://api.example.com/sales?day={{ inputs.day }}"
      headers: { Authorization: "Bearer {{ secrets.TOKEN }}" }
    retry: { attempts: 3 }
  each:
    forEach: "{{ steps.fetch.output.body.regions }}"
    uses: log
    with: { message: "region {{ item.id }}" }
  post:
    needs: [each]
    if: "{{ gt steps.fetch.output.body.total 0 }}"
    uses: shell
    with:
      command: ["./post.sh"]
      env: { TOTAL: "{{ steps.fetch.output.body.total }}" }
`;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function timeMs(fn) {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function spawnMs(args) {
  return timeMs(() => {
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  });
}

const round = (n) => Math.round(n * 100) / 100;

export async function run() {
  const types = builtinRegistry();
  const spawns = 10;

  const nodeStart = median(Array.from({ length: spawns }, () => spawnMs(["-e", "0"])));
  const cliValidate = median(
    Array.from({ length: spawns }, () => spawnMs([WEFT, "validate", "workflows/hello.yaml"])),
  );

  const source = bigWorkflow(10_000);
  // Each phase timed on its own so a miss can be traced to the module that owns it.
  const phases = { load: [], validate: [], compile: [], total: [] };
  const compileBig = () => {
    const t0 = performance.now();
    const loaded = loadDocument(source, "big.yaml");
    const t1 = performance.now();
    const validated = loaded.doc && validateWorkflow(loaded.doc, types);
    const t2 = performance.now();
    if (!validated?.spec) throw new Error(`big workflow invalid: ${validated?.diagnostics[0]?.message}`);
    const { plan, diagnostics } = compileWorkflow(validated.spec, loaded.doc, types);
    const t3 = performance.now();
    if (!plan) throw new Error(`big workflow did not compile: ${diagnostics[0]?.message}`);
    phases.load.push(t1 - t0);
    phases.validate.push(t2 - t1);
    phases.compile.push(t3 - t2);
    phases.total.push(t3 - t0);
  };
  // The floor: the yaml package's own lexer and parser on the same text, producing only its
  // concrete syntax tree (no documents, no values). Loading has to do at least this.
  const parseOnly = () => {
    const lines = new LineCounter();
    const parser = new Parser(lines.addNewLine);
    let tokens = 0;
    for (const _ of parser.parse(source)) tokens++;
    return tokens;
  };
  parseOnly();
  const yamlParseFloor = median(Array.from({ length: 7 }, () => timeMs(parseOnly)));

  compileBig(); // warm-up: JIT and the schema compilation happen once per process
  for (const list of Object.values(phases)) list.length = 0;
  for (let i = 0; i < 7; i++) compileBig();
  const big = median(phases.total);

  const dir = mkdtempSync(join(tmpdir(), "weft-bench-"));
  let many;
  try {
    for (let i = 0; i < 500; i++)
      writeFileSync(join(dir, `wf-${String(i).padStart(3, "0")}.yaml`), smallWorkflow(i));
    const validateAll = () => {
      const results = loadAndCompile([dir], types);
      const bad = results.find((r) => !r.plan);
      if (results.length !== 500 || bad)
        throw new Error(`500-file validate failed: ${bad?.diagnostics[0]?.message}`);
    };
    validateAll();
    many = median(Array.from({ length: 5 }, () => timeMs(validateAll)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const ratio = cliValidate / nodeStart;
  return {
    bench: "compile",
    loadAverage: (await import("node:os")).loadavg().map(round),
    nodeStartupMs: round(nodeStart),
    cliValidateOneFileMs: round(cliValidate),
    cliValidateRatio: round(ratio),
    bigWorkflow: {
      steps: 10_000,
      bytes: Buffer.byteLength(source),
      loadValidateCompileMs: round(big),
      yamlParserFloorMs: round(yamlParseFloor),
      ratioToYamlParser: round(big / yamlParseFloor),
      phasesMs: {
        load: round(median(phases.load)),
        validate: round(median(phases.validate)),
        compile: round(median(phases.compile)),
      },
    },
    manyFiles: { files: 500, loadValidateCompileMs: round(many) },
    targets: {
      bigWorkflowMs: TARGETS.bigWorkflowMs,
      manyFilesMs: TARGETS.manyFilesMs,
      cliValidateRatio: TARGETS.cliStartupRatio,
    },
    pass: {
      bigWorkflow: big < TARGETS.bigWorkflowMs,
      manyFiles: many < TARGETS.manyFilesMs,
      cliValidate: ratio < TARGETS.cliStartupRatio,
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await run(), null, 2)}\n`);
}
