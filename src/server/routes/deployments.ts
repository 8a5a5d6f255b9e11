/** GET /api/deployments: what Git sync deployed (or refused, with the problems), newest first. */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../app.js";
import { deploymentSchema, withErrors } from "../schemas.js";

export function deploymentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: { limit: number } }>(
    "/api/deployments",
    {
      schema: {
        summary: "Deployments by Git sync, newest first",
        tags: ["deployments"],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { limit: { type: "integer", minimum: 1, maximum: 500, default: 50 } },
        },
        response: withErrors({
          200: {
            type: "object",
            properties: { deployments: { type: "array", items: deploymentSchema } },
          },
        }),
      },
    },
    async (req) => ({
      deployments: ctx.engine.redactor.redactValue(
        await ctx.store.listDeployments({ limit: req.query.limit }),
      ),
    }),
  );
}
