import type { Workload } from '../../../../lib/rules';
import { DaemonSetGenerationMismatch } from '../../../../lib/rules/rollout/daemonset-generation-mismatch';
import { DeploymentGenerationMismatch } from '../../../../lib/rules/rollout/deployment-generation-mismatch';
import { StatefulSetGenerationMismatch } from '../../../../lib/rules/rollout/statefulset-generation-mismatch';
import {
  daemonSetInfo,
  deploymentInfo,
  findingsOf,
  snapshotWith,
  statefulSetInfo,
} from './support/model';

const kinds = [
  ['Deployment', DeploymentGenerationMismatch, deploymentInfo],
  ['StatefulSet', StatefulSetGenerationMismatch, statefulSetInfo],
  ['DaemonSet', DaemonSetGenerationMismatch, daemonSetInfo],
] as const;

const cases = [
  // [generation, observedGeneration, fires]
  [5, 5, false],
  [5, 4, true],
  [5, 6, false], // observed ahead only happens mid-update of the status; nothing lags
  [5, undefined, true], // the controller never wrote a status
  [undefined, 3, false], // the source gives no generation: not judged
] as const;

describe.each(kinds)('%sGenerationMismatch', (kind, rule, build) => {
  it.each(cases)(
    'generation %p, observed %p → fires %p',
    (generation, observedGeneration, fires) => {
      const workload = build({ generation, observedGeneration }) as Workload;
      const findings = findingsOf(rule, snapshotWith({ workloads: [workload] }));
      expect(findings).toHaveLength(fires ? 1 : 0);
      if (fires)
        expect(findings[0]).toMatchObject({
          severity: 'critical',
          forSeconds: 600,
          subject: { kind, namespace: workload.namespace, name: workload.name },
          details: { generation, observedGeneration: observedGeneration ?? null },
        });
    },
  );

  it('dates a never-observed first generation from the creation time, and nothing else', () => {
    const createdAt = '2026-11-20T06:00:00Z';
    const since = (generation: number, observedGeneration?: number): unknown =>
      findingsOf(
        rule,
        snapshotWith({
          workloads: [build({ generation, observedGeneration, createdAt }) as Workload],
        }),
      )[0]?.since;
    expect(since(1)).toBe(createdAt);
    // A later spec change happened at an unknown time after creation.
    expect(since(2)).toBeUndefined();
    expect(since(3, 2)).toBeUndefined();
  });

  it('points at the kube-controller-manager pods only where they can be seen', () => {
    const workload = build({ generation: 3, observedGeneration: 2 }) as Workload;
    const selfManaged = findingsOf(rule, snapshotWith({ workloads: [workload] }))[0];
    const eks = findingsOf(rule, snapshotWith({ workloads: [workload], provider: 'eks' }))[0];
    const logs = 'kubectl -n kube-system logs -l component=kube-controller-manager --tail=200';
    expect(selfManaged?.details['commands']).toContain(logs);
    expect(eks?.details['commands']).not.toContain(logs);
    expect(eks?.summary).toContain('CloudWatch Logs');
  });
});

it('ignores workloads of the other kinds', () => {
  const snapshot = snapshotWith({
    workloads: [statefulSetInfo({ generation: 4, observedGeneration: 3 })],
  });
  expect(findingsOf(DeploymentGenerationMismatch, snapshot)).toEqual([]);
  expect(findingsOf(DaemonSetGenerationMismatch, snapshot)).toEqual([]);
});
