/** The StatefulSetReplicasMismatch rule: every StatefulSet has all its replicas ready. */
import type { RuleFinding } from '../rule';
import { defineRule, MINUTE } from '../rule';
import { describeCause, diagnose } from './cause';
import { rolloutEvidence, servingText } from './report';
import {
  qualifiedName,
  sinceFrom,
  statefulSetRollout,
  subjectOf,
  workloadsOfKind,
} from './workloads';
import { numberOf, wasText, workloadName } from '../last-finding';

/** Every StatefulSet has as many ready replicas as it asks for. */
export const StatefulSetReplicasMismatch = defineRule({
  id: 'StatefulSetReplicasMismatch',
  title: 'StatefulSet short of ready replicas',
  description:
    'Every StatefulSet has as many ready replicas as spec.replicas asks for; none ready is critical.',
  category: 'rollout',
  severity: 'warning',
  otherSeverities: [{ severity: 'critical', when: 'no replica is ready' }],
  forSeconds: 15 * MINUTE,
  dates: 'replicasMismatch',
  needs: ['statefulsets'],
  resolved: (last) => {
    const ready = numberOf(last, 'readyReplicas');
    const replicas = numberOf(last, 'replicas');
    return `StatefulSet ${workloadName(last.subject)} is no longer short of ready replicas${wasText(
      [ready !== undefined && replicas !== undefined ? `${ready}/${replicas} ready` : undefined],
    )}`;
  },
  materialKeys: ['replicas', 'updateRevision', 'cause.kind', 'cause.reason', 'cause.image'],
  evaluate(snapshot, ctx) {
    const findings: RuleFinding[] = [];
    for (const s of workloadsOfKind(snapshot, 'StatefulSet')) {
      if (s.replicas <= 0 || s.readyReplicas >= s.replicas) continue;
      const view = statefulSetRollout(snapshot, s);
      const cause = diagnose(view, {}, ctx.now);
      findings.push({
        severity: s.readyReplicas === 0 ? 'critical' : 'warning',
        subject: subjectOf(s),
        summary: `StatefulSet ${qualifiedName(s)} has ${s.readyReplicas} of ${s.replicas} replicas ready: ${describeCause(cause)}${servingText(view)}.`,
        details: {
          replicas: s.replicas,
          readyReplicas: s.readyReplicas,
          missingReplicas: s.replicas - s.readyReplicas,
          availableReplicas: s.availableReplicas,
          currentReplicas: s.currentReplicas,
          updatedReplicas: s.updatedReplicas,
          ...(s.currentRevision !== undefined ? { currentRevision: s.currentRevision } : {}),
          ...(s.updateRevision !== undefined ? { updateRevision: s.updateRevision } : {}),
          updateStrategy: s.updateStrategy,
          ...rolloutEvidence(view, cause),
        },
        ...sinceFrom(s, 'replicasMismatch', cause.since),
      });
    }
    return findings;
  },
});
