/** "Did you mean ...?" for a misspelt configuration key. Pure. */

/** Lower case without `_` and `-`: `instance_type`, `InstanceType` and `instanceType` compare equal. */
function fold(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, "");
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), capped for speed. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i].push(d);
    }
  }
  return rows[a.length][b.length];
}

/**
 * The known key closest to `key`, when it is close enough to be a slip: equal but for case,
 * `_` or `-`; or a few edits away (1 for keys up to 4 characters, 2 up to 8, 3 beyond).
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  if (key.length > 64) return undefined;
  const folded = fold(key);
  const exact = known.find((k) => fold(k) === folded);
  if (exact !== undefined) return exact;
  const cap = folded.length <= 4 ? 1 : folded.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = cap + 1;
  for (const candidate of known) {
    const d = editDistance(folded, fold(candidate), cap);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
