/**
 * What happens to one claimed step row: its condition, its forEach fan-out and collection,
 * rendering its inputs, running it on the pool, and turning the outcome into store ops
 * (finish, retry, dead letter) — with the retry policy and the fencing epoch applied.
 */
import type { CompiledStep, CompiledWorkflow } from "../compile/types.js";
import { toErrorData, type WeftErrorData } from "../errors.js";
import type { StepTypeLookup } from "../plugin/registry.js";
import type { StepHooks, StepOutcome, StepPool, StepTask, StopSignal } from "../pool/index.js";
import type { ClaimedStep, LogLine, Notify, Op, RunRecord, VersionRecord } from "../store/types.js";
import { evaluateCondition, renderValue, type TemplateScope } from "../template/index.js";
import { retryDelay } from "./backoff.js";
import type { Engine } from "./engine.js";
import {
  forEachNotArray,
  forEachTooMany,
  itemsFailed,
  outputTooLarge,
  stepMissing,
  typeMissing,
} from "./errors.js";
import { dependentsOf, stepOf } from "./plan-rows.js";
import { buildScope } from "./scope.js";
import { StepInputs } from "./step-input.js";
import { StepLogs } from "./step-logs.js";

export interface WorkResult {
  ops: Op[];
  /** Runs once the last op is committed (applied = false when it was fenced off). */
  after?: (applied: boolean) => void;
  outcome?: StepOutcome;
}

/**
 * Items of one forEach: each is a row, and the step's output holds all their outputs, so a
 * runaway list (a 100k-row API page) is refused rather than run in unbounded memory.
 */
export const MAX_FOREACH_ITEMS = 10_000;

/** Outputs are recorded whole; past this size a step fails instead of bloating the store. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export class StepWork {
  private readonly runInfos = new WeakMap<RunRecord, StepTask["run"]>();
  private readonly inputs: StepInputs;
  private readonly logs: StepLogs;

  constructor(
    private readonly engine: Engine,
    private readonly pool: StepPool,
    private readonly random: () => number,
  ) {
    this.inputs = new StepInputs(engine.redactor);
    this.logs = new StepLogs(engine.store, (e) => engine.emitLog(e));
  }

  async handle(row: ClaimedStep, signal: StopSignal): Promise<WorkResult> {
    // Awaits only on a cache miss: each await is a tick and garbage, per step.
    const { run, version } = this.engine.cached(row.runId) ?? (await this.load(row.runId));
    const plan = version.plan;
    const step = stepOf(plan, row.stepId, row.onFailure);
    if (!step) {
      const err = stepMissing({ stepId: row.stepId, version: version.id, workflow: plan.name });
      return { ops: [this.internalFailure(row, err.toData())] };
    }
    if (row.item === -1 && row.fanout !== null) return this.collect(row, step, plan);

    const results =
      this.engine.results.cached(run.id, step.needs) ??
      (await this.engine.results.resolve(this.engine.store, run.id, step.needs));
    const scope = buildScope({
      run,
      plan,
      versionLabel: version.commit ?? String(version.id),
      step,
      attempt: row.attempt,
      results,
      secrets: this.engine.secrets,
    });
    let items: unknown[] | undefined;
    try {
      if (step.forEach) items = this.items(step, scope);
      if (row.item === -1) {
        if (step.if !== undefined) {
          if (!evaluateCondition(step.if, scope, { path: `steps.${step.id}.if`, location: step.location }))
            return this.skip(row, step, plan, "condition is false");
        } else if (!row.onFailure) {
          const blocked = step.needs.find((id) => results.get(id)?.status !== "succeeded");
          if (blocked !== undefined) {
            const status = results.get(blocked)?.status ?? "missing";
            return this.skip(
              row,
              step,
              plan,
              `needs ${blocked}, which ${status === "missing" ? "did not run" : `was ${status}`}`,
            );
          }
        }
        if (items) {
          const concurrency = step.forEach?.concurrency ?? items.length;
          return {
            ops: [{ type: "fanout", rowId: row.rowId, epoch: row.epoch, items: items.length, concurrency }],
          };
        }
      } else {
        scope.item = items?.[row.item];
        scope.index = row.item;
      }
    } catch (err) {
      return this.fail(row, step, plan, nonRetryable(err), undefined);
    }
    const lookup = this.engine.typesOf(version);
    const types = lookup instanceof Promise ? await lookup : lookup;
    return this.execute(row, step, plan, run, scope, signal, this.engine.workspaceOf(version), types);
  }

  private async load(runId: string): Promise<{ run: RunRecord; version: VersionRecord }> {
    const run = await this.engine.run(runId);
    return { run, version: await this.engine.version(run.versionId) };
  }

  private items(step: CompiledStep, scope: TemplateScope): unknown[] {
    const spec = step.forEach!.items;
    const value =
      typeof spec === "string" ? renderValue(spec, scope, { path: `steps.${step.id}.forEach` }) : spec;
    if (!Array.isArray(value)) {
      throw forEachNotArray({ stepId: step.id, got: value === null ? "null" : typeof value });
    }
    if (value.length > MAX_FOREACH_ITEMS) {
      throw forEachTooMany({ stepId: step.id, count: value.length, limit: MAX_FOREACH_ITEMS });
    }
    return value;
  }

  private async execute(
    row: ClaimedStep,
    step: CompiledStep,
    plan: CompiledWorkflow,
    run: RunRecord,
    scope: TemplateScope,
    signal: StopSignal,
    workspace: string,
    types: StepTypeLookup,
  ): Promise<WorkResult> {
    const type = types.get(step.uses);
    const redactor = this.engine.redactor;
    let input: unknown;
    let storedInput: unknown;
    try {
      if (!type) throw typeMissing({ stepId: step.id, uses: step.uses });
      ({ input, storedInput } = this.inputs.of(step, type, scope));
    } catch (err) {
      return this.fail(row, step, plan, nonRetryable(err), undefined);
    }
    this.engine.deferStart({ type: "start", rowId: row.rowId, epoch: row.epoch, input: storedInput });
    this.engine.emitStep({
      runId: row.runId,
      stepId: row.stepId,
      item: row.item,
      status: "running",
      attempt: row.attempt,
    });
    // A checkpoint can only exist once an earlier attempt of this row ran (a retry, a resume,
    // a reclaimed lease); the first attempt skips the read.
    const checkpoint = row.attempt > 1 ? await this.engine.store.getCheckpoint(keyOf(row)) : undefined;
    const idempotencyKey =
      row.item === -1 ? `${row.runId}:${row.stepId}` : `${row.runId}:${row.stepId}:${row.item}`;
    const outcome = await this.pool.run(
      {
        moduleUrl: type!.moduleUrl,
        stepType: type!.name,
        input,
        attempt: row.attempt,
        idempotencyKey,
        run: this.runInfo(run, scope),
        step: row.item === -1 ? { id: row.stepId } : { id: row.stepId, item: row.item },
        checkpoint,
        // The values buildScope gathered for the templates are the ones the step may read
        // (the pool sends a copy).
        secrets: scope.secrets as Record<string, string>,
        workspace,
        timeoutMs: step.timeoutMs,
      },
      new RowHooks(this, row),
      signal,
    );
    this.logs.flush();
    if (outcome.ok) return this.succeed(row, step, plan, outcome, storedInput);
    if (signal.aborted) {
      const error = redactor.redactValue(outcome.error);
      return {
        outcome,
        ops: [{ type: "finish", rowId: row.rowId, epoch: row.epoch, status: "cancelled", error }],
        after: () => this.emit(row, "cancelled", { error, durationMs: outcome.durationMs }),
      };
    }
    const error = redactor.redactValue(outcome.error);
    if (error.retryable !== false && row.attempt - row.retryBase < step.retry.attempts) {
      const delay = Math.max(retryDelay(step.retry, row.attempt, this.random), error.retryAfterMs ?? 0);
      const notBefore = this.engine.now() + delay;
      return {
        outcome,
        ops: [{ type: "retry", rowId: row.rowId, epoch: row.epoch, error, notBefore }],
        after: (applied) => {
          if (applied)
            this.emit(row, "retrying", { error, retryAt: notBefore, durationMs: outcome.durationMs });
        },
      };
    }
    return { ...this.fail(row, step, plan, error, storedInput, outcome.durationMs), outcome };
  }

  private succeed(
    row: ClaimedStep,
    step: CompiledStep,
    plan: CompiledWorkflow,
    outcome: Extract<StepOutcome, { ok: true }>,
    storedInput: unknown,
  ): WorkResult {
    const output = this.engine.redactor.redactValue(outcome.output ?? null);
    const size = JSON.stringify(output).length;
    if (size > MAX_OUTPUT_BYTES) {
      const err = outputTooLarge({ stepId: step.id, size, limit: MAX_OUTPUT_BYTES }).toData();
      return this.fail(row, step, plan, { ...err, retryable: false }, storedInput, outcome.durationMs);
    }
    return this.finished(row, step, plan, "succeeded", output, { durationMs: outcome.durationMs });
  }

  private skip(row: ClaimedStep, step: CompiledStep, plan: CompiledWorkflow, reason: string): WorkResult {
    const event: Op = {
      type: "event",
      runId: row.runId,
      kind: "step.skipped",
      data: { stepId: row.stepId, reason },
    };
    return this.finished(row, step, plan, "skipped", null, {}, [event]);
  }

  /** A forEach parent whose items are all finished: its output is the items' outputs in order. */
  private async collect(row: ClaimedStep, step: CompiledStep, plan: CompiledWorkflow): Promise<WorkResult> {
    const items = await this.engine.store.itemResults(row.rowId);
    const failed = items.filter((i) => i.status !== "succeeded");
    const output = items.map((i) => (i.status === "succeeded" ? i.output : null));
    if (failed.length > 0) {
      const first = failed[0]!;
      const error = itemsFailed({
        failed: failed.length,
        total: items.length,
        stepId: step.id,
        first: `item ${first.item}: ${first.error?.message ?? first.status}`,
      }).toData();
      return this.finished(row, step, plan, "failed", output, { error });
    }
    return this.finished(row, step, plan, "succeeded", output, {});
  }

  /** Final failure: dead letter, then the run fails unless the step may fail. */
  private fail(
    row: ClaimedStep,
    step: CompiledStep,
    plan: CompiledWorkflow,
    error: WeftErrorData,
    storedInput: unknown,
    durationMs?: number,
  ): WorkResult {
    const deadLetter: Op = {
      type: "deadLetter",
      runId: row.runId,
      rowId: row.rowId,
      workflow: plan.name,
      stepId: row.stepId,
      item: row.item,
      error,
      input: storedInput ?? null,
    };
    const extra = durationMs === undefined ? { error } : { error, durationMs };
    return this.finished(row, step, plan, "failed", null, extra, [deadLetter]);
  }

  /**
   * The finish op of a step or item, and what follows once it is committed: its result is
   * cached for dependents' templates and the state change is reported. Dependents are
   * readied unless the failure is final for the run (an item's failure is its parent's to
   * judge, and continueOnError lets the run go on).
   */
  private finished(
    row: ClaimedStep,
    step: CompiledStep,
    plan: CompiledWorkflow,
    status: "succeeded" | "failed" | "skipped",
    output: unknown,
    extra: { error?: WeftErrorData; durationMs?: number },
    before: Op[] = [],
  ): WorkResult {
    const finish: Op = { type: "finish", rowId: row.rowId, epoch: row.epoch, status, output };
    if (extra.error) finish.error = extra.error;
    if (status !== "failed" || row.item >= 0 || step.continueOnError)
      finish.notify = this.notify(row, step, plan);
    else finish.failRun = true;
    // Kept for the templates of the steps that need it; a result nothing needs is not held
    // in memory (a 10,000-step run would keep them all), and is read back if asked for.
    const needed = row.item === -1 && (plan.dependents[step.id]?.length ?? 0) > 0;
    return {
      ops: [...before, finish],
      after: (applied) => {
        if (!applied) return;
        if (needed) this.engine.results.set(row.runId, row.stepId, { status, output });
        this.emit(row, status, extra);
      },
    };
  }

  /** Used when the engine itself could not handle a row (store or plan trouble). */
  internalFailure(row: ClaimedStep, error: WeftErrorData): Op {
    return {
      type: "finish",
      rowId: row.rowId,
      epoch: row.epoch,
      status: "failed",
      error,
      failRun: row.item === -1,
      // An item always tells its parent, which then fails the step as a whole.
      ...(row.item >= 0 && row.parentRow !== null
        ? { notify: { parentRow: row.parentRow, nextItemOf: row.parentRow } }
        : {}),
    };
  }

  private notify(row: ClaimedStep, step: CompiledStep, plan: CompiledWorkflow): Notify {
    if (row.item >= 0 && row.parentRow !== null)
      return { parentRow: row.parentRow, nextItemOf: row.parentRow };
    return { stepIds: dependentsOf(plan, step) };
  }

  private emit(
    row: ClaimedStep,
    status: Parameters<Engine["emitStep"]>[0]["status"],
    extra: { error?: WeftErrorData; durationMs?: number; retryAt?: number },
  ): void {
    this.engine.emitStep({
      runId: row.runId,
      stepId: row.stepId,
      item: row.item,
      status,
      attempt: row.attempt,
      ...extra,
    });
  }

  /** What the step sees of its run: one object per run, not one per step. */
  private runInfo(run: RunRecord, scope: TemplateScope): StepTask["run"] {
    let info = this.runInfos.get(run);
    if (!info) {
      info = { id: run.id, workflow: run.workflow, version: String(scope.run?.version ?? run.versionId) };
      this.runInfos.set(run, info);
    }
    return info;
  }

  /** A log line of a running step (see RowHooks). */
  logLine(row: ClaimedStep, level: LogLine["level"], message: string): void {
    this.logs.add(row, level, this.engine.redactor.redactText(message));
  }

  /** A checkpoint save of a running step, fenced by its claim (see RowHooks). */
  saveCheckpoint(row: ClaimedStep, state: unknown): Promise<void> {
    const fence = { rowId: row.rowId, epoch: row.epoch };
    return this.engine.store.saveCheckpoint(keyOf(row), this.engine.redactor.redactValue(state), fence);
  }
}

/** A running step's hooks: one object per attempt instead of two closures and their scope. */
class RowHooks implements StepHooks {
  constructor(
    private readonly work: StepWork,
    private readonly row: ClaimedStep,
  ) {}

  onLog(level: LogLine["level"], message: string): void {
    this.work.logLine(this.row, level, message);
  }

  onCheckpoint(state: unknown): Promise<void> {
    return this.work.saveCheckpoint(this.row, state);
  }
}

function keyOf(row: ClaimedStep): { runId: string; stepId: string; item: number } {
  return { runId: row.runId, stepId: row.stepId, item: row.item };
}

function nonRetryable(err: unknown): WeftErrorData {
  return { ...toErrorData(err), retryable: false };
}
