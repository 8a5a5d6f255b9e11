/**
 * GET /api/workflows: the active workflows. POST /api/workflows/:name/runs: start a run of
 * the active version, with `Idempotency-Key` semantics: the same key with the same request
 * returns the first run (200), with a different request it is refused (409). The store
 * creates at most one run per (workflow, key) in one transaction, so concurrent requests
 * with one key get one run.
 */
import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { CompiledWorkflow } from "../../compile/types.js";
import type { RouteContext } from "../app.js";
import { apiErrors } from "../errors.js";
import { anyJson, runSchema, withErrors, workflowSchema } from "../schemas.js";
import { runView } from "../views.js";

export function workflowRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine, store, metrics } = ctx;

  app.get(
    "/api/workflows",
    {
      schema: {
        summary: "List the active workflows with their version, inputs and triggers",
        tags: ["workflows"],
        response: withErrors({
          200: {
            type: "object",
            properties: { workflows: { type: "array", items: workflowSchema } },
          },
        }),
      },
    },
    async () => {
      const active = await store.activeWorkflows();
      return {
        workflows: active.map((a) => ({
          name: a.workflow,
          ...(a.version.plan.description ? { description: a.version.plan.description } : {}),
          versionId: a.version.id,
          hash: a.version.hash,
          commit: a.version.commit,
          deploymentId: a.deploymentId,
          activatedAt: a.activatedAt,
          inputs: a.version.plan.inputs,
          triggers: a.version.plan.triggers.map(({ location: _l, ...t }) => t),
          steps: Object.keys(a.version.plan.steps),
        })),
      };
    },
  );

  app.post<{
    Params: { name: string };
    Body: { inputs?: Record<string, unknown> } | undefined;
    Headers: { "idempotency-key"?: string };
  }>(
    "/api/workflows/:name/runs",
    {
      schema: {
        summary: "Start a run of the workflow's active version",
        description:
          "With an Idempotency-Key header, a repeated request returns the run the first one started (200); the same key with a different body is refused (409).",
        tags: ["runs"],
        params: {
          type: "object",
          required: ["name"],
          properties: { name: { type: "string", minLength: 1, maxLength: 200 } },
        },
        headers: {
          type: "object",
          properties: {
            "idempotency-key": {
              type: "string",
              minLength: 1,
              maxLength: 200,
              pattern: "^[\\x21-\\x7e]+$",
              description: "Client-chosen key: retries with it never start a second run",
            },
          },
        },
        body: {
          type: "object",
          additionalProperties: false,
          properties: { inputs: { type: "object", description: "Workflow inputs by name", ...anyJson } },
        },
        response: withErrors(
          {
            200: { description: "The run this idempotency key started before", ...runResponse },
            201: { description: "A new run", ...runResponse },
          },
          403,
          404,
          409,
          413,
        ),
      },
    },
    async (req, reply) => {
      const name = req.params.name;
      const active = (await store.activeWorkflows()).find((a) => a.workflow === name);
      if (!active) throw apiErrors.workflowNotFound({ name });
      if (!allowsManual(active.version.plan)) throw apiErrors.manualNotAllowed({ name });
      const inputs = req.body?.inputs ?? {};
      const key = req.headers["idempotency-key"];
      const requestHash = hashRequest({ inputs });
      const { run, created } = await engine.startRun({
        version: active.version,
        inputs,
        trigger: { kind: "api", requestHash },
        ...(key !== undefined ? { idempotencyKey: key } : {}),
      });
      if (created) metrics.recordTriggerFire("api");
      else if (key !== undefined && run.trigger.requestHash !== engine.redactor.redactText(requestHash)) {
        throw apiErrors.idempotencyConflict({ key, runId: run.id });
      }
      req.log.info({ workflow: name, version: run.versionId, runId: run.id, created }, "run requested");
      return reply.code(created ? 201 : 200).send({ run: runView(run, engine.redactor), created });
    },
  );
}

const runResponse = {
  type: "object",
  properties: { run: runSchema, created: { type: "boolean" } },
} as const;

function allowsManual(plan: CompiledWorkflow): boolean {
  return plan.triggers.some((t) => t.kind === "manual");
}

/** SHA-256 of the request's JSON with object keys sorted, so key order does not matter. */
export function hashRequest(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}
