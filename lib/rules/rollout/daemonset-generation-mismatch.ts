/** The DaemonSetGenerationMismatch rule: its controller has observed each DaemonSet's spec. */
import { defineRule, MINUTE } from '../rule';
import { generationMismatch } from './generation';
import { workloadsOfKind } from './workloads';
import { generationResolved } from './generation';

/** The daemonset controller has observed the latest spec of every DaemonSet (status.observedGeneration equals metadata.generation). */
export const DaemonSetGenerationMismatch = defineRule({
  id: 'DaemonSetGenerationMismatch',
  title: 'DaemonSet controller behind its spec',
  description:
    'The daemonset controller has observed the latest spec of every DaemonSet (status.observedGeneration equals metadata.generation).',
  category: 'rollout',
  severity: 'critical',
  forSeconds: 10 * MINUTE,
  dates: 'generationMismatch',
  needs: ['daemonsets'],
  resolved: generationResolved,
  evaluate(snapshot) {
    return workloadsOfKind(snapshot, 'DaemonSet').flatMap((w) =>
      generationMismatch(w, snapshot.provider),
    );
  },
});
