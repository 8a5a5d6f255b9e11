/**
 * "Did you mean" suggestions for keys, step types, step ids and helper names. Distance is the
 * optimal-string-alignment variant of Damerau-Levenshtein (insert, delete, substitute, swap
 * two neighbours), which catches the usual typos (`need`, `sheel`, `htpp`).
 */

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: two back for transpositions, one back, current.
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = d;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** How far a suggestion may be from what was typed: short names tolerate fewer edits. */
function maxDistanceFor(input: string): number {
  if (input.length <= 3) return 1;
  if (input.length <= 6) return 2;
  return 3;
}

/**
 * The candidate nearest to `input`, or undefined when nothing is close enough to be a likely
 * typo. Case differences count as half an edit, so `Needs` suggests `needs`.
 */
export function suggest(
  input: string,
  candidates: Iterable<string>,
  options: { maxDistance?: number } = {},
): string | undefined {
  const limit = options.maxDistance ?? maxDistanceFor(input);
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const folded = editDistance(lower, candidate.toLowerCase());
    if (folded > limit || folded >= Math.max(input.length, candidate.length)) continue;
    const score = folded + (editDistance(input, candidate) > folded ? 0.5 : 0);
    if (score < bestScore || (score === bestScore && best !== undefined && candidate < best)) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** `"; did you mean `x`?"` when there is a close candidate, otherwise `""`. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const s = suggest(input, candidates);
  return s === undefined ? "" : `; did you mean \`${s}\`?`;
}
