/**
 * The dead-letter list and its replay. A replay resumes the dead step's run (like
 * `weft dead replay`): a failed run runs its failed steps again; a run that went on past the
 * step (continueOnError) runs again from it.
 */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../app.js";
import { apiErrors } from "../errors.js";
import { deadLetterSchema, withErrors } from "../schemas.js";
import { runView } from "../views.js";
import { resumeResponse } from "./runs.js";

export function deadLetterRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine, store } = ctx;

  app.get<{ Querystring: { all: boolean } }>(
    "/api/dead-letters",
    {
      schema: {
        summary: "Steps that failed after their last retry, newest first",
        tags: ["dead-letters"],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { all: { type: "boolean", default: false, description: "include replayed ones" } },
        },
        response: withErrors({
          200: {
            type: "object",
            properties: { deadLetters: { type: "array", items: deadLetterSchema } },
          },
        }),
      },
    },
    async (req) => {
      const dead = await store.listDeadLetters({ includeReplayed: req.query.all });
      return { deadLetters: engine.redactor.redactValue(dead) };
    },
  );

  app.post<{ Params: { id: number }; Body: { version?: "pinned" | "active" } | undefined }>(
    "/api/dead-letters/:id/replay",
    {
      schema: {
        summary: "Replay a dead letter by resuming its run",
        tags: ["dead-letters"],
        params: { type: "object", required: ["id"], properties: { id: { type: "integer", minimum: 1 } } },
        body: {
          type: "object",
          additionalProperties: false,
          properties: { version: { type: "string", enum: ["pinned", "active"], default: "pinned" } },
        },
        response: withErrors(
          {
            200: {
              ...resumeResponse,
              properties: { ...resumeResponse.properties, deadLetterId: { type: "integer" } },
            },
          },
          404,
          409,
        ),
      },
    },
    async (req) => {
      const dead = await store.getDeadLetter(req.params.id);
      const run = dead && (await store.getRun(dead.runId));
      if (!dead || !run) throw apiErrors.deadLetterNotFound({ id: req.params.id });
      const from = run.status === "failed" || run.status === "cancelled" ? undefined : dead.stepId;
      const version = req.body?.version;
      const plan = await engine.resumeRun(dead.runId, from, version !== undefined ? { version } : {});
      await store.markReplayed(dead.id, dead.runId);
      req.log.info(
        {
          deadLetter: dead.id,
          runId: dead.runId,
          version: plan.version.versionId,
          choice: plan.version.choice,
        },
        "dead letter replayed",
      );
      const after = (await store.getRun(dead.runId)) ?? run;
      return {
        deadLetterId: dead.id,
        run: runView(after, engine.redactor),
        rerun: plan.rerun,
        keep: plan.keep,
        version: plan.version,
      };
    },
  );
}
