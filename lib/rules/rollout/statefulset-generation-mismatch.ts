/** The StatefulSetGenerationMismatch rule: its controller has observed each StatefulSet's spec. */
import { defineRule, MINUTE } from '../rule';
import { generationMismatch } from './generation';
import { workloadsOfKind } from './workloads';
import { generationResolved } from './generation';

/** The statefulset controller has observed the latest spec of every StatefulSet (status.observedGeneration equals metadata.generation). */
export const StatefulSetGenerationMismatch = defineRule({
  id: 'StatefulSetGenerationMismatch',
  title: 'StatefulSet controller behind its spec',
  description:
    'The statefulset controller has observed the latest spec of every StatefulSet (status.observedGeneration equals metadata.generation).',
  category: 'rollout',
  severity: 'critical',
  forSeconds: 10 * MINUTE,
  dates: 'generationMismatch',
  needs: ['statefulsets'],
  resolved: generationResolved,
  evaluate(snapshot) {
    return workloadsOfKind(snapshot, 'StatefulSet').flatMap((w) =>
      generationMismatch(w, snapshot.provider),
    );
  },
});
