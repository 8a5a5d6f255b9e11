/**
 * OpenAPI 3.0 built from the routes' own JSON Schemas (the ones Fastify validates with), so
 * the document cannot drift from what the server accepts. Routes are collected as they are
 * registered; the document is assembled once, on first request.
 */
import type { FastifyInstance, RouteOptions } from "fastify";

declare module "fastify" {
  /** Documentation fields of a route schema (Fastify ignores them; the OpenAPI document uses them). */
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
    /** Leave the route out of the OpenAPI document. */
    hide?: boolean;
  }
}

interface Schema {
  type?: unknown;
  properties?: Record<string, unknown>;
  required?: string[];
  description?: string;
  [key: string]: unknown;
}

interface RouteSchema {
  summary?: string;
  description?: string;
  tags?: string[];
  params?: Schema;
  querystring?: Schema;
  headers?: Schema;
  body?: Schema;
  response?: Record<string, Schema>;
  hide?: boolean;
  [key: string]: unknown;
}

export interface OpenApiInfo {
  title: string;
  version: string;
}

export function collectOpenApi(app: FastifyInstance, info: OpenApiInfo): () => Record<string, unknown> {
  const routes: Array<{ method: string; url: string; schema: RouteSchema }> = [];
  app.addHook("onRoute", (route: RouteOptions) => {
    const schema = route.schema as RouteSchema | undefined;
    if (!schema || schema.hide) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods)
      if (m !== "HEAD") routes.push({ method: m.toLowerCase(), url: route.url, schema });
  });
  let doc: Record<string, unknown> | undefined;
  return () => {
    doc ??= build(routes, info);
    return doc;
  };
}

function build(
  routes: Array<{ method: string; url: string; schema: RouteSchema }>,
  info: OpenApiInfo,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, url, schema } of routes) {
    const path = url.replace(/:(\w+)/g, "{$1}");
    const op: Record<string, unknown> = {};
    if (schema.summary) op.summary = schema.summary;
    if (schema.description) op.description = schema.description;
    if (schema.tags) op.tags = schema.tags;
    const parameters = [
      ...params(schema.params, "path"),
      ...params(schema.querystring, "query"),
      ...params(schema.headers, "header"),
    ];
    if (parameters.length > 0) op.parameters = parameters;
    if (schema.body) {
      op.requestBody = {
        required: (schema.body.required?.length ?? 0) > 0,
        content: { "application/json": { schema: toOpenApi(schema.body) } },
      };
    }
    const responses: Record<string, unknown> = {};
    for (const [code, body] of Object.entries(schema.response ?? {})) {
      const { description, ...rest } = body;
      responses[code] = {
        description: description ?? describeStatus(code),
        content: { [contentTypeOf(url)]: { schema: toOpenApi(rest) } },
      };
    }
    op.responses = Object.keys(responses).length > 0 ? responses : { 200: { description: "OK" } };
    if (url.startsWith("/api")) op.security = [{ bearer: [] }];
    paths[path] = { ...paths[path], [method]: op };
  }
  return {
    openapi: "3.0.3",
    info,
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "A token from apiTokens in weft.config.yaml or WEFT_API_TOKEN",
        },
      },
    },
  };
}

function params(schema: Schema | undefined, where: "path" | "query" | "header"): unknown[] {
  if (!schema?.properties) return [];
  return Object.entries(schema.properties).map(([name, s]) => {
    const { description, ...rest } = (s ?? {}) as Schema;
    return {
      name,
      in: where,
      required: where === "path" || (schema.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: toOpenApi(rest),
    };
  });
}

function contentTypeOf(url: string): string {
  return url === "/metrics" ? "text/plain" : "application/json";
}

/** JSON Schema draft-07 → OpenAPI 3.0: `type: [x, "null"]` becomes `type: x, nullable: true`. */
function toOpenApi(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApi);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "type" && Array.isArray(v)) {
      const types = v.filter((t) => t !== "null");
      if (types.length === 1) out.type = types[0];
      else out.anyOf = types.map((t) => ({ type: t }));
      if (types.length !== v.length) out.nullable = true;
    } else if (k === "properties" && v && typeof v === "object") {
      out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toOpenApi(s)]));
    } else out[k] = toOpenApi(v);
  }
  return out;
}

function describeStatus(code: string): string {
  const known: Record<string, string> = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    400: "Invalid request",
    401: "Missing or wrong bearer token",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    413: "Body too large",
    500: "Server error",
    503: "Not ready",
  };
  return known[code] ?? "Response";
}
