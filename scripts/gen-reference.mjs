#!/usr/bin/env node
// Generates docs/workflow-reference.md from schemas/workflow.schema.json and the built-in step
// types' input schemas (read from dist/, so run `npm run build` first; `npm run docs` does).
//   node scripts/gen-reference.mjs          write the file
//   node scripts/gen-reference.mjs --check  exit 1 when the committed file is out of date
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SCHEMA = join(ROOT, "schemas", "workflow.schema.json");
const OUT = join(ROOT, "docs", "workflow-reference.md");

/** Follows a local `#/definitions/x` reference, merging the referring keywords over it. */
function resolve(schema, root) {
  if (!schema || typeof schema !== "object" || typeof schema.$ref !== "string") return schema;
  const name = schema.$ref.replace(/^#\/definitions\//, "");
  const { $ref: _ref, ...own } = schema;
  return { ...resolve(root.definitions?.[name], root), ...own, _definition: name };
}

function typeOf(s, root) {
  s = resolve(s, root);
  if (!s) return "any";
  if (s.enum) return `one of ${s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(", ")}`;
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf).map((b) => typeOf(b, root)).join(" or ");
  let t = Array.isArray(s.type) ? s.type.join(" or ") : (s.type ?? "any");
  if (t === "array" && s.items) t = `array of ${typeOf(s.items, root)}`;
  if (t === "object" && s.additionalProperties && typeof s.additionalProperties === "object" && !s.properties) {
    t = `map of ${typeOf(s.additionalProperties, root)}`;
  }
  if (s._definition === "template") t = "template string";
  if (s._definition === "duration") t = "duration string";
  return t;
}

function constraints(s) {
  const out = [];
  if (s.pattern) out.push(`pattern \`${s.pattern}\``);
  if (s.minimum !== undefined) out.push(`minimum ${s.minimum}`);
  if (s.maximum !== undefined) out.push(`maximum ${s.maximum}`);
  if (s.minLength !== undefined) out.push(`min length ${s.minLength}`);
  if (s.maxLength !== undefined) out.push(`max length ${s.maxLength}`);
  if (s.minItems !== undefined) out.push(`at least ${s.minItems} item${s.minItems === 1 ? "" : "s"}`);
  if (s.minProperties !== undefined) out.push(`at least ${s.minProperties} entr${s.minProperties === 1 ? "y" : "ies"}`);
  if (s.uniqueItems) out.push("unique items");
  return out;
}

function example(value) {
  if (value !== null && typeof value === "object") {
    return `\n  \`\`\`yaml\n${stringify(value, { lineWidth: 0 })
      .trimEnd()
      .split("\n")
      .map((l) => `  ${l}`)
      .join("\n")}\n  \`\`\``;
  }
  return ` \`${typeof value === "string" ? value : JSON.stringify(value)}\``;
}

/** Map-entry definitions already written out, and where (`step` → `steps.<step-id>`). */
const documented = new Map();

/** One section per property, depth-first, children of objects and maps included. */
function walk(schema, root, path, required, lines, seen) {
  const s = resolve(schema, root);
  lines.push(`### \`${path}\``, "");
  if (s.description) lines.push(s.description, "");
  const facts = [`- **Type:** ${typeOf(schema, root)}`];
  const limits = constraints(s);
  if (limits.length > 0) facts.push(`- **Constraints:** ${limits.join(", ")}`);
  facts.push(`- **Required:** ${required ? "yes" : "no"}`);
  if (s.default !== undefined) facts.push(`- **Default:** \`${JSON.stringify(s.default)}\``);
  lines.push(...facts);
  for (const ex of s.examples ?? []) lines.push(`- **Example:**${example(ex)}`);
  lines.push("");
  if (s._definition && seen.has(s._definition)) return;
  const next = new Set(seen);
  if (s._definition) next.add(s._definition);
  for (const [key, child] of Object.entries(s.properties ?? {})) {
    walk(child, root, `${path}.${key}`, (s.required ?? []).includes(key), lines, next);
  }
  if (s.additionalProperties && typeof s.additionalProperties === "object") {
    const entry = resolve(s.additionalProperties, root);
    const placeholder = s._definition === "stepMap" || path === "steps" ? "<step-id>" : "<name>";
    if (entry?.properties) {
      const shown = entry._definition ? documented.get(entry._definition) : undefined;
      if (shown) {
        lines.push(`Each entry has the keys described under \`${shown}\`.`, "");
        return;
      }
      if (entry._definition) documented.set(entry._definition, `${path}.${placeholder}`);
      const inner = new Set(next);
      if (entry._definition) inner.add(entry._definition);
      for (const [key, child] of Object.entries(entry.properties)) {
        walk(child, root, `${path}.${placeholder}.${key}`, (entry.required ?? []).includes(key), lines, inner);
      }
    }
  }
  const items = s.items ? resolve(s.items, root) : undefined;
  if (items?.properties) {
    for (const [key, child] of Object.entries(items.properties)) {
      walk(child, root, `${path}[].${key}`, (items.required ?? []).includes(key), lines, next);
    }
  }
}

function stepTypeSection(info, lines) {
  const s = info.inputSchema;
  lines.push(`### \`${info.name}\``, "", info.description, "");
  lines.push("| input | type | required | default | description |", "| --- | --- | --- | --- | --- |");
  for (const [key, p] of Object.entries(s.properties ?? {})) {
    const req = (s.required ?? []).includes(key) ? "yes" : "no";
    const def = p.default === undefined ? "" : `\`${JSON.stringify(p.default)}\``;
    const desc = (p.description ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");
    lines.push(`| \`${key}\` | ${typeOf(p, s).replace(/\|/g, "\\|")} | ${req} | ${def} | ${desc} |`);
  }
  if (Array.isArray(s.oneOf)) {
    const options = s.oneOf.map((b) => (b.required ?? []).map((k) => `\`${k}\``).join(" + ")).join(" or ");
    lines.push("", `Give exactly one of ${options}.`);
  }
  if (info.literalInputs?.length) {
    lines.push("", `Never templated: ${info.literalInputs.map((k) => `\`${k}\``).join(", ")}.`);
  }
  for (const ex of info.stepType?.examples ?? []) lines.push("", `**${ex.title}**`, "", "```yaml", ex.yaml.trimEnd(), "```");
  lines.push("");
}

export async function generateReference() {
  const schema = JSON.parse(readFileSync(SCHEMA, "utf8"));
  const { builtinRegistry } = await import(join(ROOT, "dist", "src", "plugin", "builtins.js"));
  const types = builtinRegistry();
  const lines = [
    "# Workflow reference",
    "",
    "<!-- Generated by scripts/gen-reference.mjs from schemas/workflow.schema.json and the built-in",
    "     step types. Do not edit by hand: change the schema or the step type, then run `npm run docs`. -->",
    "",
    schema.description ?? "",
    "",
    "Templates (`{{ … }}`) may appear in string values of `with`, in `if`, `forEach`, `concurrency.key` and",
    "`idempotencyKey`. They see `inputs`, `steps.<id>.output` / `steps.<id>.status`, `run`, `trigger`,",
    "`secrets.<NAME>`, and `item` / `index` in the `with` of a `forEach` step. `idempotencyKey` and",
    "`concurrency.key` are rendered before any step runs and see only `inputs` and `trigger`.",
    "",
    "## Workflow keys",
    "",
  ];
  for (const [key, child] of Object.entries(schema.properties)) {
    walk(child, schema, key, (schema.required ?? []).includes(key), lines, new Set());
  }
  lines.push("## Built-in step types", "", "Write the type in `uses:` and its inputs under `with:`.", "");
  for (const name of types.names()) stepTypeSection(types.get(name), lines);
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await generateReference();
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(OUT, "utf8");
    } catch {}
    if (current !== text) {
      process.stderr.write("docs/workflow-reference.md is out of date: run `npm run docs` and commit the result\n");
      process.exitCode = 1;
    }
  } else {
    writeFileSync(OUT, text);
    process.stdout.write(`wrote ${OUT}\n`);
  }
}
