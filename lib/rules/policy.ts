/** The evaluation policy (rule overrides, runbook base URL, excluded namespaces) and defaults. */
import type { Severity } from './model';

/** A per-cluster override of one rule's defaults. */
export interface RuleOverride {
  readonly severity?: Severity;
  readonly forSeconds?: number;
  readonly disabled?: boolean;
}

/** Everything configurable about evaluation; defaults in DEFAULT_POLICY. */
export interface Policy {
  /** Overrides keyed by rule id. */
  readonly rules: Readonly<Record<string, RuleOverride>>;
  /** Base URL the runbook file name is appended to. */
  readonly runbookBaseUrl: string;
  /** Namespaces whose workloads and pods the rollout rules ignore. */
  readonly excludedNamespaces: readonly string[];
}

/** Where runbooks live unless the config says otherwise: the repository's docs path. */
export const DEFAULT_RUNBOOK_BASE_URL =
  'https://github.com/skewguard/skewguard/blob/main/docs/runbooks/';

/** The policy with every rule at its catalogue defaults. */
export const DEFAULT_POLICY: Policy = {
  rules: {},
  runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
  excludedNamespaces: [],
};
