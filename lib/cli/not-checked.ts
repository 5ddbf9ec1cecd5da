/** What a run did not check, grouped by the missing input so each remedy is printed once; what --fail-on-skipped counts. */
import type { CoverageEntry } from '../rules';

/** One skipped coverage entry. */
type Skipped = Extract<CoverageEntry, { status: 'skipped' }>;

/** One reason rules were not checked, and the rules it kept from being checked. */
export interface NotCheckedGroup {
  /** `nodes missing: not in the input`, or the rule's own reason when it could not decide. */
  readonly cause: string;
  readonly ruleIds: readonly string[];
  /** False when a managed platform hides the input: nothing to supply, nothing to fail on. */
  readonly actionable: boolean;
}

/** The skipped entries of a run's coverage. */
export function skippedOf(coverage: readonly CoverageEntry[]): Skipped[] {
  return coverage.filter((c): c is Skipped => c.status === 'skipped');
}

/**
 * The causes of the skipped rules, in first-seen order: one group per missing input (a rule
 * lacking two inputs is listed under both), and one per reason of a rule that could not decide.
 */
export function notCheckedGroups(coverage: readonly CoverageEntry[]): NotCheckedGroup[] {
  const groups = new Map<string, { ruleIds: string[]; actionable: boolean }>();
  const add = (cause: string, ruleId: string, actionable: boolean): void => {
    const group = groups.get(cause) ?? { ruleIds: [], actionable };
    if (!group.ruleIds.includes(ruleId)) group.ruleIds.push(ruleId);
    groups.set(cause, group);
  };
  for (const s of skippedOf(coverage)) {
    if (s.unmet === undefined || s.unmet.length === 0) {
      add(s.reason, s.ruleId, true);
      continue;
    }
    for (const u of s.unmet) {
      const state =
        u.state === 'notObservable'
          ? 'not observable'
          : u.state === 'notRequested'
            ? 'not requested'
            : 'missing';
      add(`${u.part} ${state}: ${u.reason}`, s.ruleId, u.state === 'missing');
    }
  }
  return [...groups].map(([cause, g]) => ({ cause, ...g }));
}

/**
 * Rules skipped for a reason the user can fix: an input missing or a read that failed. Rules
 * whose only unmet inputs a managed platform hides (EKS's etcd) do not count.
 */
export function actionablySkipped(coverage: readonly CoverageEntry[]): Skipped[] {
  return skippedOf(coverage).filter(
    (s) =>
      s.unmet === undefined || s.unmet.length === 0 || s.unmet.some((u) => u.state === 'missing'),
  );
}
