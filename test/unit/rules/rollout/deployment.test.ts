import type { DeploymentInfo } from '../../../../lib/rules';
import { DeploymentReplicasMismatch } from '../../../../lib/rules/rollout/deployment-replicas-mismatch';
import { DeploymentRolloutStuck } from '../../../../lib/rules/rollout/deployment-rollout-stuck';
import {
  cond,
  containerInfo,
  deploymentInfo,
  findingsOf,
  MISSING,
  minutesAgo,
  podInfo,
  replicaSetInfo,
  snapshotWith,
  waitingContainer,
} from './support/model';

const deadline = cond('Progressing', 'False', {
  reason: 'ProgressDeadlineExceeded',
  message: 'ReplicaSet "web-7c9d8f6b5" has timed out progressing.',
  lastTransitionTime: minutesAgo(21),
  lastUpdateTime: minutesAgo(21),
});

const oldRs = replicaSetInfo({
  name: 'web-5d4b7f8c9d',
  revision: '6',
  replicas: 5,
  readyReplicas: 5,
  availableReplicas: 5,
  images: ['shop/web:2.3.0'],
  createdAt: minutesAgo(30_000),
});
const newRs = replicaSetInfo({
  name: 'web-7c9d8f6b5',
  revision: '7',
  replicas: 3,
  createdAt: minutesAgo(31),
});

const oldPods = [0, 1, 2, 3, 4].map((i) =>
  podInfo({
    name: `web-5d4b7f8c9d-old${i}`,
    owner: { kind: 'ReplicaSet', name: 'web-5d4b7f8c9d' },
    labels: { app: 'web', 'pod-template-hash': '5d4b7f8c9d' },
    containers: [containerInfo({ image: 'shop/web:2.3.0' })],
  }),
);

const pullingPods = [0, 1, 2].map((i) =>
  podInfo({
    name: `web-7c9d8f6b5-new${i}`,
    phase: 'Pending',
    createdAt: minutesAgo(31),
    containers: [
      i === 0
        ? waitingContainer(
            'ErrImagePull',
            'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/shop/web:2.3.1": failed to resolve reference "docker.io/shop/web:2.3.1": docker.io/shop/web:2.3.1: not found',
          )
        : waitingContainer('ImagePullBackOff', 'Back-off pulling image "shop/web:2.3.1"'),
    ],
  }),
);

/** shop/web mid-rollout to revision 7: 5 old pods serving, 3 new pods as given. */
function rollout(d: Partial<DeploymentInfo>, newPods = pullingPods, extra = {}) {
  return snapshotWith({
    workloads: [
      deploymentInfo({
        updatedReplicas: newPods.length,
        readyReplicas: 5,
        availableReplicas: 5,
        unavailableReplicas: 3,
        conditions: [cond('Available', 'True'), deadline],
        ...d,
      }),
    ],
    replicaSets: [oldRs, newRs],
    pods: [...oldPods, ...newPods],
    ...extra,
  });
}

describe('DeploymentRolloutStuck', () => {
  it.each([
    ['Progressing=False ProgressDeadlineExceeded', true, {}],
    ['paused, even with the deadline condition', false, { paused: true }],
    ['scaled to 0', false, { replicas: 0 }],
    [
      'Progressing=True ReplicaSetUpdated',
      false,
      { conditions: [cond('Progressing', 'True', { reason: 'ReplicaSetUpdated' })] },
    ],
    [
      'Progressing=False with another reason',
      false,
      { conditions: [cond('Progressing', 'False', { reason: 'SomethingElse' })] },
    ],
    ['no conditions at all', false, { conditions: [] }],
  ] as const)('%s → fires %s', (_case, fires, overrides) => {
    const findings = findingsOf(
      DeploymentRolloutStuck,
      rollout(overrides as Partial<DeploymentInfo>),
    );
    expect(findings).toHaveLength(fires ? 1 : 0);
  });

  it('names the revision, the image that cannot be pulled and the old pods still serving', () => {
    const [finding] = findingsOf(DeploymentRolloutStuck, rollout({}));
    expect(finding?.summary).toBe(
      'Rollout of shop/web to revision 7 is stuck: 3 new pods in ImagePullBackOff (image shop/web:2.3.1 not found); 5/5 old pods still serve.',
    );
    expect(finding).toMatchObject({
      severity: 'critical',
      forSeconds: 0,
      subject: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      since: minutesAgo(21),
      details: {
        revision: '7',
        newReplicaSet: 'web-7c9d8f6b5',
        oldPods: { ready: 5, total: 5 },
        cause: { kind: 'ImagePull', scope: 'new', image: 'shop/web:2.3.1', podCount: 3 },
      },
    });
    expect(finding?.details['commands']).toEqual(
      expect.arrayContaining([
        'kubectl -n shop rollout status deployment/web --watch=false',
        'kubectl -n shop describe pod web-7c9d8f6b5-new0',
      ]),
    );
  });

  it('prefers a ReplicaFailure (quota) over what the pods do', () => {
    const quotaRs = {
      ...newRs,
      conditions: [
        cond('ReplicaFailure', 'True', {
          reason: 'FailedCreate',
          message:
            'pods "web-7c9d8f6b5-" is forbidden: exceeded quota: compute-resources, requested: limits.cpu=2, used: limits.cpu=8, limited: limits.cpu=8',
        }),
      ],
    };
    const snapshot = { ...rollout({}), replicaSets: [oldRs, quotaRs] };
    const [finding] = findingsOf(DeploymentRolloutStuck, snapshot);
    expect(finding?.details['cause']).toMatchObject({
      kind: 'Quota',
      quota: 'compute-resources',
      reportedBy: 'ReplicaSet web-7c9d8f6b5',
    });
    expect(finding?.details['commands']).toContain(
      'kubectl -n shop describe resourcequota compute-resources',
    );
  });

  it('calls a ReplicaFailure without quota in its message CreateFailed', () => {
    const failing = cond('ReplicaFailure', 'True', {
      reason: 'FailedCreate',
      message:
        'pods "web-7c9d8f6b5-x" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false',
    });
    const snapshot = rollout({ conditions: [deadline, failing] }, []);
    const [finding] = findingsOf(DeploymentRolloutStuck, snapshot);
    expect(finding?.details['cause']).toMatchObject({ kind: 'CreateFailed' });
    expect(finding?.summary).toContain('violates PodSecurity');
  });

  it('still decides without pods, and says in the cause that it could not look at them', () => {
    const snapshot = rollout({}, pullingPods, { parts: { pods: MISSING } });
    const [finding] = findingsOf(DeploymentRolloutStuck, snapshot);
    expect(finding?.details['cause']).toMatchObject({
      kind: 'ProgressDeadline',
      limitations: ['pods were not collected (no pods in the input)'],
    });
    // Without pods the old ReplicaSets' status still tells how many old pods serve.
    expect(finding?.details['oldPods']).toEqual({ ready: 5, total: 5 });
  });

  it('claims nothing about pods when the input has none of its namespace', () => {
    const elsewhere = podInfo({ namespace: 'kube-system', name: 'kube-proxy-a' });
    const snapshot = snapshotWith({
      workloads: [
        deploymentInfo({
          updatedReplicas: 1,
          readyReplicas: 5,
          availableReplicas: 5,
          conditions: [cond('Available', 'True'), deadline],
        }),
      ],
      replicaSets: [oldRs, newRs],
      pods: [elsewhere],
    });
    const [finding] = findingsOf(DeploymentRolloutStuck, snapshot);
    expect(finding?.details['cause']).toMatchObject({
      kind: 'ProgressDeadline',
      podsChecked: false,
      podsNotRead:
        'pods in namespace shop were not read (the snapshot has none; add `kubectl get pods -n shop -o json` output)',
    });
    expect(finding?.summary).not.toContain('no pod shows an error');
  });

  it('finds the pods through the selector when ReplicaSets were not collected', () => {
    const unresolved = [...oldPods, ...pullingPods].map(({ workload: _w, ...p }) => p);
    const snapshot = snapshotWith({
      workloads: [deploymentInfo({ conditions: [deadline], availableReplicas: 5 })],
      pods: unresolved,
      parts: { replicasets: MISSING },
    });
    const [finding] = findingsOf(DeploymentRolloutStuck, snapshot);
    expect(finding?.details['cause']).toMatchObject({
      kind: 'ImagePull',
      scope: 'all',
      podCount: 3,
    });
  });

  it.each([
    ['CrashLoopBackOff', 'CrashLoop'],
    ['CreateContainerConfigError', 'ConfigError'],
    ['CreateContainerError', 'ConfigError'],
    ['InvalidImageName', 'ImagePull'],
    ['ContainerCreating', 'ProgressDeadline'],
  ])('a new pod waiting in %s gives cause %s', (reason, kind) => {
    const pods = [podInfo({ name: 'web-7c9d8f6b5-a', containers: [waitingContainer(reason)] })];
    const [finding] = findingsOf(DeploymentRolloutStuck, rollout({}, pods));
    expect(finding?.details['cause']).toMatchObject({ kind });
  });

  it('reports the most common problem among the new pods', () => {
    const unschedulable = (name: string) =>
      podInfo({
        name,
        phase: 'Pending',
        containers: [],
        conditions: [
          cond('PodScheduled', 'False', {
            reason: 'Unschedulable',
            message:
              '0/6 nodes are available: 6 Insufficient cpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.',
          }),
        ],
      });
    const pods = [
      unschedulable('web-7c9d8f6b5-a'),
      unschedulable('web-7c9d8f6b5-b'),
      podInfo({ name: 'web-7c9d8f6b5-c', containers: [waitingContainer('ImagePullBackOff')] }),
    ];
    const [finding] = findingsOf(DeploymentRolloutStuck, rollout({}, pods));
    expect(finding?.details['cause']).toMatchObject({ kind: 'Unschedulable', podCount: 2 });
    expect(finding?.summary).toContain(
      '2 new pods cannot be scheduled (0/6 nodes are available: 6 Insufficient cpu)',
    );
  });
});

describe('DeploymentReplicasMismatch', () => {
  it.each([
    // [replicas, available, severity, updated]
    [5, 5, undefined, 5],
    [5, 4, 'warning', 5],
    [5, 1, 'warning', 5],
    [5, 0, 'critical', 5],
    [1, 0, 'critical', 1],
    [0, 0, undefined, 0], // scaled to 0 is quiet
    [3, 5, undefined, 3], // surge pods during a rollout
  ] as const)('%i wanted, %i available → %s', (replicas, available, severity, updated) => {
    const snapshot = snapshotWith({
      workloads: [
        deploymentInfo({ replicas, availableReplicas: available, updatedReplicas: updated }),
      ],
    });
    const findings = findingsOf(DeploymentReplicasMismatch, snapshot);
    if (severity === undefined) expect(findings).toHaveLength(0);
    else
      expect(findings).toMatchObject([
        { severity, details: { replicas, availableReplicas: available } },
      ]);
  });

  it('says a paused Deployment is paused, in the cause and in details', () => {
    const snapshot = snapshotWith({
      workloads: [deploymentInfo({ paused: true, availableReplicas: 3, updatedReplicas: 0 })],
      replicaSets: [newRs],
      pods: [podInfo({ name: 'web-7c9d8f6b5-a' })],
    });
    const [finding] = findingsOf(DeploymentReplicasMismatch, snapshot);
    expect(finding).toMatchObject({
      severity: 'warning',
      details: { paused: true, cause: { kind: 'Paused' } },
    });
    expect(finding?.summary).toContain('kubectl -n shop rollout resume deployment/web');
  });

  it.each([
    [
      'the Available=False transition',
      [cond('Available', 'False', { lastTransitionTime: minutesAgo(45) })],
      3,
      minutesAgo(45),
    ],
    ['the new ReplicaSet creation mid-rollout', [cond('Available', 'True')], 3, minutesAgo(31)],
    ['the pod problem when no rollout runs', [cond('Available', 'True')], 5, minutesAgo(20)],
  ])('dates the finding from %s', (_case, conditions, updatedReplicas, since) => {
    const snapshot = snapshotWith({
      workloads: [deploymentInfo({ conditions, availableReplicas: 2, updatedReplicas })],
      replicaSets: [oldRs, newRs],
      pods: pullingPods.map((p) => ({ ...p, createdAt: minutesAgo(20) })),
    });
    expect(findingsOf(DeploymentReplicasMismatch, snapshot)[0]?.since).toBe(since);
  });

  it('says how many old pods still serve during a broken rollout', () => {
    const snapshot = rollout({ availableReplicas: 4, conditions: [cond('Available', 'True')] });
    const [finding] = findingsOf(DeploymentReplicasMismatch, snapshot);
    expect(finding?.summary).toBe(
      'Deployment shop/web has 4 of 5 replicas available while rolling out revision 7: 3 new pods in ImagePullBackOff (image shop/web:2.3.1 not found); 5/5 old pods still serve.',
    );
  });
});
