/**
 * A Mermaid flowchart of a workflow's DAG at the head, with the steps and edges the change
 * removed kept (dashed, red) so the reviewer sees both shapes in one picture. Marks are in the
 * labels too (`+`, `−`, `~`), not only in colour.
 */
import type { WorkflowGraph } from "../types.js";

const PREFIX = { added: "+ ", removed: "− ", changed: "~ ", same: "" } as const;

export function mermaidGraph(g: WorkflowGraph): string {
  const lines = ["flowchart LR"];
  const ids = new Map<string, string>();
  const nodeLine = (s: WorkflowGraph["steps"][number]) => {
    const node = `s${ids.size}`;
    ids.set(`${s.group}:${s.id}`, node);
    const cls = s.mark === "same" ? "" : `:::${s.mark}`;
    return `${node}["${label(`${PREFIX[s.mark]}${s.id}`)}<br/><small>${label(s.uses)}</small>"]${cls}`;
  };
  for (const s of g.steps.filter((x) => x.group === "steps")) lines.push(`  ${nodeLine(s)}`);
  const failure = g.steps.filter((x) => x.group === "onFailure");
  if (failure.length > 0) {
    lines.push('  subgraph onFailure["on failure"]');
    for (const s of failure) lines.push(`    ${nodeLine(s)}`);
    lines.push("  end");
  }
  const styles: string[] = [];
  let drawn = 0;
  for (const e of g.edges) {
    const from = ids.get(`${e.group}:${e.from}`);
    const to = ids.get(`${e.group}:${e.to}`);
    if (!from || !to) continue;
    const i = drawn++; // linkStyle counts edges in the order they are drawn
    const arrow = e.mark === "added" ? "==>" : e.mark === "removed" ? "-.->" : "-->";
    lines.push(`  ${from} ${arrow} ${to}`);
    if (e.mark === "added") styles.push(`  linkStyle ${i} stroke:#1a7f37,stroke-width:3px`);
    if (e.mark === "removed") styles.push(`  linkStyle ${i} stroke:#cf222e`);
  }
  lines.push(...styles);
  lines.push("  classDef added fill:#dafbe1,stroke:#1a7f37,color:#0d2b16");
  lines.push("  classDef removed fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 3,color:#4c0b0b");
  lines.push("  classDef changed fill:#fff8c5,stroke:#9a6700,color:#3b2300");
  return lines.join("\n");
}

/** Mermaid labels: quotes and angle brackets as entities (ids are already plain). */
function label(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}
