/**
 * The DaemonSetMisScheduled rule: no DaemonSet pod runs on a node its node selector, affinity or
 * tolerations exclude (numberMisscheduled is 0).
 */
import { defineRule, MINUTE } from '../rule';
import { plural } from '../text';
import { kubectlIn, selectorFlag } from './commands';
import { qualifiedName, sinceFrom, subjectOf, workloadsOfKind } from './workloads';
import { countText, numberOf, wasText, workloadName } from '../last-finding';

/** No DaemonSet pod runs on a node its node selector, affinity or tolerations exclude. */
export const DaemonSetMisScheduled = defineRule({
  id: 'DaemonSetMisScheduled',
  title: 'DaemonSet pods on nodes that should not run them',
  description:
    'No DaemonSet pod runs on a node its node selector, affinity or tolerations exclude (numberMisscheduled is 0).',
  category: 'rollout',
  severity: 'warning',
  forSeconds: 15 * MINUTE,
  dates: 'misscheduled',
  needs: ['daemonsets'],
  resolved: (last) =>
    `DaemonSet ${workloadName(last.subject)} no longer runs on nodes it should not${wasText([countText(numberOf(last, 'numberMisscheduled'), 'node')])}`,
  evaluate(snapshot) {
    return workloadsOfKind(snapshot, 'DaemonSet')
      .filter((ds) => ds.numberMisscheduled > 0)
      .map((ds) => {
        const k = kubectlIn(ds.namespace);
        return {
          subject: subjectOf(ds),
          ...sinceFrom(ds, 'misscheduled', undefined),
          summary:
            `DaemonSet ${qualifiedName(ds)} runs on ${plural(ds.numberMisscheduled, 'node')} it should not run on: ` +
            'a node label, taint or the DaemonSet’s node selector changed after the pods started. ' +
            'Fix the labels or tolerations, or delete those pods.',
          details: {
            numberMisscheduled: ds.numberMisscheduled,
            desiredNumberScheduled: ds.desiredNumberScheduled,
            currentNumberScheduled: ds.currentNumberScheduled,
            commands: [
              `${k} get pods${selectorFlag(ds.selector)} -o wide`,
              `${k} get daemonset ${ds.name} -o jsonpath='{.spec.template.spec.nodeSelector} {.spec.template.spec.affinity} {.spec.template.spec.tolerations}'`,
              'kubectl get nodes --show-labels',
              'kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints',
            ],
          },
        };
      });
  },
});
