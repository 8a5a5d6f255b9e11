// Precompiles the workflow schema into a standalone validator (ajv standalone code) so the
// CLI does not import and run Ajv's compiler at every start. Runs as part of `npm run build`;
// src/spec/schema.ts falls back to compiling at run time when the file is missing or stale.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { Ajv } = require("ajv");
const standaloneCode = require("ajv/dist/standalone").default;
const addFormats = require("ajv-formats").default;

const text = readFileSync(join(root, "schemas", "workflow.schema.json"), "utf8");
const schema = JSON.parse(text);
const ajv = new Ajv({
  allErrors: true,
  verbose: true,
  strict: true,
  allowUnionTypes: true,
  logger: false,
  $data: false,
  code: { source: true, esm: false },
});
addFormats(ajv);
const validate = ajv.compile(schema);
const hash = createHash("sha256").update(text).digest("hex");
const code = `${standaloneCode(ajv, validate)}\nmodule.exports.schemaHash = ${JSON.stringify(hash)};\n`;
const out = join(root, "dist", "generated", "workflow-validator.cjs");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code);

// The built-in step types' input schemas, compiled with the options src/spec/schema.ts
// createStepAjv uses, keyed by a hash of the schema so a changed schema is never served stale.
const { builtinRegistry } = await import(new URL("../dist/src/plugin/builtins.js", import.meta.url).href);
const types = builtinRegistry();
for (const name of types.names()) {
  const info = types.get(name);
  const stepAjv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: false,
    allowUnionTypes: true,
    logger: false,
    $data: false,
    code: { source: true, esm: false },
  });
  addFormats(stepAjv);
  const v = stepAjv.compile(info.inputSchema);
  const schemaHash = createHash("sha256").update(JSON.stringify(info.inputSchema)).digest("hex");
  writeFileSync(
    join(root, "dist", "generated", `step-${name}.cjs`),
    `${standaloneCode(stepAjv, v)}\nmodule.exports.schemaHash = ${JSON.stringify(schemaHash)};\n`,
  );
}
