/**
 * The HTTP API as a Fastify instance built from injected parts: the engine, the store,
 * metrics, tokens, and optional webhook and readiness handlers. Nothing here starts the
 * engine or listens; `weft serve` (src/server/service.ts) and the tests do that. The engine
 * never knows about HTTP: routes call its public methods only.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Engine } from "../engine/engine.js";
import type { Logger } from "../observe/logger.js";
import type { Metrics } from "../observe/metrics.js";
import type { Store } from "../store/types.js";
import { installAuth } from "./auth.js";
import { installErrorHandlers } from "./errors.js";
import { collectOpenApi } from "./openapi.js";
import { deadLetterRoutes } from "./routes/dead-letters.js";
import { deploymentRoutes } from "./routes/deployments.js";
import { healthRoutes, type ReadyReport } from "./routes/health.js";
import { hookRoutes, type WebhookHandler } from "./routes/hooks.js";
import { runRoutes } from "./routes/runs.js";
import { workflowRoutes } from "./routes/workflows.js";

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface ApiDeps {
  engine: Engine;
  store: Store;
  metrics: Metrics;
  /** Bearer tokens accepted under /api; none: the API is open (loopback only, see auth.ts). */
  tokens: ReadonlyArray<string>;
  logger?: Logger;
  bodyLimit?: number;
  /** POST /hooks/:workflow; absent: webhooks are refused with 404. */
  webhook?: WebhookHandler;
  /** GET /readyz; default: the store answers and accepts writes. */
  readiness?: () => Promise<ReadyReport>;
  /** Shown in the OpenAPI document. */
  version?: string;
}

/** The pieces every route group receives. */
export interface RouteContext extends ApiDeps {
  bodyLimit: number;
}

export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  const bodyLimit = deps.bodyLimit ?? DEFAULT_BODY_LIMIT;
  // pino's Logger is a FastifyBaseLogger; naming the base type keeps route types default.
  const loggerInstance: FastifyBaseLogger | undefined = deps.logger;
  const app: FastifyInstance = Fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    bodyLimit,
    // One line per request, written by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    // Requests with unknown fields are refused, not silently trimmed.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", useDefaults: true } },
    return503OnClosing: true,
  });
  installErrorHandlers(app, bodyLimit);
  installAuth(app, deps.tokens);
  // A POST without a body (`curl -X POST …/cancel`) means "no options", not "invalid body".
  app.addHook("preValidation", async (req) => {
    if (req.body == null && req.method === "POST" && req.url.startsWith("/api/")) req.body = {};
  });
  app.addHook("onResponse", async (req, reply) => {
    req.log.info(
      {
        method: req.method,
        url: req.url.split("?")[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      "request",
    );
  });
  const openapi = collectOpenApi(app, { title: "Weft API", version: deps.version ?? "0.0.0" });
  const ctx: RouteContext = { ...deps, bodyLimit };
  await app.register(async (api) => {
    workflowRoutes(api, ctx);
    runRoutes(api, ctx);
    deploymentRoutes(api, ctx);
    deadLetterRoutes(api, ctx);
    healthRoutes(api, ctx);
  });
  await app.register(async (hooks) => hookRoutes(hooks, ctx));
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => openapi());
  return app;
}
