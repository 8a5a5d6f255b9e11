/**
 * Runs: list (filters, cursor pagination), details (steps, attempts), logs, cancel, resume.
 * A resume says which workflow version it used: the pinned one (default) or the active one.
 */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../app.js";
import { apiErrors } from "../errors.js";
import {
  attemptSchema,
  logSchema,
  runIdParams,
  runSchema,
  stepSchema,
  versionUsedSchema,
  withErrors,
} from "../schemas.js";
import { logView, rowLabels, runDetailsView, runView } from "../views.js";

const STATUS_ENUM = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
type Status = (typeof STATUS_ENUM)[number];

export function runRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine, store } = ctx;
  const getRun = async (id: string) => {
    const run = await store.getRun(id);
    if (!run) throw apiErrors.runNotFound({ id });
    return run;
  };

  app.get<{ Querystring: { workflow?: string; status?: Status; limit: number; cursor?: string } }>(
    "/api/runs",
    {
      schema: {
        summary: "List runs, newest first",
        description: "Pass the returned nextCursor as cursor to get the next page; null means no more runs.",
        tags: ["runs"],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            workflow: { type: "string", maxLength: 200 },
            status: { type: "string", enum: STATUS_ENUM },
            limit: { type: "integer", minimum: 1, maximum: 200, default: 50 },
            cursor: { type: "string", maxLength: 200, description: "nextCursor of the previous page" },
          },
        },
        response: withErrors({
          200: {
            type: "object",
            properties: {
              runs: { type: "array", items: runSchema },
              nextCursor: { type: ["string", "null"] },
            },
          },
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const page = await store.listRuns({
        limit: q.limit + 1,
        ...(q.workflow !== undefined ? { workflow: q.workflow } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.cursor !== undefined ? { before: q.cursor } : {}),
      });
      const runs = page.slice(0, q.limit);
      const more = page.length > q.limit;
      return {
        runs: runs.map((r) => runView(r, engine.redactor)),
        nextCursor: more ? (runs.at(-1)?.id ?? null) : null,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/runs/:id",
    {
      schema: {
        summary: "A run with its steps and attempts (inputs and outputs redacted)",
        tags: ["runs"],
        params: runIdParams,
        response: withErrors(
          {
            200: {
              type: "object",
              properties: {
                run: runSchema,
                steps: { type: "array", items: stepSchema },
                attempts: { type: "array", items: attemptSchema },
              },
            },
          },
          404,
        ),
      },
    },
    async (req) => runDetailsView(store, await getRun(req.params.id), engine.redactor),
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number; step?: string } }>(
    "/api/runs/:id/logs",
    {
      schema: {
        summary: "Log lines the run's steps wrote, oldest first",
        tags: ["runs"],
        params: runIdParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            limit: { type: "integer", minimum: 1, maximum: 10000, default: 1000 },
            step: { type: "string", description: "only this step's lines" },
          },
        },
        response: withErrors(
          { 200: { type: "object", properties: { logs: { type: "array", items: logSchema } } } },
          404,
        ),
      },
    },
    async (req) => {
      const run = await getRun(req.params.id);
      const labels = rowLabels(await store.listSteps(run.id));
      let lines = await store.listLogs(run.id, { limit: req.query.limit });
      const step = req.query.step;
      if (step !== undefined)
        lines = lines.filter((l) => (labels.get(l.rowId) ?? "").replace(/\[\d+\]$/, "") === step);
      return { logs: engine.redactor.redactValue(lines.map((l) => logView(l, labels))) };
    },
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>(
    "/api/runs/:id/cancel",
    {
      schema: {
        summary: "Cancel a queued or running run; its running steps are stopped",
        tags: ["runs"],
        params: runIdParams,
        body: {
          type: "object",
          additionalProperties: false,
          properties: { reason: { type: "string", maxLength: 500 } },
        },
        response: withErrors(
          {
            200: {
              type: "object",
              properties: {
                run: runSchema,
                cancelled: { type: "boolean", description: "false when the run had already finished" },
              },
            },
          },
          404,
        ),
      },
    },
    async (req) => {
      await getRun(req.params.id);
      const cancelled = await engine.cancelRun(
        req.params.id,
        req.body?.reason ?? "cancelled through the API",
      );
      return { run: runView(await getRun(req.params.id), engine.redactor), cancelled };
    },
  );

  app.post<{
    Params: { id: string };
    Body: { from?: string; version?: "pinned" | "active" } | undefined;
  }>(
    "/api/runs/:id/resume",
    {
      schema: {
        summary: "Continue an interrupted, failed or cancelled run; finished steps keep their results",
        description:
          "version: pinned (default) continues on the version the run started on; active re-pins the run to the workflow's active version, which must have the same steps.",
        tags: ["runs"],
        params: runIdParams,
        body: resumeBody,
        response: withErrors({ 200: resumeResponse }, 404, 409),
      },
    },
    async (req) => {
      const body = req.body ?? {};
      const plan = await engine.resumeRun(
        req.params.id,
        body.from,
        body.version !== undefined ? { version: body.version } : {},
      );
      req.log.info(
        { runId: req.params.id, version: plan.version.versionId, choice: plan.version.choice },
        "run resumed",
      );
      return {
        run: runView(await getRun(req.params.id), engine.redactor),
        rerun: plan.rerun,
        keep: plan.keep,
        version: plan.version,
      };
    },
  );
}

export const resumeBody = {
  type: "object",
  additionalProperties: false,
  properties: {
    from: { type: "string", description: "run this step and everything downstream again" },
    version: {
      type: "string",
      enum: ["pinned", "active"],
      default: "pinned",
      description: "which workflow version the rest of the run uses",
    },
  },
} as const;

export const resumeResponse = {
  type: "object",
  properties: {
    run: runSchema,
    rerun: { type: "array", items: { type: "string" }, description: "steps that run again" },
    keep: { type: "array", items: { type: "string" }, description: "steps whose results are kept" },
    version: versionUsedSchema,
  },
} as const;
