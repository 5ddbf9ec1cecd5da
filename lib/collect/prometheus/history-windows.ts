/** The `for` windows of the rollout conditions, apart from the Prometheus client (no axios). */
import type { RolloutCondition } from '../../rules/model';
import type { Policy } from '../../rules/policy';
import { DEFAULT_POLICY } from '../../rules/policy';
import { findRule } from '../../rules/registry';

/** The rules whose `for` applies to each rollout condition Prometheus dates. */
const CONDITION_RULES: Readonly<Record<RolloutCondition, readonly string[]>> = {
  generationMismatch: [
    'DeploymentGenerationMismatch',
    'StatefulSetGenerationMismatch',
    'DaemonSetGenerationMismatch',
  ],
  replicasMismatch: ['DeploymentReplicasMismatch', 'StatefulSetReplicasMismatch'],
  rolloutStuck: ['DeploymentRolloutStuck', 'DaemonSetRolloutStuck'],
  updateNotRolledOut: ['StatefulSetUpdateNotRolledOut'],
  notScheduled: ['DaemonSetNotScheduled'],
  misscheduled: ['DaemonSetMisScheduled'],
};

/** The longest `for` (seconds) per rollout condition under a policy: what `forWindows` expects. */
export function forWindowsOf(policy: Policy = DEFAULT_POLICY): Record<RolloutCondition, number> {
  const windowOf = (ids: readonly string[]): number =>
    Math.max(0, ...ids.map((id) => policy.rules[id]?.forSeconds ?? findRule(id)?.forSeconds ?? 0));
  return Object.fromEntries(
    Object.entries(CONDITION_RULES).map(([condition, ids]) => [condition, windowOf(ids)]),
  ) as Record<RolloutCondition, number>;
}
