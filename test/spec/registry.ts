/** A small step registry whose schemas resemble the built-ins (shell, http, log, sleep). */
import { StepRegistry, type StepTypeInfo } from "../../src/plugin/registry.js";
import type { JsonSchema } from "../../src/plugin/types.js";

function info(name: string, inputSchema: JsonSchema, literalInputs?: string[]): StepTypeInfo {
  const t: StepTypeInfo = {
    name,
    description: `${name} (test)`,
    inputSchema,
    moduleUrl: "file:///dev/null",
    source: "test",
  };
  if (literalInputs) t.literalInputs = literalInputs;
  return t;
}

export const shellSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    command: { type: "array", items: { type: "string" }, minItems: 1, description: "argv" },
    script: { type: "string", description: "script run by sh" },
    env: { type: "object", additionalProperties: { type: "string" } },
    cwd: { type: "string" },
    timeout: { type: "number", minimum: 0 },
    parseJson: { type: "boolean" },
  },
  oneOf: [{ required: ["command"] }, { required: ["script"] }],
};

export const httpSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["url"],
  properties: {
    url: { type: "string", format: "uri", description: "Absolute http(s) URL" },
    method: { type: "string", enum: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] },
    headers: { type: "object", additionalProperties: { type: "string" } },
    query: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } },
    body: {},
    timeout: { type: "number", minimum: 0 },
    accept: { type: "string", enum: ["json", "text", "bytes"] },
  },
};

export function testRegistry(): StepRegistry {
  const r = new StepRegistry();
  r.add(info("shell", shellSchema, ["script"]));
  r.add(info("http", httpSchema));
  r.add(
    info("log", {
      type: "object",
      additionalProperties: false,
      required: ["message"],
      properties: {
        message: { type: "string" },
        level: { type: "string", enum: ["debug", "info", "warn", "error"] },
      },
    }),
  );
  r.add(
    info("sleep", {
      type: "object",
      additionalProperties: false,
      required: ["duration"],
      properties: { duration: { type: "string", pattern: "^([0-9]+(ms|s|m|h|d))+$" } },
    }),
  );
  return r;
}
