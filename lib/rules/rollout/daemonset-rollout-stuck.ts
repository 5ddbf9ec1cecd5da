/** The DaemonSetRolloutStuck rule: every DaemonSet updated and available on all its nodes. */
import type { RuleFinding } from '../rule';
import { defineRule, MINUTE } from '../rule';
import { describeCause, diagnose } from './cause';
import { earliest } from './pods';
import { revisionText, rolloutEvidence, servingText } from './report';
import {
  daemonSetRollout,
  qualifiedName,
  sinceFrom,
  subjectOf,
  workloadsOfKind,
} from './workloads';
import { numberOf, wasText, workloadName } from '../last-finding';

/** Every DaemonSet runs its current template, available, on every node that should run it. */
export const DaemonSetRolloutStuck = defineRule({
  id: 'DaemonSetRolloutStuck',
  title: 'DaemonSet rollout stuck',
  description:
    'Every DaemonSet has its current template updated and available on all desired nodes; with OnDelete a pending update is reported as info.',
  category: 'rollout',
  severity: 'warning',
  otherSeverities: [{ severity: 'info', when: 'OnDelete pods, all available, wait for deletion' }],
  forSeconds: 15 * MINUTE,
  dates: 'rolloutStuck',
  needs: ['daemonsets'],
  resolved: (last) => {
    const updated = numberOf(last, 'updatedNumberScheduled');
    const desired = numberOf(last, 'desiredNumberScheduled');
    const available = numberOf(last, 'numberAvailable');
    return `Rollout of DaemonSet ${workloadName(last.subject)} is no longer stuck${wasText([
      updated !== undefined && desired !== undefined
        ? `${updated} of ${desired} pods updated`
        : undefined,
      available !== undefined ? `${available} available` : undefined,
    ])}`;
  },
  materialKeys: ['revision', 'updateStrategy', 'cause.kind', 'cause.reason', 'cause.image'],
  evaluate(snapshot, ctx) {
    const findings: RuleFinding[] = [];
    for (const ds of workloadsOfKind(snapshot, 'DaemonSet')) {
      const desired = ds.desiredNumberScheduled;
      if (desired <= 0) continue;
      const notUpdated = Math.max(desired - ds.updatedNumberScheduled, 0);
      const unavailable = ds.numberAvailable < desired;
      if (notUpdated === 0 && !unavailable) continue;
      // Every pod that exists runs the current template: no update is under way, and the pods
      // short of desired are missing, which DaemonSetNotScheduled reports with its cause.
      const updating = ds.updatedNumberScheduled < ds.currentNumberScheduled;
      if (!updating && ds.currentNumberScheduled < desired) continue;
      const view = daemonSetRollout(snapshot, ds);
      const onDelete = ds.updateStrategy === 'OnDelete' && notUpdated > 0;
      const cause = diagnose(view, onDelete ? { onDelete: { waiting: notUpdated } } : {}, ctx.now);
      // All pods available and only waiting to be deleted by hand: what OnDelete asks for.
      const intended = cause.kind === 'OnDeleteWaiting' && !unavailable;
      const state = `${ds.updatedNumberScheduled} of ${desired} pods updated${revisionText(view)}, ${ds.numberAvailable} available`;
      // The rollout began when its first new pod appeared; a pod problem may date it earlier.
      const rolling = (view.oldPods?.length ?? 0) > 0;
      const since = earliest([
        cause.since,
        ...(rolling ? (view.newPods ?? []).map((p) => p.createdAt) : []),
      ]);
      const next = intended
        ? ` Delete the old pods node by node to update them (kubectl -n ${ds.namespace} delete pod ${cause.pods[0] ?? '<pod>'}).`
        : '';
      findings.push({
        severity: intended ? 'info' : 'warning',
        subject: subjectOf(ds),
        summary: `DaemonSet ${qualifiedName(ds)} has ${state}: ${describeCause(cause)}${intended ? '' : servingText(view)}.${next}`,
        details: {
          desiredNumberScheduled: desired,
          currentNumberScheduled: ds.currentNumberScheduled,
          updatedNumberScheduled: ds.updatedNumberScheduled,
          numberAvailable: ds.numberAvailable,
          numberReady: ds.numberReady,
          numberUnavailable: ds.numberUnavailable,
          updateStrategy: ds.updateStrategy,
          ...rolloutEvidence(view, cause),
        },
        ...sinceFrom(ds, 'rolloutStuck', since),
      });
    }
    return findings;
  },
});
