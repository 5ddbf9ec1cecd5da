/** The StatefulSetUpdateNotRolledOut rule: every StatefulSet update reaches all replicas. */
import type { StatefulSetInfo } from '../model';
import type { RuleFinding } from '../rule';
import { defineRule, MINUTE } from '../rule';
import type { DiagnoseOptions, RolloutCause } from './cause';
import { describeCause, diagnose } from './cause';
import { kubectlIn, selectorFlag } from './commands';
import { earliest } from './pods';
import { revisionText, rolloutEvidence, servingText } from './report';
import type { RolloutView } from './workloads';
import {
  qualifiedName,
  REVISION_HASH_LABEL,
  sinceFrom,
  statefulSetRollout,
  subjectOf,
  workloadsOfKind,
} from './workloads';
import { numberOf, wasText, workloadName } from '../last-finding';

/** Every StatefulSet runs its update revision on all replicas once an update has been applied. */
export const StatefulSetUpdateNotRolledOut = defineRule({
  id: 'StatefulSetUpdateNotRolledOut',
  title: 'StatefulSet update not rolled out',
  description:
    'Every StatefulSet update reaches all replicas (currentRevision equals updateRevision); with OnDelete or a partition the wait is reported as info.',
  category: 'rollout',
  severity: 'warning',
  otherSeverities: [{ severity: 'info', when: 'OnDelete or a partition holds pods on purpose' }],
  forSeconds: 15 * MINUTE,
  dates: 'updateNotRolledOut',
  needs: ['statefulsets'],
  resolved: (last) => {
    const updated = numberOf(last, 'updatedReplicas');
    const replicas = numberOf(last, 'replicas');
    return `Update of StatefulSet ${workloadName(last.subject)} is no longer pending${wasText([
      updated !== undefined && replicas !== undefined
        ? `${updated} of ${replicas} pods updated`
        : undefined,
    ])}`;
  },
  materialKeys: ['updateRevision', 'updateStrategy', 'cause.kind', 'cause.reason', 'cause.image'],
  evaluate(snapshot, ctx) {
    const findings: RuleFinding[] = [];
    for (const s of workloadsOfKind(snapshot, 'StatefulSet')) {
      const { currentRevision, updateRevision } = s;
      if (currentRevision === undefined || updateRevision === undefined) continue;
      if (currentRevision === updateRevision || s.updatedReplicas >= s.replicas) continue;
      const view = statefulSetRollout(snapshot, s);
      const cause = diagnose(view, waitOptions(s), ctx.now);
      // Waiting for manual deletion or held by a partition is what the owner asked for.
      const intended = cause.kind === 'OnDeleteWaiting' || cause.kind === 'Partitioned';
      const since = earliest((view.newPods ?? []).map((p) => p.createdAt));
      findings.push({
        severity: intended ? 'info' : 'warning',
        subject: subjectOf(s),
        summary: summaryOf(s, view, cause, intended),
        details: {
          replicas: s.replicas,
          updatedReplicas: s.updatedReplicas,
          currentReplicas: s.currentReplicas,
          readyReplicas: s.readyReplicas,
          currentRevision,
          updateRevision,
          updateStrategy: s.updateStrategy,
          ...(s.partition !== undefined ? { partition: s.partition } : {}),
          ...rolloutEvidence(view, cause),
        },
        ...sinceFrom(s, 'updateNotRolledOut', since),
      });
    }
    return findings;
  },
});

function waitOptions(s: StatefulSetInfo): DiagnoseOptions {
  const waiting = s.replicas - s.updatedReplicas;
  if (s.updateStrategy === 'OnDelete') return { onDelete: { waiting } };
  const partition = s.partition ?? 0;
  // Ordinals below the partition keep the old revision by design; the rest must update.
  if (partition > 0 && s.updatedReplicas >= s.replicas - partition)
    return { partition: { partition, held: waiting } };
  return {};
}

function summaryOf(
  s: StatefulSetInfo,
  view: RolloutView,
  cause: RolloutCause,
  intended: boolean,
): string {
  const progress = `${s.updatedReplicas} of ${s.replicas} pods updated`;
  if (!intended) {
    return `Rollout of StatefulSet ${qualifiedName(s)}${revisionText(view)} is not finished (${progress}): ${describeCause(cause)}${servingText(view)}.`;
  }
  const next =
    cause.kind === 'OnDeleteWaiting'
      ? onDeleteNext(s, view)
      : ' Lower the partition to continue the rollout.';
  return `StatefulSet ${qualifiedName(s)} has ${progress}${revisionText(view)}: ${describeCause(cause)}.${next}`;
}

/**
 * What to delete first: the old pod with the highest ordinal (`postgres-10` after `postgres-9`)
 * when the pods were read; else how to find the old ones, since a guessed name may not exist.
 */
function onDeleteNext(s: StatefulSetInfo, view: RolloutView): string {
  const ordinal = (name: string): number => Number(/-(\d+)$/.exec(name)?.[1] ?? -1);
  const names = (view.oldPods ?? []).map((p) => p.name).sort((a, b) => ordinal(b) - ordinal(a));
  const k = kubectlIn(s.namespace);
  if (names[0] !== undefined)
    return ` Delete them one at a time to update them, highest ordinal first: ${k} delete pod ${names[0]}.`;
  return (
    ` Find them with \`${k} get pods${selectorFlag(s.selector)} -L ${REVISION_HASH_LABEL}\`` +
    ` (those not at ${s.updateRevision ?? 'the update revision'}) and delete them one at a time, highest ordinal first.`
  );
}
