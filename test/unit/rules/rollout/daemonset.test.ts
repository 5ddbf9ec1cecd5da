import type { DaemonSetInfo, PodInfo } from '../../../../lib/rules';
import { DaemonSetMisScheduled } from '../../../../lib/rules/rollout/daemonset-misscheduled';
import { DaemonSetNotScheduled } from '../../../../lib/rules/rollout/daemonset-not-scheduled';
import { DaemonSetRolloutStuck } from '../../../../lib/rules/rollout/daemonset-rollout-stuck';
import {
  containerInfo,
  daemonSetInfo,
  findingsOf,
  minutesAgo,
  podInfo,
  snapshotWith,
  waitingContainer,
} from './support/model';

const OLD = { generation: '3', hash: '6d5c8b9f7d' };
const NEW = { generation: '4', hash: '84f6c9b5d7' };

/** One fluent-bit pod per node; the first `updated` at the new template. */
function fluentPods(nodes: number, updated: number, brokenNew = false): PodInfo[] {
  return Array.from({ length: nodes }, (_, i) => {
    const rev = i < updated ? NEW : OLD;
    return podInfo({
      namespace: 'kube-system',
      name: `fluent-bit-${i}`,
      nodeName: `node-${i}`,
      owner: { kind: 'DaemonSet', name: 'fluent-bit' },
      workload: { kind: 'DaemonSet', name: 'fluent-bit' },
      labels: {
        'app.kubernetes.io/name': 'fluent-bit',
        'controller-revision-hash': rev.hash,
        'pod-template-generation': rev.generation,
      },
      containers: [
        i < updated && brokenNew
          ? waitingContainer('ImagePullBackOff', 'Back-off pulling image "fluent-bit:9.9"', {
              name: 'fluent-bit',
            })
          : containerInfo({ name: 'fluent-bit' }),
      ],
    });
  });
}

describe('DaemonSetRolloutStuck', () => {
  it.each([
    // [case, overrides, severity]
    ['all updated and available', {}, undefined],
    [
      'nothing desired',
      {
        desiredNumberScheduled: 0,
        currentNumberScheduled: 0,
        updatedNumberScheduled: 0,
        numberAvailable: 0,
      },
      undefined,
    ],
    ['update behind', { updatedNumberScheduled: 2 }, 'warning'],
    ['available behind', { numberAvailable: 5 }, 'warning'],
    ['OnDelete, all available', { updateStrategy: 'OnDelete', updatedNumberScheduled: 1 }, 'info'],
    [
      'OnDelete, one unavailable',
      { updateStrategy: 'OnDelete', updatedNumberScheduled: 1, numberAvailable: 5 },
      'warning',
    ],
  ] as const)('%s → %s', (_case, overrides, severity) => {
    const snapshot = snapshotWith({
      workloads: [daemonSetInfo(overrides as Partial<DaemonSetInfo>)],
    });
    const findings = findingsOf(DaemonSetRolloutStuck, snapshot);
    if (severity === undefined) expect(findings).toEqual([]);
    else expect(findings).toMatchObject([{ severity }]);
  });

  it('finds the new revision from pod-template-generation and names the broken new pod', () => {
    const snapshot = snapshotWith({
      workloads: [daemonSetInfo({ updatedNumberScheduled: 1, numberAvailable: 5, numberReady: 5 })],
      pods: fluentPods(6, 1, true),
    });
    const [finding] = findingsOf(DaemonSetRolloutStuck, snapshot);
    expect(finding?.details).toMatchObject({
      revision: NEW.hash,
      oldPods: { ready: 5, total: 5 },
      cause: { kind: 'ImagePull', scope: 'new', pods: ['fluent-bit-0'] },
    });
  });

  it('dates a rollout from its first new pod, and a breakage without rollout from the pod problem', () => {
    const rolling = fluentPods(6, 2).map((p, i) =>
      i < 2 ? { ...p, createdAt: minutesAgo(25 - i) } : p,
    );
    const rollout = snapshotWith({
      workloads: [daemonSetInfo({ updatedNumberScheduled: 2 })],
      pods: rolling,
    });
    expect(findingsOf(DaemonSetRolloutStuck, rollout)[0]?.since).toBe(minutesAgo(25));

    const crashing = fluentPods(6, 6).map((p, i) =>
      i === 0
        ? {
            ...p,
            containers: [
              waitingContainer('CrashLoopBackOff', undefined, {
                name: 'fluent-bit',
                restartCount: 3,
                lastTermination: { exitCode: 139, reason: 'Error', finishedAt: minutesAgo(4) },
              }),
            ],
          }
        : p,
    );
    const broken = snapshotWith({
      workloads: [daemonSetInfo({ numberAvailable: 5 })],
      pods: crashing,
    });
    expect(findingsOf(DaemonSetRolloutStuck, broken)[0]?.since).toBe(minutesAgo(4));
  });

  it('treats every pod as old while no pod runs the new template', () => {
    const snapshot = snapshotWith({
      workloads: [daemonSetInfo({ updateStrategy: 'OnDelete', updatedNumberScheduled: 0 })],
      pods: fluentPods(6, 0),
    });
    const [finding] = findingsOf(DaemonSetRolloutStuck, snapshot);
    expect(finding).toMatchObject({
      severity: 'info',
      details: { cause: { kind: 'OnDeleteWaiting', podCount: 6 } },
    });
    expect(finding?.details['revision']).toBeUndefined();
    expect(finding?.summary).toContain('wait for manual deletion');
  });
});

describe('DaemonSetNotScheduled', () => {
  it.each([
    [6, 6, 0],
    [6, 4, 2],
    [6, 7, 0], // more scheduled than desired is DaemonSetMisScheduled's business
  ])('desired %i, scheduled %i → %i missing', (desired, current, missing) => {
    const snapshot = snapshotWith({
      workloads: [
        daemonSetInfo({ desiredNumberScheduled: desired, currentNumberScheduled: current }),
      ],
    });
    const findings = findingsOf(DaemonSetNotScheduled, snapshot);
    if (missing === 0) expect(findings).toEqual([]);
    else
      expect(findings).toMatchObject([
        { severity: 'warning', forSeconds: 600, details: { missingPods: missing } },
      ]);
  });

  it('points at the FailedCreate events, where the controller says why', () => {
    const snapshot = snapshotWith({
      workloads: [daemonSetInfo({ currentNumberScheduled: 4 })],
      pods: fluentPods(4, 4),
    });
    const [finding] = findingsOf(DaemonSetNotScheduled, snapshot);
    expect(finding?.details['commands']).toContain(
      'kubectl -n kube-system get events --field-selector involvedObject.name=fluent-bit,reason=FailedCreate',
    );
    expect(finding?.summary).toContain('the existing pods show no error');
  });

  it.each([
    // [case, currentNumberScheduled, pods in the snapshot, podsChecked, claim about pods]
    ['none of its pods in the input', 4, [], false, 'were not read'],
    ['no pod created yet', 0, [], true, 'it has no pods yet'],
    ['its pods read, none failing', 4, fluentPods(4, 4), true, 'the existing pods show no error'],
  ] as const)('%s → says so', (_case, current, pods, podsChecked, claim) => {
    const snapshot = snapshotWith({
      workloads: [
        daemonSetInfo({
          currentNumberScheduled: current,
          updatedNumberScheduled: current,
          numberAvailable: current,
          numberReady: current,
        }),
      ],
      pods,
    });
    const [finding] = findingsOf(DaemonSetNotScheduled, snapshot);
    expect(finding?.details['cause']).toMatchObject({ kind: 'Unknown', podsChecked });
    expect(finding?.summary).toContain(claim);
    if (!podsChecked) expect(finding?.summary).not.toContain('show no error');
  });
});

describe('DaemonSetMisScheduled', () => {
  it.each([
    [0, false],
    [1, true],
    [3, true],
  ])('%i misscheduled → fires %s', (numberMisscheduled, fires) => {
    const snapshot = snapshotWith({ workloads: [daemonSetInfo({ numberMisscheduled })] });
    const findings = findingsOf(DaemonSetMisScheduled, snapshot);
    expect(findings).toHaveLength(fires ? 1 : 0);
    if (fires)
      expect(findings[0]).toMatchObject({
        severity: 'warning',
        subject: { kind: 'DaemonSet', namespace: 'kube-system', name: 'fluent-bit' },
        details: { numberMisscheduled },
      });
  });
});
