/** The catalogue as one ordered array, and lookup by id. */
import { CHECKER_RULES } from './checker';
import { GITOPS_RULES } from './gitops';
import { DRIFT_RULES } from './drift';
import { SourceUnavailable } from './checker/source-unavailable';
import { READINESS_RULES } from './readiness';
import type { Rule } from './rule';
import { ROLLOUT_RULES } from './rollout';
import { SKEW_RULES } from './skew';

/** Every rule skewguard evaluates, in the order of the README's rule table: a plain array (docs/architecture.md, Conventions #1). */
export const RULES: readonly Rule[] = [
  ...SKEW_RULES,
  ...ROLLOUT_RULES,
  ...READINESS_RULES,
  ...GITOPS_RULES,
  ...DRIFT_RULES,
  SourceUnavailable,
  ...CHECKER_RULES,
];

/** Looks a rule up by id. */
export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
