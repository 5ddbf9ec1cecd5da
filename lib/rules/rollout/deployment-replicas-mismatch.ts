/** The DeploymentReplicasMismatch rule: every Deployment has all its replicas available. */
import type { DeploymentInfo } from '../model';
import type { RuleFinding } from '../rule';
import { defineRule, MINUTE } from '../rule';
import type { RolloutCause } from './cause';
import { describeCause, diagnose } from './cause';
import { resumeCommand } from './commands';
import { earliest } from './pods';
import { rolloutEvidence, servingText } from './report';
import type { RolloutView } from './workloads';
import {
  conditionOf,
  deploymentRollout,
  qualifiedName,
  subjectOf,
  workloadsOfKind,
} from './workloads';
import { numberOf, wasText, workloadName } from '../last-finding';

/** Every Deployment has as many available replicas as it asks for. */
export const DeploymentReplicasMismatch = defineRule({
  id: 'DeploymentReplicasMismatch',
  title: 'Deployment short of available replicas',
  description:
    'Every Deployment has as many available replicas as spec.replicas asks for; none available is critical.',
  category: 'rollout',
  severity: 'warning',
  otherSeverities: [{ severity: 'critical', when: 'no replica is available' }],
  forSeconds: 15 * MINUTE,
  dates: 'replicasMismatch',
  needs: ['deployments'],
  resolved: (last) => {
    const available = numberOf(last, 'availableReplicas');
    const replicas = numberOf(last, 'replicas');
    return `Deployment ${workloadName(last.subject)} is no longer short of available replicas${wasText(
      [
        available !== undefined && replicas !== undefined
          ? `${available}/${replicas} available`
          : undefined,
      ],
    )}`;
  },
  materialKeys: ['replicas', 'revision', 'paused', 'cause.kind', 'cause.reason', 'cause.image'],
  evaluate(snapshot, ctx) {
    const findings: RuleFinding[] = [];
    for (const d of workloadsOfKind(snapshot, 'Deployment')) {
      if (d.replicas <= 0 || d.availableReplicas >= d.replicas) continue;
      const view = deploymentRollout(snapshot, d);
      const progressing = conditionOf(d.conditions, 'Progressing');
      const deadline =
        progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded'
          ? progressing
          : undefined;
      const cause = diagnose(
        view,
        { paused: d.paused, ...(deadline ? { deadline } : {}) },
        ctx.now,
      );
      const since = sinceOf(d, view, cause);
      findings.push({
        severity: d.availableReplicas === 0 ? 'critical' : 'warning',
        subject: subjectOf(d),
        summary:
          `Deployment ${qualifiedName(d)} has ${d.availableReplicas} of ${d.replicas} replicas available` +
          `${phase(d, view)}: ${describeCause(cause, resumeCommand(d))}${servingText(view)}.`,
        details: {
          replicas: d.replicas,
          availableReplicas: d.availableReplicas,
          missingReplicas: d.replicas - d.availableReplicas,
          readyReplicas: d.readyReplicas,
          updatedReplicas: d.updatedReplicas,
          unavailableReplicas: d.unavailableReplicas,
          paused: d.paused,
          strategy: d.strategy,
          ...(progressing ? { progressing } : {}),
          ...rolloutEvidence(view, cause),
        },
        ...(since !== undefined ? { since } : {}),
      });
    }
    return findings;
  },
});

/** ` (rollout paused)` or ` while rolling out revision 7`, or '' when no rollout is under way. */
function phase(d: DeploymentInfo, view: RolloutView): string {
  if (d.paused) return ' (rollout paused)';
  if (d.updatedReplicas >= d.replicas) return '';
  return view.revision !== undefined
    ? ` while rolling out revision ${view.revision}`
    : ' during a rollout';
}

/**
 * When availability dropped: the Available=False transition; else, mid-rollout, when the new
 * ReplicaSet was created; else when the diagnosed pod problem began.
 */
function sinceOf(d: DeploymentInfo, view: RolloutView, cause: RolloutCause): string | undefined {
  if (d.conditionSince?.replicasMismatch !== undefined) return d.conditionSince.replicasMismatch;
  const available = conditionOf(d.conditions, 'Available');
  if (available?.status === 'False' && available.lastTransitionTime !== undefined)
    return available.lastTransitionTime;
  const rolloutStart = d.updatedReplicas < d.replicas ? view.newReplicaSet?.createdAt : undefined;
  return rolloutStart ?? earliest([cause.since]);
}
