import type { Rule } from '../rule';
import { MetricsMissing } from './metrics-missing';

/** The checker's own rules that this module registers (RULES.md "The checker itself"). */
export const CHECKER_RULES: readonly Rule[] = [MetricsMissing];
