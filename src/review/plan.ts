/**
 * `weft plan`: the workflows at two revisions, read from Git objects, paired, diffed and
 * checked. The report is plain data; render/ turns it into text, Markdown, JSON or
 * annotations.
 */
import { envSecrets } from "../engine/secrets.js";
import { createRedactor } from "../observe/redact.js";
import type { StepTypeLookup } from "../plugin/registry.js";
import { diffWorkflow } from "./diff.js";
import { ReviewError } from "./errors.js";
import { assertGitRepository, listTree, resolveCommit } from "./git.js";
import { hasBlockingFinding, reviewFindings } from "./lints/index.js";
import { pairWorkflows, type WorkflowPair } from "./match.js";
import { loadRevision, readWorkflowFiles } from "./revision.js";
import type { PlanReport, WorkflowChange } from "./types.js";
import { viewOf } from "./view.js";

export interface PlanOptions {
  /** A folder inside the repository; Git finds the repository from it. */
  repo: string;
  base: string;
  head: string;
  /** The workflows folder, relative to the repository root. */
  dir: string;
  types: StepTypeLookup;
  env: Record<string, string | undefined>;
  now: Date;
}

export interface PlanResult {
  report: PlanReport;
  /** Head source text by file, for code frames in text output. */
  sources: Map<string, string>;
}

/** Throws the usage errors of src/review/errors.ts for a bad ref, folder or directory. */
export async function buildPlan(opts: PlanOptions): Promise<PlanResult> {
  const dir = normalizeDir(opts.dir);
  await assertGitRepository(opts.repo);
  const baseCommit = await resolveCommit(opts.repo, opts.base);
  const headCommit = await resolveCommit(opts.repo, opts.head);
  const compile = { now: opts.now };
  const [baseFiles, headFiles] = await Promise.all([
    readWorkflowFiles(opts.repo, baseCommit, dir),
    readWorkflowFiles(opts.repo, headCommit, dir),
  ]);
  const base = loadRevision(baseFiles, opts.types, compile);
  const head = loadRevision(headFiles, opts.types, compile);
  const findings = reviewFindings(head, { types: opts.types, env: opts.env, now: opts.now });
  const pairs = pairWorkflows(base, head);
  const redactor = createRedactor(envSecrets(opts.env).values());
  const mask = (text: string) => redactor.redactText(text);
  const workflows = pairs.filter((p) => p.status !== "unchanged").map((p) => changeOf(p, mask));
  const count = (status: string) => pairs.filter((p) => p.status === status).length;
  const quiet = findings.filter((f) => f.silenced).length;
  const report: PlanReport = {
    version: 1,
    base: { ref: opts.base, commit: baseCommit },
    head: { ref: opts.head, commit: headCommit },
    dir,
    valid: !hasBlockingFinding(findings),
    summary: {
      added: count("added"),
      removed: count("removed"),
      renamed: count("renamed"),
      changed: count("changed"),
      unchanged: count("unchanged"),
      errors: findings.filter((f) => !f.silenced && f.severity === "error").length,
      warnings: findings.filter((f) => !f.silenced && f.severity === "warning").length,
      silenced: quiet,
    },
    workflows,
    findings,
    notes: await pluginNotes(opts.repo, baseCommit, headCommit),
  };
  if (baseFiles.length === 0 && headFiles.length === 0) {
    report.notes.unshift(`no workflow files (*.yaml, *.yml) in ${dir}/ at either revision; check --dir`);
  }
  return { report, sources: new Map(head.map((w) => [w.file, w.source])) };
}

function changeOf(p: WorkflowPair, mask: (text: string) => string): WorkflowChange {
  const bothCompile = (!p.base || p.base.plan) && (!p.head || p.head.plan);
  const mode = bothCompile ? "plan" : "raw";
  const diff = diffWorkflow(p.base && viewOf(p.base, mode, mask), p.head && viewOf(p.head, mode, mask));
  const file: WorkflowChange["file"] = {};
  if (p.base) file.base = p.base.file;
  if (p.head) file.head = p.head.file;
  const headValid = !p.head || (!!p.head.plan && !p.head.diagnostics.some((d) => d.severity === "error"));
  return { name: p.name, status: p.status as WorkflowChange["status"], file, headValid, ...diff };
}

/** Repository plugins are not loaded yet (built-in step types only): say so when they change. */
async function pluginNotes(repo: string, base: string, head: string): Promise<string[]> {
  const [b, h] = await Promise.all([
    listTree(repo, base, "plugins", { recursive: true }),
    listTree(repo, head, "plugins", { recursive: true }),
  ]);
  const key = (e: { path: string; oid: string }) => `${e.path}\0${e.oid}`;
  const before = new Set(b.map(key));
  const after = new Set(h.map(key));
  const changed = new Set(
    [...b, ...h].filter((e) => !before.has(key(e)) || !after.has(key(e))).map((e) => e.path),
  );
  if (changed.size === 0) return [];
  return [
    `${changed.size} file${changed.size === 1 ? "" : "s"} under plugins/ changed; repository plugins are not loaded by weft plan yet, so steps were checked against the built-in step types only`,
  ];
}

/** `./workflows/` → `workflows`; refuses paths that leave the repository. */
export function normalizeDir(dir: string): string {
  const trimmed = dir
    .replace(/\\/g, "/")
    .replace(/^(\.\/)+/, "")
    .replace(/\/+$/, "");
  const parts = trimmed.split("/").filter((s) => s !== "" && s !== ".");
  if (dir.startsWith("/") || dir.startsWith("-") || /^[A-Za-z]:/.test(dir) || parts.includes("..")) {
    throw ReviewError.badDir({ dir });
  }
  return parts.length === 0 ? "." : parts.join("/");
}
