/**
 * Hand-built model objects for the rollout rule unit tests: each builder fills a healthy default
 * and takes overrides, so a test states only what its case is about.
 */
import type {
  ClusterSnapshot,
  Condition,
  ContainerInfo,
  DaemonSetInfo,
  DeploymentInfo,
  Evaluation,
  Finding,
  PartStatus,
  PodInfo,
  ReplicaSetInfo,
  SnapshotPart,
  StatefulSetInfo,
  Workload,
} from '../../../../../lib/rules';
import { DEFAULT_POLICY, evaluate } from '../../../../../lib/rules';
import type { Rule } from '../../../../../lib/rules/rule';

/** The clock the unit tests evaluate at. */
export const NOW = Date.parse('2026-11-21T12:00:00Z');

/** An ISO time `minutes` before NOW. */
export function minutesAgo(minutes: number): string {
  return new Date(NOW - minutes * 60_000).toISOString();
}

/** A Deployment shop/web, 5 replicas, fully rolled out at revision 7. */
export function deploymentInfo(o: Partial<DeploymentInfo> = {}): DeploymentInfo {
  return {
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    generation: 9,
    observedGeneration: 9,
    labels: { app: 'web' },
    selector: { app: 'web' },
    conditions: [],
    replicas: 5,
    updatedReplicas: 5,
    readyReplicas: 5,
    availableReplicas: 5,
    unavailableReplicas: 0,
    paused: false,
    strategy: 'RollingUpdate',
    revision: '7',
    progressDeadlineSeconds: 600,
    ...o,
  };
}

/** A StatefulSet db/postgres, 3 replicas, settled at one revision. */
export function statefulSetInfo(o: Partial<StatefulSetInfo> = {}): StatefulSetInfo {
  return {
    kind: 'StatefulSet',
    namespace: 'db',
    name: 'postgres',
    generation: 5,
    observedGeneration: 5,
    labels: { app: 'postgres' },
    selector: { app: 'postgres' },
    conditions: [],
    replicas: 3,
    readyReplicas: 3,
    currentReplicas: 3,
    updatedReplicas: 3,
    availableReplicas: 3,
    currentRevision: 'postgres-6b7d8c9f5d',
    updateRevision: 'postgres-6b7d8c9f5d',
    updateStrategy: 'RollingUpdate',
    ...o,
  };
}

/** A DaemonSet kube-system/fluent-bit on 6 nodes, fully rolled out. */
export function daemonSetInfo(o: Partial<DaemonSetInfo> = {}): DaemonSetInfo {
  return {
    kind: 'DaemonSet',
    namespace: 'kube-system',
    name: 'fluent-bit',
    generation: 4,
    observedGeneration: 4,
    labels: { 'app.kubernetes.io/name': 'fluent-bit' },
    selector: { 'app.kubernetes.io/name': 'fluent-bit' },
    conditions: [],
    desiredNumberScheduled: 6,
    currentNumberScheduled: 6,
    updatedNumberScheduled: 6,
    numberAvailable: 6,
    numberReady: 6,
    numberMisscheduled: 0,
    numberUnavailable: 0,
    updateStrategy: 'RollingUpdate',
    ...o,
  };
}

/** A ReplicaSet of shop/web. */
export function replicaSetInfo(o: Partial<ReplicaSetInfo> & { name: string }): ReplicaSetInfo {
  return {
    namespace: 'shop',
    owner: { kind: 'Deployment', name: 'web' },
    replicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    conditions: [],
    images: ['shop/web:2.3.1'],
    ...o,
  };
}

/** A container, running and ready unless overridden. */
export function containerInfo(o: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    name: 'app',
    image: 'shop/web:2.3.1',
    ready: true,
    restartCount: 0,
    state: { kind: 'running', startedAt: minutesAgo(60) },
    ...o,
  };
}

/** A condition with status True unless given. */
export function cond(
  type: string,
  status: Condition['status'] = 'True',
  extra: Partial<Condition> = {},
): Condition {
  return { type, status, ...extra };
}

/** A running, ready pod of shop/web (owned by ReplicaSet `web-7c9d8f6b5`) unless overridden. */
export function podInfo(o: Partial<PodInfo> & { name: string }): PodInfo {
  const ready = (o.containers ?? [containerInfo()]).every((c) => c.ready);
  return {
    namespace: 'shop',
    phase: 'Running',
    nodeName: 'node-a',
    owner: { kind: 'ReplicaSet', name: 'web-7c9d8f6b5' },
    workload: { kind: 'Deployment', name: 'web' },
    labels: { app: 'web', 'pod-template-hash': '7c9d8f6b5' },
    conditions: [cond('PodScheduled'), cond('Ready', ready ? 'True' : 'False')],
    containers: [containerInfo()],
    initContainers: [],
    createdAt: minutesAgo(60),
    startTime: minutesAgo(60),
    ...o,
  };
}

/** A container waiting with a reason (and message). */
export function waitingContainer(
  reason: string,
  message?: string,
  o: Partial<ContainerInfo> = {},
): ContainerInfo {
  return containerInfo({
    ready: false,
    state: { kind: 'waiting', reason, ...(message !== undefined ? { message } : {}) },
    ...o,
  });
}

const ALL_PARTS: readonly SnapshotPart[] = [
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'pods',
];

/** A snapshot holding the given objects, with every rollout part collected unless overridden. */
export function snapshotWith(content: {
  workloads?: readonly Workload[];
  replicaSets?: readonly ReplicaSetInfo[];
  pods?: readonly PodInfo[];
  parts?: Partial<Record<SnapshotPart, PartStatus>>;
  provider?: string;
}): ClusterSnapshot {
  const parts: Partial<Record<SnapshotPart, PartStatus>> = Object.fromEntries(
    ALL_PARTS.map((p) => [p, { state: 'collected' }]),
  );
  return {
    cluster: 'unit',
    collectedAt: new Date(NOW).toISOString(),
    sources: [{ source: 'files', status: 'ok' }],
    parts: { ...parts, ...content.parts },
    ...(content.provider ? { provider: content.provider } : {}),
    controlPlane: [],
    nodes: [],
    workloads: content.workloads ?? [],
    replicaSets: content.replicaSets ?? [],
    pods: content.pods ?? [],
    notes: [],
  };
}

/** A part marked missing, as a collector reports it. */
export const MISSING: PartStatus = { state: 'missing', reason: 'no pods in the input' };

/** Evaluates one rule and returns its findings; fails the test when the rule was not evaluated. */
export function findingsOf(rule: Rule, snapshot: ClusterSnapshot, now = NOW): Finding[] {
  const result: Evaluation = evaluate(snapshot, DEFAULT_POLICY, now, [rule]);
  expect(result.coverage).toEqual([{ ruleId: rule.id, status: 'evaluated' }]);
  return [...result.findings];
}
