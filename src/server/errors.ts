/**
 * Every error the API returns is `{ error: { code, message } }` with a stable code: ours
 * (`WEFT_API_*`), the engine's WeftError codes (`WEFT_RUN_*`), or Fastify's request errors
 * mapped onto ours. Anything unexpected becomes a 500 without internals in the message.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { defineError, WeftError } from "../errors.js";

export const apiErrors = {
  unauthorized: defineError(
    "WEFT_API_UNAUTHORIZED",
    "missing or wrong bearer token; send `Authorization: Bearer <token>` with a token from the server's config (apiTokens in weft.config.yaml or WEFT_API_TOKEN)",
  ),
  invalidRequest: defineError("WEFT_API_INVALID_REQUEST", "{where} {problem}"),
  badJson: defineError("WEFT_API_BAD_JSON", "the request body is not valid JSON; send a JSON object"),
  emptyJson: defineError(
    "WEFT_API_EMPTY_BODY",
    "the request says Content-Type: application/json but has no body; send {} or drop the header",
  ),
  tooLarge: defineError(
    "WEFT_API_BODY_TOO_LARGE",
    "the request body is larger than the server's limit of {limit} bytes",
  ),
  mediaType: defineError(
    "WEFT_API_UNSUPPORTED_MEDIA_TYPE",
    "Content-Type {type} is not accepted here; send application/json",
  ),
  routeNotFound: defineError(
    "WEFT_API_NOT_FOUND",
    "no route {method} {url}; the API is described at /api/openapi.json",
  ),
  runNotFound: defineError("WEFT_API_RUN_NOT_FOUND", 'no run "{id}"; list runs with GET /api/runs'),
  workflowNotFound: defineError(
    "WEFT_API_WORKFLOW_NOT_FOUND",
    'no active workflow "{name}"; list the deployed ones with GET /api/workflows',
  ),
  manualNotAllowed: defineError(
    "WEFT_API_MANUAL_NOT_ALLOWED",
    "workflow {name} does not allow manual runs; add `on: { manual: {} }` to it",
  ),
  idempotencyConflict: defineError(
    "WEFT_API_IDEMPOTENCY_CONFLICT",
    'Idempotency-Key "{key}" was already used for run {runId} with a different request; use a new key for a different request',
  ),
  deadLetterNotFound: defineError(
    "WEFT_API_DEAD_LETTER_NOT_FOUND",
    "no dead letter {id}; list them with GET /api/dead-letters",
  ),
  webhooksOff: defineError("WEFT_API_WEBHOOKS_OFF", "this server does not accept webhooks"),
  storeBusy: defineError(
    "WEFT_API_STORE_BUSY",
    "the store is locked by another writer past its busy timeout; nothing was recorded, retry the request in a moment",
  ),
  internal: defineError(
    "WEFT_API_INTERNAL",
    "the server failed to handle the request (see its log, request id {reqId})",
  ),
} as const;

/** HTTP status of an error code; codes not listed are client errors of the request (400). */
const STATUS: Record<string, number> = {
  WEFT_API_UNAUTHORIZED: 401,
  WEFT_API_BODY_TOO_LARGE: 413,
  WEFT_API_UNSUPPORTED_MEDIA_TYPE: 415,
  WEFT_API_NOT_FOUND: 404,
  WEFT_API_RUN_NOT_FOUND: 404,
  WEFT_API_WORKFLOW_NOT_FOUND: 404,
  WEFT_API_DEAD_LETTER_NOT_FOUND: 404,
  WEFT_API_MANUAL_NOT_ALLOWED: 403,
  WEFT_API_IDEMPOTENCY_CONFLICT: 409,
  WEFT_API_WEBHOOKS_OFF: 404,
  WEFT_API_INTERNAL: 500,
  WEFT_API_STORE_BUSY: 503,
  WEFT_STORE_FULL: 507,
  WEFT_RUN_NOT_FOUND: 404,
  WEFT_RUN_NOT_RESUMABLE: 409,
  WEFT_RUN_BUSY: 409,
  WEFT_RUN_NO_ACTIVE_VERSION: 409,
  WEFT_RUN_VERSION_INCOMPATIBLE: 409,
};

export function statusOf(code: string): number {
  return STATUS[code] ?? 400;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

export function errorBody(err: WeftError): ApiErrorBody {
  return { error: { code: err.code, message: err.message } };
}

export function sendError(reply: FastifyReply, err: WeftError): FastifyReply {
  return reply.code(statusOf(err.code)).type("application/json").send(errorBody(err));
}

/** Fastify's own errors (validation, parsing, limits) in our shape. */
function fromFastify(err: FastifyError, req: FastifyRequest, bodyLimit: number): WeftError | undefined {
  if (err.validation) {
    const first = err.validation[0];
    const where = `${err.validationContext ?? "request"}${first?.instancePath ?? ""}`;
    return apiErrors.invalidRequest({ where, problem: first?.message ?? "is invalid" });
  }
  switch (err.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return apiErrors.badJson();
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return apiErrors.emptyJson();
    case "FST_ERR_CTP_BODY_TOO_LARGE":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return apiErrors.tooLarge({ limit: bodyLimit });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return apiErrors.mediaType({ type: String(req.headers["content-type"] ?? "(none)") });
  }
  if (err instanceof SyntaxError) return apiErrors.badJson();
  return undefined;
}

/** Seconds a client should wait before retrying a request the store could not take. */
const STORE_RETRY_AFTER_S = 1;

/** better-sqlite3's SqliteError for a lock held past the busy timeout (SQLITE_BUSY and its extended codes). */
function isStoreBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    // A locked or full store is a temporary condition of the server, not a bug: say so with a
    // code and a Retry-After, and never pass SQLite's own message on.
    if (isStoreBusy(err) || isStoreBusy(err.cause)) {
      req.log.warn({ err: { message: err.message } }, "store busy; request refused with 503");
      reply.header("retry-after", String(STORE_RETRY_AFTER_S));
      return sendError(reply, apiErrors.storeBusy());
    }
    if (err instanceof WeftError) {
      if (err.code === "WEFT_STORE_FULL") reply.header("retry-after", String(STORE_RETRY_AFTER_S * 30));
      return sendError(reply, err);
    }
    const mapped = fromFastify(err, req, bodyLimit);
    if (mapped) return sendError(reply, mapped);
    req.log.error({ err }, "request failed");
    return sendError(reply, apiErrors.internal({ reqId: String(req.id) }));
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, apiErrors.routeNotFound({ method: req.method, url: req.url.split("?")[0] ?? "/" })),
  );
}
