/** Dating a version condition from the snapshot's version history: it has held since both versions that witness it ran side by side. */
import type { VersionHistory } from '../model';

type Runs = VersionHistory[keyof VersionHistory];

/**
 * When version `a` (in `aRuns`) and version `b` (in `bRuns`) have both run without a break: the
 * later of the two runs' starts; undefined when either is not dated.
 */
export function bothRanSince(aRuns: Runs, a: string, bRuns: Runs, b: string): string | undefined {
  const first = aRuns?.[a];
  const second = bRuns?.[b];
  if (first === undefined || second === undefined) return undefined;
  return Date.parse(first) >= Date.parse(second) ? first : second;
}

/**
 * `{since}` when the history dates both versions that make the condition true (the oldest and
 * the newest), as the later of the two runs' starts; `{}` when either is not dated, so the
 * condition stays pending until the ledger sees it hold.
 */
export function sinceBoth(runs: Runs, oldest: string, newest: string): { since?: string } {
  const since = bothRanSince(runs, oldest, runs, newest);
  return since !== undefined ? { since } : {};
}

/**
 * `{since}` for a finding that holds while any of its problems holds: the earliest dated start,
 * which is no earlier than the finding's own (so a `for` is never cut short); `{}` when none is
 * dated.
 */
export function earliestSince(starts: readonly (string | undefined)[]): { since?: string } {
  const dated = starts.filter((s): s is string => s !== undefined);
  if (dated.length === 0) return {};
  return { since: dated.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b)) };
}
