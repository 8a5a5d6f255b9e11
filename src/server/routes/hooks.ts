/**
 * POST /hooks/:workflow: signed webhooks. Authenticated by the HMAC signature over the raw
 * body (checked by the trigger module), not by API tokens, so the body must reach the
 * handler as the exact bytes received: this encapsulated plugin replaces the JSON parser
 * with one that keeps the Buffer, for every content type.
 */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../app.js";
import { apiErrors } from "../errors.js";

export interface WebhookRequest {
  workflow: string;
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export type WebhookHandler = (req: WebhookRequest) => Promise<{ status: number; body: unknown }>;

export function hookRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: ctx.bodyLimit }, (_req, body, done) =>
    done(null, body),
  );
  app.post<{ Params: { workflow: string }; Body: Buffer | undefined }>(
    "/hooks/:workflow",
    {
      schema: {
        summary: "A signed webhook delivery for a workflow with `on: webhook`",
        description:
          "Signed with HMAC-SHA256 of the raw body under the workflow's webhook secret; deliveries are deduplicated by their delivery id. See docs/triggers.md.",
        tags: ["webhooks"],
        params: {
          type: "object",
          required: ["workflow"],
          properties: { workflow: { type: "string", minLength: 1, maxLength: 200 } },
        },
      },
    },
    async (req, reply) => {
      if (!ctx.webhook) throw apiErrors.webhooksOff();
      const res = await ctx.webhook({
        workflow: req.params.workflow,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        headers: req.headers,
      });
      return reply.code(res.status).type("application/json").send(res.body);
    },
  );
}
