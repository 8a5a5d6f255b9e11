/**
 * Graph algorithms over step indices. Everything here is iterative: a workflow of 10,000+
 * steps in one chain must not overflow the call stack, and all passes stay linear.
 * `deps[i]` lists the nodes that node i waits for (its edges point at its dependencies).
 */

/**
 * Tarjan's strongly connected components, without recursion. Returns every component that
 * holds a cycle: those of more than one node, and single nodes with an edge to themselves.
 */
export function cyclicComponents(deps: ReadonlyArray<ReadonlyArray<number>>): number[][] {
  const n = deps.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const edgePos = new Int32Array(n);
  const stack: number[] = [];
  const found: number[][] = [];
  let counter = 0;

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const calls: number[] = [root];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (calls.length > 0) {
      const v = calls[calls.length - 1] as number;
      const out = deps[v] as ReadonlyArray<number>;
      const pos = edgePos[v] as number;
      if (pos < out.length) {
        edgePos[v] = pos + 1;
        const w = out[pos] as number;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          calls.push(w);
        } else if (onStack[w] === 1) {
          low[v] = Math.min(low[v] as number, index[w] as number);
        }
        continue;
      }
      calls.pop();
      const parent = calls[calls.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent] as number, low[v] as number);
      if (low[v] !== index[v]) continue;
      const component: number[] = [];
      for (;;) {
        const w = stack.pop() as number;
        onStack[w] = 0;
        component.push(w);
        if (w === v) break;
      }
      if (component.length > 1 || out.includes(v)) found.push(component);
    }
  }
  return found;
}

/**
 * One concrete loop through a cyclic component, starting and ending at `start`: the shortest
 * one found by breadth-first search, so the message names as few steps as possible.
 */
export function loopThrough(
  start: number,
  component: ReadonlyArray<number>,
  deps: ReadonlyArray<ReadonlyArray<number>>,
): number[] {
  const inside = new Set(component);
  const parent = new Map<number, number>();
  const queue: number[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as number;
    for (const w of deps[v] as ReadonlyArray<number>) {
      if (w === start) {
        const back: number[] = [];
        for (let at = v; at !== start; at = parent.get(at) as number) back.push(at);
        return [start, ...back.reverse(), start];
      }
      if (!inside.has(w) || parent.has(w) || w === start) continue;
      parent.set(w, v);
      queue.push(w);
    }
  }
  return [start, start];
}

/**
 * Kahn's algorithm in waves: a node lands in the first wave after all of its dependencies.
 * Returns undefined when the graph has a cycle (callers report cycles separately).
 * Each wave is sorted by `order` for a deterministic plan.
 */
export function topologicalWaves(
  deps: ReadonlyArray<ReadonlyArray<number>>,
  compare: (a: number, b: number) => number,
): number[][] | undefined {
  const n = deps.length;
  const pending = new Int32Array(n);
  const dependents: number[][] = Array.from({ length: n }, () => []);
  for (let v = 0; v < n; v++) {
    const out = deps[v] as ReadonlyArray<number>;
    pending[v] = out.length;
    for (const w of out) (dependents[w] as number[]).push(v);
  }
  let wave: number[] = [];
  for (let v = 0; v < n; v++) if (pending[v] === 0) wave.push(v);
  const waves: number[][] = [];
  let placed = 0;
  while (wave.length > 0) {
    wave.sort(compare);
    waves.push(wave);
    placed += wave.length;
    const next: number[] = [];
    for (const v of wave) {
      for (const d of dependents[v] as number[]) {
        pending[d] = (pending[d] as number) - 1;
        if (pending[d] === 0) next.push(d);
      }
    }
    wave = next;
  }
  return placed === n ? waves : undefined;
}
