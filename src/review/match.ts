/**
 * Pairs the workflows of two revisions. Workflows are identified by `name`: a file moved or
 * edited under the same name is the same workflow; identical content under a new path is a
 * rename. A file whose name cannot be read (broken YAML) is paired by its path.
 */
import type { RevisionWorkflow } from "./revision.js";
import type { WorkflowStatus } from "./types.js";

export interface WorkflowPair {
  name: string;
  status: WorkflowStatus | "unchanged";
  base?: RevisionWorkflow;
  head?: RevisionWorkflow;
}

export function workflowName(w: RevisionWorkflow): string | undefined {
  if (w.plan) return w.plan.name;
  const data = w.doc?.data;
  if (data !== null && typeof data === "object" && !Array.isArray(data)) {
    const name = (data as Record<string, unknown>).name;
    if (typeof name === "string" && name !== "") return name;
  }
  return undefined;
}

function keyed(list: ReadonlyArray<RevisionWorkflow>): Map<string, RevisionWorkflow> {
  const out = new Map<string, RevisionWorkflow>();
  for (const w of list) {
    const name = workflowName(w);
    const key = name !== undefined && !out.has(`name:${name}`) ? `name:${name}` : `file:${w.file}`;
    out.set(key, w);
  }
  return out;
}

export function pairWorkflows(
  base: ReadonlyArray<RevisionWorkflow>,
  head: ReadonlyArray<RevisionWorkflow>,
): WorkflowPair[] {
  const b = keyed(base);
  const h = keyed(head);
  const pairs: WorkflowPair[] = [];
  const matched = new Set<string>();
  const pair = (bw: RevisionWorkflow, hw: RevisionWorkflow, bKey: string) => {
    matched.add(bKey);
    const name = workflowName(hw) ?? workflowName(bw) ?? hw.file;
    if (bw.oid !== hw.oid) pairs.push({ name, status: "changed", base: bw, head: hw });
    else pairs.push({ name, status: bw.file === hw.file ? "unchanged" : "renamed", base: bw, head: hw });
  };
  const leftovers: RevisionWorkflow[] = [];
  for (const [key, hw] of h) {
    const bw = b.get(key);
    if (bw) pair(bw, hw, key);
    else leftovers.push(hw);
  }
  // A file that cannot be named on one side (broken YAML) pairs with the same path on the other.
  for (const hw of leftovers) {
    const unnamed = (w: RevisionWorkflow) => workflowName(w) === undefined;
    const found = [...b].find(
      ([key, bw]) => !matched.has(key) && bw.file === hw.file && (unnamed(hw) || unnamed(bw)),
    );
    if (found) pair(found[1], hw, found[0]);
    else pairs.push({ name: workflowName(hw) ?? hw.file, status: "added", head: hw });
  }
  for (const [key, bw] of b) {
    if (!matched.has(key)) pairs.push({ name: workflowName(bw) ?? bw.file, status: "removed", base: bw });
  }
  return pairs.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.status < y.status ? -1 : 1));
}
