/**
 * Mocks replace chosen steps of a compiled plan with the mock step type: `uses` becomes
 * weft-test/mock and `with` the outcomes to play back. Everything the engine owns (needs,
 * if, forEach, retry, timeout) is kept, so retries and skips behave as in production.
 */
import { pathToFileURL } from "node:url";
import type { CompiledWorkflow } from "../compile/types.js";
import { defineError } from "../errors.js";
import { distPath } from "../paths.js";
import type { StepRegistry } from "../plugin/registry.js";
import { didYouMean } from "../spec/suggest.js";
import mockStep, { MOCK_STEP_TYPE, type MockOutcome } from "./mock-step.js";

/** One mocked step: a fixed output, an error, or one outcome per attempt. */
export type StepMock =
  | { output: unknown }
  | { error: { message: string; retryable?: boolean; code?: string; retryAfterMs?: number } }
  | { sequence: MockOutcome[] };

const unknownMockStep = defineError(
  "WEFT_TEST_UNKNOWN_STEP",
  'cannot mock step "{step}": workflow {workflow} has no such step{suggestion}',
);
const emptySequence = defineError(
  "WEFT_TEST_EMPTY_SEQUENCE",
  'the mock of step "{step}" has an empty sequence; give at least one { output } or { error }',
);

export function outcomesOf(stepId: string, mock: StepMock): MockOutcome[] {
  if ("sequence" in mock) {
    if (mock.sequence.length === 0) throw emptySequence({ step: stepId });
    return mock.sequence;
  }
  return [mock];
}

/** A copy of `plan` with each mocked step (main or onFailure) playing its outcomes. */
export function applyMocks(plan: CompiledWorkflow, mocks: Record<string, StepMock>): CompiledWorkflow {
  const out = structuredClone(plan);
  for (const [stepId, mock] of Object.entries(mocks)) {
    const step = out.steps[stepId] ?? out.onFailure[stepId];
    if (!step) {
      const ids = [...Object.keys(out.steps), ...Object.keys(out.onFailure)];
      throw unknownMockStep({ step: stepId, workflow: plan.name, suggestion: didYouMean(stepId, ids) });
    }
    step.with = { of: step.uses, outcomes: outcomesOf(stepId, mock) };
    step.uses = MOCK_STEP_TYPE;
  }
  return out;
}

/** Adds the mock step type (loaded by workers from dist/) to a registry, once. */
export function addMockType(types: StepRegistry): void {
  if (types.get(MOCK_STEP_TYPE)) return;
  types.add({
    name: mockStep.name,
    description: mockStep.description,
    inputSchema: mockStep.inputSchema,
    literalInputs: mockStep.literalInputs ?? [],
    moduleUrl: pathToFileURL(distPath("src", "testing", "mock-step.js")).href,
    source: "weft/testing",
    stepType: mockStep,
  });
}
