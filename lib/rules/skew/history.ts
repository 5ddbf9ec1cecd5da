/** Dating a version condition from the snapshot's version history: it has held since both versions that witness it ran side by side. */
import type { VersionHistory } from '../model';

/**
 * `{since}` when the history dates both versions that make the condition true (the oldest and
 * the newest), as the later of the two runs' starts; `{}` when either is not dated, so the
 * condition stays pending until the ledger sees it hold.
 */
export function sinceBoth(
  runs: VersionHistory[keyof VersionHistory],
  oldest: string,
  newest: string,
): { since?: string } {
  const a = runs?.[oldest];
  const b = runs?.[newest];
  if (a === undefined || b === undefined) return {};
  return { since: Date.parse(a) >= Date.parse(b) ? a : b };
}
