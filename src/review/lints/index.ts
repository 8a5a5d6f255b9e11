/** The lint rules, in the order docs/lints.md lists them, and the one function that runs them. */
import type { LoadedWorkflow } from "../../compile/load.js";
import type { StepTypeLookup } from "../../plugin/registry.js";
import type { WorkflowSpec } from "../../spec/types.js";
import { compareFindings } from "../finding.js";
import { applySilences } from "../silence.js";
import type { Finding, LintRule } from "../types.js";
import { cronDst } from "./cron-dst.js";
import { cronTooFrequent } from "./cron-frequency.js";
import { httpNoTimeout } from "./http-timeout.js";
import { secretNotProvided } from "./secret-not-provided.js";
import { shellInjection } from "./shell-injection.js";
import { stepNoTimeout } from "./step-timeout.js";
import { unknownOutputField } from "./unknown-output-field.js";

export const LINT_RULES: ReadonlyArray<LintRule> = [
  shellInjection,
  unknownOutputField,
  httpNoTimeout,
  stepNoTimeout,
  secretNotProvided,
  cronTooFrequent,
  cronDst,
];

export const LINT_IDS: ReadonlyArray<string> = LINT_RULES.map((r) => r.id);

export interface LintOptions {
  types: StepTypeLookup;
  env: Record<string, string | undefined>;
  now: Date;
}

/**
 * Lint findings of one workflow, silences applied, sorted. Only workflows that compiled are
 * linted: on a broken file the validation errors are what the author needs first.
 */
export function lintWorkflow(w: LoadedWorkflow, opts: LintOptions): Finding[] {
  if (!w.plan || !w.doc) return [];
  const ctx = {
    plan: w.plan,
    spec: w.doc.data as WorkflowSpec,
    doc: w.doc,
    types: opts.types,
    env: opts.env,
    now: opts.now,
  };
  const findings = LINT_RULES.flatMap((rule) => rule.check(ctx));
  return applySilences(findings, w.doc, LINT_IDS).sort(compareFindings);
}

/** Validation diagnostics and lint findings of every workflow, sorted. */
export function reviewFindings(workflows: ReadonlyArray<LoadedWorkflow>, opts: LintOptions): Finding[] {
  return workflows.flatMap((w) => [...w.diagnostics, ...lintWorkflow(w, opts)]).sort(compareFindings);
}

/** An unsilenced error anywhere means the change must not merge as it is. */
export function hasBlockingFinding(findings: ReadonlyArray<Finding>): boolean {
  return findings.some((f) => f.severity === "error" && !f.silenced);
}
