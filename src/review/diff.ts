/** Two views of one workflow → what changed: steps field by field, edges, triggers, secrets. */

import type {
  Edge,
  FieldChange,
  StepChange,
  StepRef,
  TriggerView,
  WorkflowChange,
  WorkflowGraph,
} from "./types.js";
import type { StepView, WorkflowView } from "./view.js";

type Diffed = Omit<WorkflowChange, "name" | "status" | "file" | "headValid">;

const EMPTY: WorkflowView = { steps: new Map(), triggers: [], secrets: [] };

/** Field order in output: what the step is, what it gets, when it runs, then its policies. */
const FIELD_RANK = ["uses", "with", "needs", "if", "forEach", "retry", "timeout", "continueOnError"];

export function diffWorkflow(base: WorkflowView | undefined, head: WorkflowView | undefined): Diffed {
  const b = base ?? EMPTY;
  const h = head ?? EMPTY;
  const added: StepRef[] = [];
  const removed: StepRef[] = [];
  const changed: StepChange[] = [];
  const marks = new Map<string, "added" | "removed" | "changed" | "same">();
  for (const [key, step] of h.steps) {
    const before = b.steps.get(key);
    if (!before) {
      added.push(ref(step));
      marks.set(key, "added");
      continue;
    }
    const fields = diffFields(before, step);
    marks.set(key, fields.length > 0 ? "changed" : "same");
    if (fields.length > 0) changed.push({ ...ref(step), fields });
  }
  for (const [key, step] of b.steps) {
    if (h.steps.has(key)) continue;
    removed.push(ref(step));
    marks.set(key, "removed");
  }
  const baseEdges = edgesOf(b);
  const headEdges = edgesOf(h);
  const edgeAdded = [...headEdges.keys()].filter((k) => !baseEdges.has(k));
  const edgeRemoved = [...baseEdges.keys()].filter((k) => !headEdges.has(k));

  const graph: WorkflowGraph = { steps: [], edges: [] };
  for (const [key, step] of [...h.steps, ...b.steps]) {
    if (graph.steps.some((s) => `${s.group}:${s.id}` === key)) continue;
    graph.steps.push({ ...ref(step), mark: marks.get(key) ?? "same" });
  }
  for (const [key, e] of headEdges) graph.edges.push({ ...e, mark: baseEdges.has(key) ? "same" : "added" });
  for (const key of edgeRemoved) graph.edges.push({ ...(baseEdges.get(key) as GroupEdge), mark: "removed" });

  const result: Diffed = {
    steps: { added: sortRefs(added), removed: sortRefs(removed), changed: sortRefs(changed) },
    edges: {
      added: edgeAdded.map((k) => plainEdge(headEdges.get(k) as GroupEdge)).sort(compareEdges),
      removed: edgeRemoved.map((k) => plainEdge(baseEdges.get(k) as GroupEdge)).sort(compareEdges),
    },
    newSecrets: h.secrets.filter((s) => !b.secrets.includes(s)),
    graph,
  };
  if (!sameTriggers(b.triggers, h.triggers) && (base || head)) {
    result.triggers = { before: b.triggers, after: h.triggers };
  }
  if (b.concurrency !== h.concurrency) {
    result.concurrency = {};
    if (b.concurrency !== undefined) result.concurrency.before = b.concurrency;
    if (h.concurrency !== undefined) result.concurrency.after = h.concurrency;
  }
  return result;
}

function diffFields(before: StepView, after: StepView): FieldChange[] {
  const names = new Set([...before.fields.keys(), ...after.fields.keys()]);
  const out: FieldChange[] = [];
  for (const field of names) {
    const a = before.fields.get(field);
    const z = after.fields.get(field);
    if (a?.compared === z?.compared) continue;
    const c: FieldChange = { field };
    if (a) c.before = a.shown;
    if (z) c.after = z.shown;
    out.push(c);
  }
  return out.sort(
    (x, y) => rank(x.field) - rank(y.field) || (x.field < y.field ? -1 : x.field > y.field ? 1 : 0),
  );
}

function rank(field: string): number {
  const i = FIELD_RANK.indexOf(field.split(".")[0] ?? field);
  return i < 0 ? FIELD_RANK.length : i;
}

type GroupEdge = Edge & { group: "steps" | "onFailure" };

function edgesOf(v: WorkflowView): Map<string, GroupEdge> {
  const out = new Map<string, GroupEdge>();
  for (const step of v.steps.values()) {
    for (const dep of step.deps)
      out.set(`${step.group}\0${dep}\0${step.id}`, { from: dep, to: step.id, group: step.group });
  }
  return out;
}

function plainEdge(e: GroupEdge): Edge {
  return { from: e.from, to: e.to };
}

function compareEdges(a: Edge, b: Edge): number {
  return a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0;
}

function ref(step: StepView): StepRef {
  return { id: step.id, uses: step.uses, group: step.group };
}

/** Main steps first, then onFailure; by id within each. */
function sortRefs<T extends StepRef>(refs: T[]): T[] {
  return refs.sort((a, b) =>
    a.group !== b.group ? (a.group === "steps" ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}

/** Triggers compare without their fire times: those move with the clock, not with the change. */
function sameTriggers(a: TriggerView[], b: TriggerView[]): boolean {
  const key = (t: TriggerView) => JSON.stringify([t.kind, t.cron, t.timezone, t.catchup, t.secret]);
  const ka = a.map(key).sort();
  const kb = b.map(key).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}
