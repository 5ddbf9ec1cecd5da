import type { Rule } from '../rule';

/** The rollout half of the catalogue, in RULES.md order (issue 3). */
export const ROLLOUT_RULES: readonly Rule[] = [];
