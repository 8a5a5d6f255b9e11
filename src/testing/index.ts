// The public test kit (`weft/testing`): re-exported by name so the surface stays narrow.
export type { MockOutcome } from "./mock-step.js";
export type { StepMock } from "./mocks.js";
export { type RunStepOptions, type RunStepResult, runStep, type StepLogLine } from "./run-step.js";
export {
  type RunWorkflowOptions,
  type RunWorkflowResult,
  runWorkflow,
  type StepResult,
} from "./run-workflow.js";
