/** The DeploymentGenerationMismatch rule: its controller has observed each Deployment's spec. */
import { defineRule, MINUTE } from '../rule';
import { generationMismatch } from './generation';
import { workloadsOfKind } from './workloads';
import { generationResolved } from './generation';

/** The deployment controller has observed the latest spec of every Deployment (status.observedGeneration equals metadata.generation). */
export const DeploymentGenerationMismatch = defineRule({
  id: 'DeploymentGenerationMismatch',
  title: 'Deployment controller behind its spec',
  description:
    'The deployment controller has observed the latest spec of every Deployment (status.observedGeneration equals metadata.generation).',
  category: 'rollout',
  severity: 'critical',
  forSeconds: 10 * MINUTE,
  dates: 'generationMismatch',
  needs: ['deployments'],
  resolved: generationResolved,
  evaluate(snapshot) {
    return workloadsOfKind(snapshot, 'Deployment').flatMap((w) =>
      generationMismatch(w, snapshot.provider),
    );
  },
});
