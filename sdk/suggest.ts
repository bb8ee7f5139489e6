/**
 * "Did you mean ...?" for unknown keys, unknown CLI flags and miscased values: the one suggestion
 * algorithm of the project. A case-insensitive match first (users bring the API's PascalCase:
 * `DBInstanceId` → `dbInstanceId`), else the closest candidate by edit distance when it is close
 * enough to be a typo.
 */

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j] as number;
      row[j] = Math.min(up + 1, (row[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length] as number;
}

/** Lower case, without `_`, `-` and spaces: `DB_Instance-Id` and `dbInstanceId` are one word, as are `--max-age` and `maxage`. */
function normalized(word: string): string {
  return word.toLowerCase().replace(/[_\s-]/g, "");
}

/** The candidate the user probably meant, or undefined. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = normalized(word);
  const exact = candidates.find((c) => normalized(c) === w);
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(w.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(w, normalized(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
