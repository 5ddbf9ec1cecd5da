/** The `for` windows of the conditions a source with history dates, derived from the rules that declare them. */
import type { DatedCondition } from './model';
import { DATED_CONDITIONS } from './model';
import type { Policy } from './policy';
import { DEFAULT_POLICY } from './policy';
import type { Rule } from './rule';
import { RULES } from './registry';

/**
 * The longest `for` (seconds) per rollout condition under a policy, over the rules whose
 * metadata says they date that condition: how far back a source must read to date it.
 */
export function forWindowsOf(
  policy: Policy = DEFAULT_POLICY,
  rules: readonly Rule[] = RULES,
): Record<DatedCondition, number> {
  const windows = Object.fromEntries(DATED_CONDITIONS.map((c) => [c, 0])) as Record<
    DatedCondition,
    number
  >;
  for (const rule of rules) {
    if (rule.dates === undefined) continue;
    const override = policy.rules[rule.id]?.forSeconds;
    // A policy override sets the rule's one `for`; otherwise its longest form counts.
    const seconds =
      override ??
      Math.max(rule.forSeconds, ...(rule.otherSeverities ?? []).map((f) => f.forSeconds ?? 0));
    windows[rule.dates] = Math.max(windows[rule.dates], seconds);
  }
  return windows;
}
