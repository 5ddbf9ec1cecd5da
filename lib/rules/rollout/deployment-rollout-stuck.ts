/** The DeploymentRolloutStuck rule: no Deployment rollout past its progress deadline. */
import type { RuleFinding } from '../rule';
import { defineRule } from '../rule';
import { describeCause, diagnose } from './cause';
import { revisionText, rolloutEvidence, servingText } from './report';
import {
  conditionOf,
  deploymentRollout,
  qualifiedName,
  sinceFrom,
  subjectOf,
  workloadsOfKind,
} from './workloads';
import { numberOf, textOf, wasText, workloadName } from '../last-finding';

/** Every Deployment's rollout progresses within its progressDeadlineSeconds (no ProgressDeadlineExceeded). */
export const DeploymentRolloutStuck = defineRule({
  id: 'DeploymentRolloutStuck',
  title: 'Deployment rollout stuck',
  description:
    'Every Deployment rollout makes progress within its progress deadline: no Progressing=False condition with reason ProgressDeadlineExceeded.',
  category: 'rollout',
  severity: 'critical',
  forSeconds: 0,
  dates: 'rolloutStuck',
  needs: ['deployments'],
  resolved: (last) => {
    const revision = numberOf(last, 'revision') ?? textOf(last, 'revision');
    const available = numberOf(last, 'availableReplicas');
    const replicas = numberOf(last, 'replicas');
    return `Rollout of ${workloadName(last.subject)} is no longer stuck${wasText([
      revision !== undefined ? `revision ${revision}` : undefined,
      available !== undefined && replicas !== undefined
        ? `${available}/${replicas} available`
        : undefined,
    ])}`;
  },
  materialKeys: ['revision', 'cause.kind', 'cause.reason', 'cause.image'],
  evaluate(snapshot, ctx) {
    const findings: RuleFinding[] = [];
    for (const d of workloadsOfKind(snapshot, 'Deployment')) {
      // A paused rollout waits on purpose, and one scaled to 0 runs nothing that could be stuck.
      if (d.paused || d.replicas === 0) continue;
      const progressing = conditionOf(d.conditions, 'Progressing');
      if (progressing?.status !== 'False' || progressing.reason !== 'ProgressDeadlineExceeded')
        continue;
      const view = deploymentRollout(snapshot, d);
      const cause = diagnose(view, { deadline: progressing }, ctx.now);
      findings.push({
        subject: subjectOf(d),
        summary: `Rollout of ${qualifiedName(d)}${revisionText(view)} is stuck: ${describeCause(cause)}${servingText(view)}.`,
        details: {
          replicas: d.replicas,
          updatedReplicas: d.updatedReplicas,
          readyReplicas: d.readyReplicas,
          availableReplicas: d.availableReplicas,
          unavailableReplicas: d.unavailableReplicas,
          paused: d.paused,
          strategy: d.strategy,
          ...(d.progressDeadlineSeconds !== undefined
            ? { progressDeadlineSeconds: d.progressDeadlineSeconds }
            : {}),
          progressing,
          ...rolloutEvidence(view, cause),
        },
        ...sinceFrom(d, 'rolloutStuck', progressing.lastTransitionTime),
      });
    }
    return findings;
  },
});
