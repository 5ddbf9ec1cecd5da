import type { ContainerInfo, PodInfo } from '../../../../lib/rules';
import { DEFAULT_POLICY, evaluate } from '../../../../lib/rules';
import { PodCrashLooping } from '../../../../lib/rules/rollout/pod-crash-looping';
import { crashLoopOf } from '../../../../lib/rules/rollout/pods';
import {
  containerInfo,
  findingsOf,
  MISSING,
  minutesAgo,
  NOW,
  podInfo,
  snapshotWith,
  waitingContainer,
} from './support/model';

const crashing = (restartCount = 6): ContainerInfo =>
  waitingContainer('CrashLoopBackOff', 'back-off 5m0s restarting failed container=app', {
    restartCount,
    lastTermination: { exitCode: 137, reason: 'OOMKilled', finishedAt: minutesAgo(2) },
  });

describe('crash-loop test per container', () => {
  it.each([
    // [case, state, restarts, pod started minutes ago, expected why]
    ['waiting in CrashLoopBackOff', 'CrashLoopBackOff', 1, 600, 'CrashLoopBackOff'],
    ['running, 9 restarts in 30 minutes', 'running', 9, 30, 'RestartRate'],
    ['running, 6 restarts in 30 minutes (exactly once per 5 minutes)', 'running', 6, 30, undefined],
    ['running, 3 restarts over 3 days', 'running', 3, 4320, undefined],
    ['running, 1 restart a minute after start', 'running', 1, 1, undefined],
    ['running, 2 restarts 4 minutes after start', 'running', 2, 4, 'RestartRate'],
    ['terminated with an error between restarts', 'terminated', 12, 20, 'RestartRate'],
    ['waiting in ImagePullBackOff', 'ImagePullBackOff', 0, 10, undefined],
  ] as const)('%s → %s', (_case, state, restarts, startedMinutesAgo, why) => {
    const container = containerInfo({
      restartCount: restarts,
      ready: state === 'running',
      state:
        state === 'running'
          ? { kind: 'running', startedAt: minutesAgo(1) }
          : state === 'terminated'
            ? { kind: 'terminated', exitCode: 1, reason: 'Error' }
            : { kind: 'waiting', reason: state },
    });
    const pod = podInfo({
      name: 'p',
      containers: [container],
      startTime: minutesAgo(startedMinutesAgo),
    });
    expect(crashLoopOf(pod, container, false, NOW)?.why).toBe(why);
  });

  it('does not judge the restart rate when the pod start is unknown', () => {
    const container = containerInfo({ restartCount: 50 });
    const pod = podInfo({
      name: 'p',
      containers: [container],
      startTime: undefined,
      createdAt: undefined,
    });
    expect(crashLoopOf(pod, container, false, NOW)).toBeUndefined();
  });

  it.each(['Succeeded', 'Failed'])('ignores a %s pod', (phase) => {
    const container = crashing();
    expect(
      crashLoopOf(podInfo({ name: 'p', phase, containers: [container] }), container, false, NOW),
    ).toBeUndefined();
  });
});

describe('PodCrashLooping', () => {
  it('reports 30 crash-looping pods of one Deployment as ONE finding listing them', () => {
    const pods = Array.from({ length: 30 }, (_, i) =>
      podInfo({
        name: `web-7c9d8f6b5-${String(i).padStart(2, '0')}`,
        containers: [crashing(5 + i)],
      }),
    );
    const findings = findingsOf(PodCrashLooping, snapshotWith({ pods }));
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({
      severity: 'warning',
      forSeconds: 900,
      subject: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      details: { podCount: 30, containers: ['app'], restartsTotal: 585 },
    });
    const listed = finding?.details['pods'] as { pod: string; lastReason: string }[];
    expect(listed.map((p) => p.pod)).toEqual(pods.map((p) => p.name));
    expect(listed[0]).toMatchObject({
      container: 'app',
      lastExitCode: 137,
      lastReason: 'OOMKilled',
      why: 'CrashLoopBackOff',
    });
    expect(finding?.summary).toBe(
      'Deployment shop/web: 30 pods crash-loop; container app last exited with code 137 (OOMKilled), 585 restarts in all.',
    );
  });

  it('lists at most 50 containers and says how many more there are', () => {
    const pods = Array.from({ length: 60 }, (_, i) =>
      podInfo({ name: `web-7c9d8f6b5-${String(i).padStart(2, '0')}`, containers: [crashing()] }),
    );
    const [finding] = findingsOf(PodCrashLooping, snapshotWith({ pods }));
    expect(finding?.details).toMatchObject({ podCount: 60, podsNotListed: 10 });
    expect(finding?.details['pods']).toHaveLength(50);
  });

  it.each([
    [
      'a resolved workload',
      { workload: { kind: 'StatefulSet', name: 'db' }, owner: { kind: 'StatefulSet', name: 'db' } },
      { kind: 'StatefulSet', name: 'db' },
    ],
    [
      'a Job',
      { workload: undefined, owner: { kind: 'Job', name: 'report-29384721' } },
      { kind: 'Job', name: 'report-29384721' },
    ],
    [
      'an unresolved ReplicaSet',
      { workload: undefined, owner: { kind: 'ReplicaSet', name: 'web-7c9d8f6b5' } },
      { kind: 'ReplicaSet', name: 'web-7c9d8f6b5' },
    ],
    [
      'its Node (static pod)',
      { workload: undefined, owner: { kind: 'Node', name: 'cp-1' } },
      { kind: 'Pod', name: 'etcd-cp-1' },
    ],
    ['nobody', { workload: undefined, owner: undefined }, { kind: 'Pod', name: 'etcd-cp-1' }],
  ] as const)('groups a pod owned by %s under %j', (_case, ownership, subject) => {
    const pod = podInfo({
      name: 'etcd-cp-1',
      containers: [crashing()],
      ...(ownership as Partial<PodInfo>),
    });
    const [finding] = findingsOf(PodCrashLooping, snapshotWith({ pods: [pod] }));
    expect(finding?.subject).toEqual({ ...subject, namespace: 'shop' });
  });

  it('keeps static pods of different components apart even on one node', () => {
    const staticPod = (name: string) =>
      podInfo({
        name,
        owner: { kind: 'Node', name: 'cp-1' },
        workload: undefined,
        containers: [crashing()],
      });
    const findings = findingsOf(
      PodCrashLooping,
      snapshotWith({ pods: [staticPod('etcd-cp-1'), staticPod('kube-scheduler-cp-1')] }),
    );
    expect(findings).toHaveLength(2);
  });

  it('catches a crash-looping init container and says it is one', () => {
    const pod = podInfo({
      name: 'orders-5c8d7b9f4d-a',
      phase: 'Pending',
      initContainers: [{ ...crashing(7), name: 'migrate', image: 'shop/orders-migrate:3.1.0' }],
      containers: [waitingContainer('PodInitializing')],
    });
    const [finding] = findingsOf(PodCrashLooping, snapshotWith({ pods: [pod] }));
    expect(finding?.details).toMatchObject({
      containers: ['migrate'],
      pods: [{ container: 'migrate', initContainer: true }],
    });
    expect(finding?.summary).toContain('init container migrate');
    expect(finding?.details['commands']).toContain(
      'kubectl -n shop logs orders-5c8d7b9f4d-a -c migrate --previous',
    );
  });

  it('dates a rate-based loop from the pod start and a back-off from the last crash', () => {
    const rate = podInfo({
      name: 'a',
      startTime: minutesAgo(30),
      containers: [containerInfo({ restartCount: 9 })],
      workload: undefined,
      owner: undefined,
    });
    const backOff = podInfo({
      name: 'b',
      startTime: minutesAgo(3000),
      containers: [crashing(3)],
      workload: undefined,
      owner: undefined,
    });
    const findings = findingsOf(PodCrashLooping, snapshotWith({ pods: [rate, backOff] }));
    expect(findings.map((f) => [f.subject.name, f.since])).toEqual([
      ['a', minutesAgo(30)],
      ['b', minutesAgo(2)],
    ]);
  });

  it('is skipped, not passed, when pods were not collected', () => {
    const result = evaluate(snapshotWith({ parts: { pods: MISSING } }), DEFAULT_POLICY, NOW, [
      PodCrashLooping,
    ]);
    expect(result.coverage).toEqual([
      {
        ruleId: 'PodCrashLooping',
        status: 'skipped',
        reason: 'pods missing: no pods in the input',
        unmet: [{ part: 'pods', state: 'missing', reason: 'no pods in the input' }],
      },
    ]);
  });
});
