import { type CompileResult, compileWorkflow } from "../../src/compile/compile.js";
import { builtinRegistry } from "../../src/plugin/builtins.js";
import { loadWorkflow } from "../../src/spec/workflow-file.js";

export const types = builtinRegistry();

/** Loads, validates and compiles YAML text the way the CLI does; fails loudly on spec errors. */
export function compileYaml(source: string, opts: { now?: Date; file?: string } = {}): CompileResult {
  const file = opts.file ?? "wf.yaml";
  const loaded = loadWorkflow(source, file, types);
  if (!loaded.spec || !loaded.doc) {
    throw new Error(
      `spec rejected the test workflow: ${loaded.diagnostics.map((d) => d.message).join("; ")}`,
    );
  }
  return compileWorkflow(loaded.spec, loaded.doc, types, opts.now ? { now: opts.now } : {});
}

/** "<code> <line>:<col> <message>" per diagnostic, for compact exact assertions. */
export function summarize(result: CompileResult): string[] {
  return result.diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`);
}

/** Log steps keyed by id; `refs` become template references, `needs` explicit edges. */
export function workflowYaml(steps: Record<string, { needs?: string[]; refs?: string[] }>): string {
  const lines = ["name: generated", "steps:"];
  for (const [id, s] of Object.entries(steps)) {
    lines.push(`  ${id}:`, "    uses: log");
    if (s.needs?.length) lines.push(`    needs: [${s.needs.join(", ")}]`);
    const message = (s.refs ?? []).map((r) => `{{ steps.${r}.status }}`).join(" ") || "hi";
    lines.push(`    with: { message: "${message}" }`);
  }
  return `${lines.join("\n")}\n`;
}
