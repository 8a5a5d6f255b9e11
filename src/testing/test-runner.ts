/**
 * Runs one `*.test.yaml` file: compiles its workflow with the loaded step types, runs each
 * case on one test engine (mocks applied), and compares the outcome with `expect`. Every
 * failed assertion carries the file:line:col of the expectation that failed.
 */
import { dirname, resolve } from "node:path";
import { loadAndCompileFile } from "../compile/load.js";
import type { CompiledWorkflow } from "../compile/types.js";
import { defineError } from "../errors.js";
import type { StepRegistry } from "../plugin/registry.js";
import { diagnosticAt, formatPath } from "../spec/diagnostics.js";
import { didYouMean } from "../spec/suggest.js";
import type { Diagnostic, LoadedDocument } from "../spec/types.js";
import { type Mismatch, partialMatch } from "./match.js";
import { openTestEngine, type RunWorkflowResult } from "./run-workflow.js";
import { loadTestFile, type TestCase } from "./test-file.js";

export interface AssertionFailure {
  /** What was checked, e.g. `steps.greet.output.message`. */
  what: string;
  file: string;
  line: number;
  col: number;
  expected?: unknown;
  actual?: unknown;
  /** Set when the case could not run at all (bad input, timeout). */
  message?: string;
}

export interface CaseResult {
  name: string;
  passed: boolean;
  failures: AssertionFailure[];
  durationMs: number;
}

export interface TestFileResult {
  file: string;
  /** Problems with the test file or its workflow: no case ran when there are errors. */
  diagnostics: Diagnostic[];
  /** Source text by file, for code frames. */
  sources: Map<string, string>;
  cases: CaseResult[];
}

const unknownStep = defineError(
  "WEFT_TEST_UNKNOWN_STEP_ID",
  "workflow {workflow} has no step `{step}`{suggestion}",
);

export async function runTestFile(
  file: string,
  opts: { types: StepRegistry; cwd: string; timeoutMs?: number },
): Promise<TestFileResult> {
  const loaded = loadTestFile(file);
  const sources = new Map([[file, loaded.source]]);
  const result: TestFileResult = { file, diagnostics: loaded.diagnostics, sources, cases: [] };
  if (!loaded.spec || !loaded.doc) return result;
  const spec = loaded.spec;
  const doc = loaded.doc;

  const workflowFile = resolve(dirname(file), spec.workflow);
  const workflow = loadAndCompileFile(workflowFile, opts.types);
  sources.set(workflowFile, workflow.source);
  const errors = workflow.diagnostics.filter((d) => d.severity === "error");
  if (!workflow.plan || errors.length > 0) {
    result.diagnostics = errors.length > 0 ? errors : workflow.diagnostics;
    return result;
  }
  const plan = workflow.plan;
  result.diagnostics = checkStepIds(doc, spec.cases, plan);
  if (result.diagnostics.length > 0) return result;

  const kit = openTestEngine({
    types: opts.types,
    cwd: opts.cwd,
    ...(spec.secrets ? { secrets: spec.secrets } : {}),
  });
  try {
    for (const [i, c] of spec.cases.entries()) {
      const started = Date.now();
      const failures = await runCase(kit, plan, doc, i, c, opts.timeoutMs);
      result.cases.push({
        name: c.name,
        passed: failures.length === 0,
        failures,
        durationMs: Date.now() - started,
      });
    }
  } finally {
    await kit.close();
  }
  return result;
}

async function runCase(
  kit: ReturnType<typeof openTestEngine>,
  plan: CompiledWorkflow,
  doc: LoadedDocument,
  i: number,
  c: TestCase,
  timeoutMs: number | undefined,
): Promise<AssertionFailure[]> {
  const at = (path: Array<string | number>) => doc.positions.valueAt(["cases", i, ...path]);
  let outcome: RunWorkflowResult;
  try {
    outcome = await kit.run(plan, {
      ...(c.inputs ? { inputs: c.inputs } : {}),
      ...(c.trigger ? { trigger: c.trigger } : {}),
      ...(c.mocks ? { mocks: c.mocks } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  } catch (err) {
    const where = at(c.inputs ? ["inputs"] : ["name"]);
    return [{ what: "the run", file: doc.file, ...where, message: (err as Error).message }];
  }
  const failures: AssertionFailure[] = [];
  const check = (path: Array<string | number>, mismatches: Mismatch[]) => {
    for (const m of mismatches) {
      const full = [...path, ...m.path];
      failures.push({
        what: formatPath(full.slice(1)),
        file: doc.file,
        ...at(full),
        expected: m.expected,
        actual: m.actual,
      });
    }
  };
  const e = c.expect;
  if (e.status !== undefined) check(["expect", "status"], partialMatch(e.status, outcome.run.status));
  if (e.error !== undefined) check(["expect", "error"], contains(e.error, outcome.run.error?.message));
  for (const [id, want] of Object.entries(e.steps ?? {})) {
    const got = outcome.steps[id];
    const base = ["expect", "steps", id];
    if (want.status !== undefined) check([...base, "status"], partialMatch(want.status, got?.status));
    if (want.attempts !== undefined) check([...base, "attempts"], partialMatch(want.attempts, got?.attempts));
    if (want.error !== undefined) check([...base, "error"], contains(want.error, got?.error?.message));
    if (want.output !== undefined) check([...base, "output"], partialMatch(want.output, got?.output));
  }
  return failures;
}

function contains(expected: string, actual: string | undefined): Mismatch[] {
  return actual?.includes(expected)
    ? []
    : [{ path: [], expected: `text containing ${JSON.stringify(expected)}`, actual: actual ?? null }];
}

/** Mocks and expectations must name steps the workflow has; a typo is a positioned error. */
function checkStepIds(doc: LoadedDocument, cases: TestCase[], plan: CompiledWorkflow): Diagnostic[] {
  const ids = [...Object.keys(plan.steps), ...Object.keys(plan.onFailure)];
  const out: Diagnostic[] = [];
  cases.forEach((c, i) => {
    const named: Array<[string, Array<string | number>]> = [
      ...Object.keys(c.mocks ?? {}).map((id): [string, Array<string | number>] => [
        id,
        ["cases", i, "mocks", id],
      ]),
      ...Object.keys(c.expect.steps ?? {}).map((id): [string, Array<string | number>] => [
        id,
        ["cases", i, "expect", "steps", id],
      ]),
    ];
    for (const [id, path] of named) {
      if (ids.includes(id)) continue;
      const err = unknownStep({ workflow: plan.name, step: id, suggestion: didYouMean(id, ids) });
      out.push(diagnosticAt(doc.positions, path, err, { at: "key" }));
    }
  });
  return out;
}
