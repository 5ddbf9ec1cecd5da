import type { ClusterSnapshot, StatefulSetInfo } from '../../../../lib/rules';
import { StatefulSetReplicasMismatch } from '../../../../lib/rules/rollout/statefulset-replicas-mismatch';
import { StatefulSetUpdateNotRolledOut } from '../../../../lib/rules/rollout/statefulset-update-not-rolled-out';
import {
  containerInfo,
  findingsOf,
  MISSING,
  minutesAgo,
  podInfo,
  snapshotWith,
  statefulSetInfo,
  waitingContainer,
} from './support/model';

const OLD = 'postgres-5f4c8d9b7c';
const NEW = 'postgres-6b7d8c9f5d';

/** Pods postgres-0..n-1; the highest `updated` ordinals at the new revision. */
function postgresPods(count: number, updated: number, broken = false) {
  return Array.from({ length: count }, (_, ordinal) => {
    const isNew = ordinal >= count - updated;
    return podInfo({
      namespace: 'db',
      name: `postgres-${ordinal}`,
      owner: { kind: 'StatefulSet', name: 'postgres' },
      workload: { kind: 'StatefulSet', name: 'postgres' },
      labels: { app: 'postgres', 'controller-revision-hash': isNew ? NEW : OLD },
      createdAt: isNew ? minutesAgo(40) : minutesAgo(50_000),
      containers: [
        isNew && broken
          ? waitingContainer('CrashLoopBackOff', undefined, {
              name: 'postgres',
              restartCount: 9,
              lastTermination: { exitCode: 1, reason: 'Error' },
            })
          : containerInfo({ name: 'postgres', image: isNew ? 'postgres:16.4' : 'postgres:16.3' }),
      ],
    });
  });
}

describe('StatefulSetReplicasMismatch', () => {
  it.each([
    // [replicas, ready, severity]
    [3, 3, undefined],
    [3, 2, 'warning'],
    [3, 0, 'critical'],
    [0, 0, undefined],
    [1, 0, 'critical'],
  ] as const)('%i wanted, %i ready → %s', (replicas, readyReplicas, severity) => {
    const snapshot = snapshotWith({ workloads: [statefulSetInfo({ replicas, readyReplicas })] });
    const findings = findingsOf(StatefulSetReplicasMismatch, snapshot);
    if (severity === undefined) expect(findings).toEqual([]);
    else expect(findings).toMatchObject([{ severity, details: { replicas, readyReplicas } }]);
  });

  it('names the pod that keeps the set short', () => {
    const snapshot = snapshotWith({
      workloads: [statefulSetInfo({ readyReplicas: 2, updateRevision: NEW, currentRevision: NEW })],
      pods: postgresPods(3, 3).map((p) =>
        p.name === 'postgres-1'
          ? {
              ...p,
              containers: [
                waitingContainer('CreateContainerConfigError', 'secret "pg-auth" not found', {
                  name: 'postgres',
                }),
              ],
            }
          : p,
      ),
    });
    const [finding] = findingsOf(StatefulSetReplicasMismatch, snapshot);
    expect(finding?.details['cause']).toMatchObject({
      kind: 'ConfigError',
      pods: ['postgres-1'],
      scope: 'all',
    });
    expect(finding?.details['commands']).toContain('kubectl -n db get secret pg-auth');
  });
});

describe('StatefulSetUpdateNotRolledOut', () => {
  const rolling = (o: Partial<StatefulSetInfo>): StatefulSetInfo =>
    statefulSetInfo({ currentRevision: OLD, updateRevision: NEW, updatedReplicas: 1, ...o });

  it.each([
    ['revisions equal', { currentRevision: NEW, updatedReplicas: 3 }, undefined],
    ['all replicas updated, revision not yet swapped', { updatedReplicas: 3 }, undefined],
    ['revisions unknown', { currentRevision: undefined, updateRevision: undefined }, undefined],
    ['RollingUpdate halfway', {}, 'warning'],
    ['OnDelete waiting', { updateStrategy: 'OnDelete', updatedReplicas: 0 }, 'info'],
    ['partition 2 reached', { partition: 2, updatedReplicas: 1 }, 'info'],
    ['partition 1 not reached', { partition: 1, updatedReplicas: 1 }, 'warning'],
  ] as const)('%s → %s', (_case, overrides, severity) => {
    const snapshot = snapshotWith({
      workloads: [rolling(overrides as Partial<StatefulSetInfo>)],
      pods: postgresPods(3, 'updatedReplicas' in overrides ? (overrides.updatedReplicas ?? 1) : 1),
    });
    const findings = findingsOf(StatefulSetUpdateNotRolledOut, snapshot);
    if (severity === undefined) expect(findings).toEqual([]);
    else expect(findings).toMatchObject([{ severity }]);
  });

  it('OnDelete with a broken updated pod is a real problem, not the info form', () => {
    const snapshot = snapshotWith({
      workloads: [rolling({ updateStrategy: 'OnDelete', readyReplicas: 2 })],
      pods: postgresPods(3, 1, true),
    });
    const [finding] = findingsOf(StatefulSetUpdateNotRolledOut, snapshot);
    expect(finding).toMatchObject({
      severity: 'warning',
      details: { cause: { kind: 'CrashLoop', scope: 'new', pods: ['postgres-2'] } },
    });
  });

  it('tells which pod to delete first under OnDelete, by ordinal', () => {
    const snapshot = snapshotWith({
      workloads: [rolling({ updateStrategy: 'OnDelete', replicas: 11, updatedReplicas: 0 })],
      pods: postgresPods(11, 0),
    });
    const [finding] = findingsOf(StatefulSetUpdateNotRolledOut, snapshot);
    expect(finding?.details['cause']).toMatchObject({ kind: 'OnDeleteWaiting', podCount: 11 });
    expect(finding?.summary).toContain('kubectl -n db delete pod postgres-10.');
  });

  it.each([
    ['OnDelete', { updateStrategy: 'OnDelete' }, 'OnDeleteWaiting'],
    ['partition 2', { partition: 2 }, 'Partitioned'],
  ] as const)(
    '%s with no pods of the set in the input: counts old pods from status, names no pod',
    (_case, overrides, kind) => {
      // Pods were read, but only another namespace's: db's pods were not.
      const elsewhere = podInfo({ namespace: 'tools', name: 'toolbox' });
      const snapshot = snapshotWith({
        workloads: [rolling({ ...overrides, updatedReplicas: 1, currentReplicas: 2 })],
        pods: [elsewhere],
      });
      const [finding] = findingsOf(StatefulSetUpdateNotRolledOut, snapshot);
      expect(finding).toMatchObject({
        severity: 'info',
        details: {
          cause: {
            kind,
            podCount: 2,
            pods: [],
            podsChecked: false,
            podsNotRead:
              'pods in namespace db were not read (the snapshot has none; add `kubectl get pods -n db -o json` output)',
          },
        },
      });
      expect(finding?.summary).not.toMatch(/delete pod|holds 0|0 old pods/);
    },
  );

  it('tells "none of its pods in the input" from "no pods in the namespace"', () => {
    const other = podInfo({
      namespace: 'db',
      name: 'redis-0',
      owner: { kind: 'StatefulSet', name: 'redis' },
      workload: { kind: 'StatefulSet', name: 'redis' },
    });
    const snapshot = snapshotWith({
      workloads: [rolling({ updateStrategy: 'OnDelete', currentReplicas: 2 })],
      pods: [other],
    });
    const [finding] = findingsOf(StatefulSetUpdateNotRolledOut, snapshot);
    expect(finding?.details['cause']).toMatchObject({
      podsChecked: false,
      podsNotRead:
        'pods of db/postgres were not read (the snapshot has none of the 3 its status counts; add `kubectl get pods -n db -o json` output)',
    });
  });

  it('from a live read, says to look at the pods rather than to add kubectl output', () => {
    const snapshot: ClusterSnapshot = {
      ...snapshotWith({ workloads: [rolling({ updateStrategy: 'OnDelete', currentReplicas: 2 })] }),
      sources: [{ source: 'kubernetes', status: 'ok' }],
    };
    const [finding] = findingsOf(StatefulSetUpdateNotRolledOut, snapshot);
    expect(finding?.details['cause']).toMatchObject({
      podsNotRead:
        'pods in namespace db were not read (the snapshot has none; run `kubectl get pods -n db` to see them)',
    });
  });

  it('does not count pods without a revision label as old, and says their revision is unknown', () => {
    // As Prometheus reads them without kube_pod_labels: the pods are there, their labels are not.
    const pods = postgresPods(3, 2).map((p) => ({ ...p, labels: { app: 'postgres' } }));
    const snapshot = snapshotWith({ workloads: [rolling({ updatedReplicas: 2 })], pods });
    const [finding] = findingsOf(StatefulSetUpdateNotRolledOut, snapshot);
    expect(finding?.summary).toContain('(2 of 3 pods updated)');
    expect(finding?.summary).toBe(
      'Rollout of StatefulSet db/postgres to revision postgres-6b7d8c9f5d is not finished (2 of 3 pods updated): the cause is unknown (3 of 3 pods of db/postgres carry no controller-revision-hash label, so their revision is unknown; the updated and current counts come from its status; no pod reports an image, config, crash or scheduling error).',
    );
    expect(finding?.details['cause']).toMatchObject({
      limitations: [
        '3 of 3 pods of db/postgres carry no controller-revision-hash label, so their revision is unknown; the updated and current counts come from its status',
        'no pod reports an image, config, crash or scheduling error',
      ],
    });
  });

  it('counts waiting pods from the status when pods were not collected', () => {
    const snapshot = snapshotWith({
      workloads: [rolling({ updateStrategy: 'OnDelete', updatedReplicas: 1 })],
      parts: { pods: MISSING },
    });
    const [finding] = findingsOf(StatefulSetUpdateNotRolledOut, snapshot);
    expect(finding).toMatchObject({
      severity: 'info',
      details: {
        cause: {
          kind: 'OnDeleteWaiting',
          podCount: 2,
          pods: [],
          limitations: ['pods were not collected (no pods in the input)'],
        },
      },
    });
  });
});
