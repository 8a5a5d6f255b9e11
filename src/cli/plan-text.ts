/** The human-readable dry-run plan: waves, rendered inputs, conditions, policies, triggers. */
import { stringify } from "yaml";
import type { DryRunStep, DryRunWorkflow } from "../compile/dry-run.js";
import type { RetryPolicy } from "../compile/types.js";
import { formatDuration } from "../spec/duration.js";
import { type Paint, plural } from "./output.js";

export function formatDryRun(w: DryRunWorkflow, p: Paint): string {
  const lines: string[] = [];
  lines.push(`${p.bold(w.name)}  ${p.dim(w.file)}`);
  if (w.description) lines.push(`  ${w.description}`);
  lines.push("  triggers:");
  if (w.triggers.length === 0) lines.push(`    ${p.dim("none (runs only when started through the API)")}`);
  for (const t of w.triggers) {
    if (t.kind === "schedule") {
      lines.push(`    schedule "${t.cron}" in ${t.timezone}, catch-up ${t.catchup}`);
      lines.push(`      next: ${(t.nextFires ?? []).join(", ")}`);
    } else if (t.kind === "webhook") {
      lines.push(`    webhook, signed with secret ${t.secret}`);
    } else lines.push("    manual");
  }
  const inputNames = Object.keys(w.inputs);
  if (inputNames.length > 0) {
    lines.push("  inputs:");
    for (const name of inputNames) lines.push(`    ${name} = ${JSON.stringify(w.inputs[name])}`);
  }
  if (w.concurrency) {
    const key = w.concurrency.key === undefined ? "" : ` per key ${JSON.stringify(w.concurrency.key)}`;
    lines.push(`  concurrency: ${w.concurrency.limit}${key}, ${w.concurrency.onLimit} when full`);
  }
  if (w.idempotencyKey !== undefined) lines.push(`  idempotency key: ${JSON.stringify(w.idempotencyKey)}`);
  if (w.secrets.length > 0) lines.push(`  secrets: ${w.secrets.join(", ")}`);
  formatWaves(w.waves, w.steps, "  ", p, lines);
  if (w.onFailure.steps.length > 0) {
    lines.push(`  ${p.yellow("on failure:")}`);
    formatWaves(w.onFailure.waves, w.onFailure.steps, "    ", p, lines);
  }
  const count = w.steps.length + w.onFailure.steps.length;
  lines.push(p.dim(`  ${plural(count, "step")} in ${plural(w.waves.length, "wave")}; nothing was executed`));
  return `${lines.join("\n")}\n`;
}

function formatWaves(
  waves: string[][],
  steps: DryRunStep[],
  indent: string,
  p: Paint,
  lines: string[],
): void {
  const byId = new Map(steps.map((s) => [s.id, s]));
  waves.forEach((wave, i) => {
    lines.push(`${indent}${p.cyan(`wave ${i + 1}`)}`);
    for (const id of wave) formatStep(byId.get(id) as DryRunStep, `${indent}  `, p, lines);
  });
}

function formatStep(s: DryRunStep, indent: string, p: Paint, lines: string[]): void {
  const needs = s.needs.length > 0 ? p.dim(`  after ${s.needs.join(", ")}`) : "";
  lines.push(`${indent}${p.bold(s.id)} (${s.uses})${needs}`);
  const more = `${indent}  `;
  if (s.description) lines.push(`${more}${p.dim(s.description)}`);
  if (s.if) lines.push(`${more}if: ${s.if.template} → ${describeCondition(s.if.value)}`);
  if (s.forEach) {
    const items = typeof s.forEach.items === "string" ? s.forEach.items : JSON.stringify(s.forEach.items);
    const count =
      s.forEach.count === undefined ? `${JSON.stringify(s.forEach.value)}` : plural(s.forEach.count, "item");
    lines.push(
      `${more}forEach: ${items} → ${count}, ${s.forEach.concurrency} at a time (inputs shown for the first)`,
    );
  }
  const rendered = s.with && typeof s.with === "object" && Object.keys(s.with).length > 0;
  if (rendered) {
    lines.push(`${more}with:`);
    const yaml = stringify(s.with, { lineWidth: 0 }).trimEnd();
    for (const line of yaml.split("\n")) lines.push(`${more}  ${line}`);
  }
  lines.push(
    `${more}retry: ${describeRetry(s.retry)}; timeout ${formatDuration(s.timeoutMs)}${s.continueOnError ? "; continues on error" : ""}`,
  );
  if (s.wouldDo) lines.push(`${more}${p.green(s.wouldDo)}`);
  if (s.error) lines.push(`${more}${p.red(`error: ${s.error}`)}`);
}

function describeCondition(value: unknown): string {
  if (value === true) return "runs";
  if (value === false) return "skipped";
  return `decided at run time (${typeof value === "string" ? value : JSON.stringify(value)})`;
}

export function describeRetry(r: RetryPolicy): string {
  if (r.attempts <= 1) return "none";
  const jitter = r.jitter > 0 ? `, jitter ${r.jitter}` : "";
  const wait =
    r.backoff === "fixed"
      ? `every ${formatDuration(r.delayMs)}`
      : `from ${formatDuration(r.delayMs)} doubling up to ${formatDuration(r.maxDelayMs)}`;
  return `${r.attempts} attempts, ${r.backoff} ${wait}${jitter}`;
}
