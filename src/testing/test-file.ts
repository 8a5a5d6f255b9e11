/**
 * Reading `*.test.yaml` files: the same YAML loader as workflows (positions, hazards refused),
 * then the workflow-test schema, with every problem placed at its file:line:col.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { defineError } from "../errors.js";
import { PACKAGE_ROOT } from "../paths.js";
import { diagnosticAt, fileDiagnostic } from "../spec/diagnostics.js";
import { loadDocument } from "../spec/load.js";
import type { Diagnostic, LoadedDocument } from "../spec/types.js";
import type { TriggerInfo } from "../store/types.js";
import type { StepMock } from "./mocks.js";

export const TEST_SCHEMA_PATH = join(PACKAGE_ROOT, "schemas", "workflow-test.schema.json");

export interface StepExpectation {
  status?: string;
  output?: unknown;
  attempts?: number;
  error?: string;
}

export interface TestCase {
  name: string;
  inputs?: Record<string, unknown>;
  trigger?: Partial<TriggerInfo>;
  mocks?: Record<string, StepMock>;
  expect: { status?: string; error?: string; steps?: Record<string, StepExpectation> };
}

export interface TestFileSpec {
  workflow: string;
  secrets?: Record<string, string>;
  cases: TestCase[];
}

export interface LoadedTestFile {
  file: string;
  source: string;
  doc?: LoadedDocument;
  spec?: TestFileSpec;
  diagnostics: Diagnostic[];
}

const testFileInvalid = defineError("WEFT_TEST_FILE_INVALID", "{where} {problem}");
const testFileUnreadable = defineError("WEFT_TEST_FILE_UNREADABLE", "cannot read the test file: {reason}");

let validator: ReturnType<Ajv["compile"]> | undefined;

export function loadTestFile(file: string): LoadedTestFile {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (err) {
    return {
      file,
      source: "",
      diagnostics: [fileDiagnostic(file, testFileUnreadable({ reason: (err as Error).message }))],
    };
  }
  const loaded = loadDocument(source, file);
  if (!loaded.doc) return { file, source, diagnostics: loaded.diagnostics };
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(
    JSON.parse(readFileSync(TEST_SCHEMA_PATH, "utf8")) as object,
  );
  const doc = loaded.doc;
  if (validator(doc.data)) return { file, source, doc, spec: doc.data as TestFileSpec, diagnostics: [] };
  return { file, source, doc, diagnostics: schemaDiagnostics(doc, validator.errors ?? []) };
}

/** One diagnostic per place; for `oneOf` failures the branch errors are noise, so the deepest wins. */
function schemaDiagnostics(doc: LoadedDocument, errors: ErrorObject[]): Diagnostic[] {
  const byPlace = new Map<string, ErrorObject>();
  for (const e of errors) {
    const key =
      e.keyword === "additionalProperties"
        ? `${e.instancePath}/${String(e.params.additionalProperty)}`
        : e.instancePath;
    const seen = byPlace.get(key);
    if (!seen || (seen.keyword === "oneOf" && e.keyword !== "oneOf")) byPlace.set(key, e);
  }
  const places = [...byPlace.keys()];
  return (
    [...byPlace.entries()]
      // A problem inside a value explains its parent's oneOf failure better than the parent does.
      .filter(
        ([key, e]) => !(e.keyword === "oneOf" && places.some((p) => p !== key && p.startsWith(`${key}/`))),
      )
      .map(([, e]) => {
        const path = pointerPath(e.instancePath, doc.data);
        if (e.keyword === "additionalProperties") {
          const key = String(e.params.additionalProperty);
          return diagnosticAt(
            doc.positions,
            [...path, key],
            testFileInvalid({ where: `\`${key}\``, problem: "is not a known key here" }),
            {
              at: "key",
            },
          );
        }
        const where = path.length === 0 ? "the file" : `\`${path.join(".")}\``;
        return diagnosticAt(doc.positions, path, testFileInvalid({ where, problem: explain(e) }));
      })
  );
}

function explain(e: ErrorObject): string {
  if (e.keyword === "required") return `is missing required key \`${String(e.params.missingProperty)}\``;
  if (e.keyword === "enum")
    return `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  if (e.keyword === "oneOf")
    return "must be one of { output }, { error: { message } } or { sequence: [...] }";
  return e.message ?? "is invalid";
}

/** "/cases/0/expect" → ["cases", 0, "expect"], numbers where the data holds an array. */
function pointerPath(pointer: string, data: unknown): Array<string | number> {
  const path: Array<string | number> = [];
  let node = data;
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const step: string | number = Array.isArray(node) ? Number(seg) : seg;
    path.push(step);
    node =
      node !== null && typeof node === "object" ? (node as Record<string, unknown>)[String(step)] : undefined;
  }
  return path;
}
