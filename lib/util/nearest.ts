/** The known names nearest to a mistyped one, for "did you mean …?" hints. */

/** Levenshtein distance between `a` and `b` (insertions, deletions, substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidates `input` most likely meant, best first, at most `limit`: a case-insensitive
 * match, else those it is a case-insensitive prefix of (`PodCrash`), else those at the smallest
 * edit distance when that distance is under 40% of the longer name. The ratio lets a dropped word
 * through (`KubeletSkew` → `KubeletVersionSkew`, 7 of 18) while an unrelated name gets no hint.
 */
export function nearest(input: string, candidates: readonly string[], limit = 3): string[] {
  const wanted = input.toLowerCase();
  const exact = candidates.filter((c) => c.toLowerCase() === wanted);
  if (exact.length > 0) return exact.slice(0, limit);
  if (wanted.length > 0) {
    const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(wanted));
    if (prefixed.length > 0) return prefixed.slice(0, limit);
  }
  const scored = candidates
    .map((c) => ({ c, d: editDistance(wanted, c.toLowerCase()) }))
    .filter(({ c, d }) => d < 0.4 * Math.max(wanted.length, c.length));
  const best = Math.min(...scored.map((s) => s.d));
  return scored
    .filter((s) => s.d === best)
    .map((s) => s.c)
    .slice(0, limit);
}

/** ` did you mean A?`, ` did you mean A or B?`, ` did you mean A, B or C?`, or '' for no guess. */
export function didYouMean(guesses: readonly string[]): string {
  if (guesses.length === 0) return '';
  const head = guesses.slice(0, -1);
  const last = guesses[guesses.length - 1] ?? '';
  return ` did you mean ${head.length > 0 ? `${head.join(', ')} or ${last}` : last}?`;
}
