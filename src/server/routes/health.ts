/**
 * Liveness, readiness and metrics, outside /api (no token: load balancers and Prometheus
 * scrape them). /healthz: the process answers. /readyz: the store answers and takes writes,
 * plus whatever the service adds (a first successful sync).
 */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../app.js";

export interface ReadyReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

const readySchema = {
  type: "object",
  properties: {
    ready: { type: "boolean" },
    checks: {
      type: "object",
      additionalProperties: {
        type: "object",
        properties: { ok: { type: "boolean" }, detail: { type: "string" } },
      },
    },
  },
} as const;

/** The store answers a read and the engine's last commit did not fail. */
export async function storeReadiness(ctx: Pick<RouteContext, "store" | "engine">): Promise<ReadyReport> {
  try {
    await ctx.store.queueStats();
    const err = ctx.engine.storeError;
    return {
      ready: err === undefined,
      checks: { store: err ? { ok: false, detail: err.message } : { ok: true } },
    };
  } catch (err) {
    return { ready: false, checks: { store: { ok: false, detail: (err as Error).message } } };
  }
}

export function healthRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    "/healthz",
    {
      schema: {
        summary: "Liveness: the process answers",
        tags: ["health"],
        response: { 200: { type: "object", properties: { status: { type: "string" } } } },
      },
    },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        summary: "Readiness: the store works and the workflows are deployed",
        tags: ["health"],
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_req, reply) => {
      const report = ctx.readiness ? await ctx.readiness() : await storeReadiness(ctx);
      return reply.code(report.ready ? 200 : 503).send(report);
    },
  );

  app.get(
    "/metrics",
    {
      schema: {
        summary: "Prometheus metrics (text exposition format)",
        tags: ["health"],
        response: { 200: { type: "string" } },
      },
    },
    async (_req, reply) => reply.type(ctx.metrics.contentType).send(await ctx.metrics.render()),
  );
}
