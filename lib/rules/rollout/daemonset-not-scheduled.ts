/** The DaemonSetNotScheduled rule: every node that should run a DaemonSet's pod has one. */
import type { RuleFinding } from '../rule';
import { defineRule, MINUTE } from '../rule';
import type { RolloutCause } from './cause';
import { describeCause, diagnose } from './cause';
import { kubectlIn } from './commands';
import { rolloutEvidence } from './report';
import {
  daemonSetRollout,
  qualifiedName,
  sinceFrom,
  subjectOf,
  workloadsOfKind,
} from './workloads';
import { numberOf, wasText, workloadName } from '../last-finding';

/** Every node that should run a DaemonSet's pod has one. */
export const DaemonSetNotScheduled = defineRule({
  id: 'DaemonSetNotScheduled',
  title: 'DaemonSet pods missing on nodes',
  description:
    'Every node that should run a DaemonSet pod has one (currentNumberScheduled equals desiredNumberScheduled).',
  category: 'rollout',
  severity: 'warning',
  forSeconds: 10 * MINUTE,
  dates: 'notScheduled',
  needs: ['daemonsets'],
  resolved: (last) => {
    const current = numberOf(last, 'currentNumberScheduled');
    const desired = numberOf(last, 'desiredNumberScheduled');
    const missing = numberOf(last, 'missingPods');
    return `DaemonSet ${workloadName(last.subject)} no longer misses pods on nodes${wasText([
      current !== undefined && desired !== undefined
        ? `on ${current} of ${desired} nodes`
        : undefined,
      missing !== undefined ? `${missing} missing` : undefined,
    ])}`;
  },
  materialKeys: ['desiredNumberScheduled', 'cause.kind', 'cause.reason', 'cause.image'],
  evaluate(snapshot, ctx) {
    const findings: RuleFinding[] = [];
    for (const ds of workloadsOfKind(snapshot, 'DaemonSet')) {
      const missing = ds.desiredNumberScheduled - ds.currentNumberScheduled;
      if (missing <= 0) continue;
      const view = daemonSetRollout(snapshot, ds);
      const cause = diagnose(view, {}, ctx.now);
      const existing = view.pods?.length ?? 0;
      const evidence = rolloutEvidence(view, cause);
      // The controller reports pods it failed to create only as FailedCreate events.
      const events = `${kubectlIn(ds.namespace)} get events --field-selector involvedObject.name=${ds.name},reason=FailedCreate`;
      findings.push({
        subject: subjectOf(ds),
        summary:
          `DaemonSet ${qualifiedName(ds)} runs on ${ds.currentNumberScheduled} of ${ds.desiredNumberScheduled} nodes that should run it ` +
          `(${missing} missing): ${whyMissing(cause, existing)}.`,
        details: {
          desiredNumberScheduled: ds.desiredNumberScheduled,
          currentNumberScheduled: ds.currentNumberScheduled,
          missingPods: missing,
          numberAvailable: ds.numberAvailable,
          ...evidence,
          commands: [events, ...(evidence['commands'] as string[])],
        },
        ...sinceFrom(ds, 'notScheduled', cause.since),
      });
    }
    return findings;
  },
});

/**
 * The pods that exist explain little about the ones that do not: the DaemonSet controller reports
 * a pod it failed to create (quota, PodSecurity, an admission webhook) only as a FailedCreate event.
 */
function whyMissing(cause: RolloutCause, existing: number): string {
  const events =
    'its FailedCreate events say why the DaemonSet controller could not create the others';
  if (cause.kind !== 'Unknown') return `${describeCause(cause)}; ${events}`;
  if (!cause.podsChecked)
    return `${cause.podsNotRead ?? 'its pods were not read'}, so what the existing pods do is unknown; ${events}`;
  if (existing === 0) return `it has no pods yet; ${events}`;
  return `the existing pods show no error; ${events}`;
}
