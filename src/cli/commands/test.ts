import { relative } from "node:path";
import { expandWorkflowPaths, TEST_FILE } from "../../compile/load.js";
import { formatDiagnostics } from "../../spec/format.js";
import { addMockType } from "../../testing/mocks.js";
import { type AssertionFailure, runTestFile, type TestFileResult } from "../../testing/test-runner.js";
import { EXIT_INVALID, EXIT_OK, type Io, type Paint, paintFor, UsageError } from "../output.js";
import { repoStepTypes } from "../step-types.js";
import { loadWorkflowsOrUsage } from "./shared.js";

export async function testCommand(paths: string[], io: Io): Promise<number> {
  const files = findTestFiles(paths);
  if (files.length === 0) throw new UsageError(`no test files (*.test.yaml) in ${paths.join(", ")}`);
  const cwd = process.cwd();
  const loaded = await repoStepTypes({ env: io.env, cwd, io });
  addMockType(loaded.types);
  const p = paintFor(io.stdout, io.env);
  let passed = 0;
  let failed = 0;
  let invalid = loaded.problems.length > 0;
  for (const file of files) {
    const result = await runTestFile(file, { types: loaded.types, cwd });
    io.stdout.write(`${p.bold(relative(cwd, file))}\n`);
    if (result.diagnostics.length > 0) {
      invalid = true;
      const color = paintFor(io.stderr, io.env).enabled;
      const text = formatDiagnostics(result.diagnostics, { format: "text", color, sources: result.sources });
      io.stderr.write(`${text.trimEnd()}\n`);
      continue;
    }
    for (const c of result.cases) {
      if (c.passed) passed++;
      else failed++;
      io.stdout.write(caseLine(c, p));
      for (const f of c.failures) io.stdout.write(failureText(f, cwd, p));
    }
  }
  const summary = `${passed} passed, ${failed} failed`;
  io.stdout.write(`\n${failed > 0 || invalid ? p.red(summary) : p.green(summary)}\n`);
  return failed > 0 || invalid ? EXIT_INVALID : EXIT_OK;
}

function caseLine(c: TestFileResult["cases"][number], p: Paint): string {
  const mark = c.passed ? p.green("✔") : p.red("✖");
  return `  ${mark} ${c.name} ${p.dim(`(${c.durationMs} ms)`)}\n`;
}

function failureText(f: AssertionFailure, cwd: string, p: Paint): string {
  const where = `${relative(cwd, f.file)}:${f.line}:${f.col}`;
  if (f.message !== undefined) return `    ${p.cyan(where)} ${f.what}: ${f.message}\n`;
  return [
    `    ${p.cyan(where)} ${f.what}`,
    `      expected: ${p.green(show(f.expected, 16))}`,
    `      actual:   ${p.red(show(f.actual, 16))}`,
    "",
  ].join("\n");
}

/** Short values on one line; longer ones as indented JSON so a diff is readable. */
function show(value: unknown, indent: number): string {
  if (value === undefined) return "(missing)";
  const flat = JSON.stringify(value);
  if (flat.length <= 70) return flat;
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${" ".repeat(indent)}`);
}

/** Files as given; folders become their `*.test.yaml` files (a missing path exits 2). */
function findTestFiles(paths: string[]): string[] {
  return loadWorkflowsOrUsage(() => expandWorkflowPaths(paths, (name) => TEST_FILE.test(name)));
}
