/** CHECKER_RULES: MetricsMissing (the registry lists SourceUnavailable on its own). */
import type { Rule } from '../rule';
import { MetricsMissing } from './metrics-missing';

/** The checker's own rules that this module registers (docs/architecture.md, "The rule catalogue"). */
export const CHECKER_RULES: readonly Rule[] = [MetricsMissing];
