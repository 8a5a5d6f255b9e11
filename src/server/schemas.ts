/**
 * JSON Schemas of the API's bodies, shared by the routes. Fastify validates requests with
 * them and serialises responses through them (fields not listed are dropped, so internals
 * such as lease owners never leak by accident); the OpenAPI document is built from them.
 */

/** Any JSON value (inputs, outputs, trigger payloads): passed through as is. */
export const anyJson = {} as const;

const nullableInt = { type: ["integer", "null"] } as const;
const nullableString = { type: ["string", "null"] } as const;

export const errorData = {
  type: ["object", "null"],
  additionalProperties: true,
  properties: { code: { type: "string" }, name: { type: "string" }, message: { type: "string" } },
} as const;

export const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
  },
} as const;

export const runSchema = {
  type: "object",
  required: ["id", "workflow", "versionId", "status", "createdAt"],
  properties: {
    id: { type: "string" },
    workflow: { type: "string" },
    versionId: { type: "integer" },
    status: { type: "string", enum: ["queued", "running", "succeeded", "failed", "cancelled"] },
    inputs: anyJson,
    trigger: anyJson,
    idempotencyKey: nullableString,
    concurrencyKey: nullableString,
    error: errorData,
    createdAt: { type: "integer" },
    startedAt: nullableInt,
    finishedAt: nullableInt,
  },
} as const;

export const stepSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    item: { type: "integer", description: "forEach item index (absent for the step itself)" },
    onFailure: { type: "boolean" },
    status: { type: "string" },
    attempt: { type: "integer" },
    input: anyJson,
    output: anyJson,
    error: errorData,
    startedAt: nullableInt,
    finishedAt: nullableInt,
    durationMs: nullableInt,
  },
} as const;

export const attemptSchema = {
  type: "object",
  properties: {
    rowId: { type: "integer" },
    stepId: { type: "string", description: "step id, or step[item] for a forEach item" },
    attempt: { type: "integer" },
    status: { type: "string", enum: ["running", "succeeded", "failed", "lost", "released"] },
    error: errorData,
    startedAt: { type: "integer" },
    finishedAt: nullableInt,
  },
} as const;

export const logSchema = {
  type: "object",
  properties: {
    rowId: { type: "integer" },
    stepId: { type: "string" },
    attempt: { type: "integer" },
    ts: { type: "integer" },
    level: { type: "string" },
    message: { type: "string" },
  },
} as const;

export const versionUsedSchema = {
  type: "object",
  description: "Which workflow version the resumed run continues on",
  properties: {
    choice: { type: "string", enum: ["pinned", "active"] },
    versionId: { type: "integer" },
    previousVersionId: { type: "integer" },
  },
} as const;

export const deadLetterSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    runId: { type: "string" },
    workflow: { type: "string" },
    stepId: { type: "string" },
    item: { type: "integer" },
    error: errorData,
    input: anyJson,
    attempts: { type: "array", items: attemptSchema },
    createdAt: { type: "integer" },
    replayedAt: nullableInt,
    replayRunId: nullableString,
  },
} as const;

export const deploymentSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    commit: { type: "string" },
    author: nullableString,
    message: nullableString,
    committedAt: nullableInt,
    createdAt: { type: "integer" },
    result: { type: "string", enum: ["deployed", "failed", "unchanged"] },
    errors: { type: ["array", "null"], items: anyJson },
    workflows: { type: "array", items: { type: "string" } },
  },
} as const;

export const triggerSchema = {
  type: "object",
  properties: {
    kind: { type: "string", enum: ["schedule", "webhook", "manual"] },
    cron: { type: "string" },
    timezone: { type: "string" },
    catchup: { type: "string" },
    secret: { type: "string", description: "Name of the secret holding the HMAC key (never its value)" },
    nextFires: { type: "array", items: { type: "string" } },
  },
} as const;

export const workflowSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    description: { type: "string" },
    versionId: { type: "integer" },
    hash: { type: "string" },
    commit: nullableString,
    deploymentId: { type: "integer" },
    activatedAt: { type: "integer" },
    inputs: anyJson,
    triggers: { type: "array", items: triggerSchema },
    steps: { type: "array", items: { type: "string" } },
  },
} as const;

/** Error responses every /api route may give. */
export function withErrors<T extends Record<string, unknown>>(ok: T, ...codes: number[]) {
  const out: Record<string, unknown> = { ...ok };
  for (const code of [400, 401, 500, ...codes]) out[code] = errorSchema;
  return out;
}

export const runIdParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", minLength: 1, maxLength: 200 } },
} as const;
