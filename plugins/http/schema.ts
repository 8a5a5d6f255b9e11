import { DURATION_PATTERN, type JsonSchema } from "../../src/plugin/index.js";

export type QueryValue = string | number | boolean;

export interface HttpInput {
  url: string;
  method?: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  headers?: Record<string, string>;
  body?: unknown;
  timeout?: string;
  accept?: Array<number | string>;
  maxBodyBytes?: number;
}

export interface HttpOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export const DEFAULT_TIMEOUT = "30s";
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

const scalar = { type: ["string", "number", "boolean"] };

export const inputSchema: JsonSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  additionalProperties: false,
  required: ["url"],
  properties: {
    url: {
      type: "string",
      pattern: "^[hH][tT][tT][pP][sS]?://",
      description: "Absolute http:// or https:// URL.",
      examples: ["https://api.example.com/sales?day={{ inputs.day }}"],
    },
    method: {
      type: "string",
      enum: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      default: "GET",
      description: "HTTP method.",
      examples: ["POST"],
    },
    query: {
      type: "object",
      additionalProperties: { anyOf: [scalar, { type: "array", items: scalar }] },
      description: "Query parameters appended to the URL (URL-encoded); an array repeats the parameter.",
      examples: [{ day: "{{ inputs.day }}", region: ["eu", "us"] }],
    },
    headers: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "Request headers. Idempotency-Key is added unless you set one.",
      examples: [{ Authorization: "Bearer {{ secrets.SALES_TOKEN }}" }],
    },
    body: {
      description:
        "Request body: a string is sent as text/plain, anything else as JSON (content-type set unless you set one).",
      examples: [{ text: "Sales total: {{ steps.fetch.output.body.total }}" }, "plain text"],
    },
    timeout: {
      type: "string",
      pattern: DURATION_PATTERN,
      default: DEFAULT_TIMEOUT,
      description: "Give up on the request (connect, headers and body) after this long; retryable.",
      examples: ["10s"],
    },
    accept: {
      type: "array",
      items: {
        anyOf: [
          { type: "integer", minimum: 100, maximum: 599 },
          { type: "string", pattern: "^([1-5]xx|[1-5][0-9]{2})$" },
        ],
      },
      default: ["2xx"],
      description: 'Status codes that count as success: numbers or classes like "2xx".',
      examples: [["2xx", 404]],
    },
    maxBodyBytes: {
      type: "integer",
      minimum: 1,
      default: DEFAULT_MAX_BODY_BYTES,
      description: "Refuse response bodies larger than this many bytes.",
      examples: [1048576],
    },
  },
};

export const outputSchema: JsonSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  additionalProperties: false,
  required: ["status", "headers", "body"],
  properties: {
    status: { type: "integer", description: "Response status code.", examples: [200] },
    headers: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "Response headers, names lower-cased.",
      examples: [{ "content-type": "application/json" }],
    },
    body: {
      description: "Parsed JSON when the content-type is JSON, otherwise the text (null when empty).",
      examples: [{ total: 42, regions: [{ id: "eu" }] }],
    },
  },
};
