import fc from 'fast-check';
import type {
  ClusterSnapshot,
  Condition,
  ContainerInfo,
  ContainerState,
  ControlPlaneComponent,
  ControlPlaneInstance,
  DaemonSetInfo,
  DeploymentInfo,
  Evaluation,
  MissingMetric,
  NodeInfo,
  PartStatus,
  PodInfo,
  ReplicaSetInfo,
  RolloutCondition,
  SnapshotPart,
  SourceErrorKind,
  SourceName,
  SourceStatus,
  StatefulSetInfo,
  Workload,
} from '../../../lib/rules';
import {
  SNAPSHOT_PARTS,
  DEFAULT_POLICY,
  evaluate,
  fingerprint,
  parseKubeVersion,
  parseVersion,
  RULES,
  SEVERITIES,
} from '../../../lib/rules';
import { ROLLOUT_RULES } from '../../../lib/rules/rollout';
import { NOW } from '../../support/evaluate';

// Small name pools, so workloads, ReplicaSets and pods refer to each other often enough for the
// rollout rules to diagnose, and an arbitrary string now and then for names that match nothing.
const pick = (...values: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...values), weight: 9 },
    { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
  );
const namespace = pick('shop', 'data', 'kube-system');
const workloadName = pick('web', 'db', 'agent');
const replicaSetName = pick('web-5d8f', 'web-7c9a', 'db-6b4f', 'agent-1');
const podName = pick('web-5d8f-abcde', 'web-7c9a-fghij', 'db-0', 'db-1', 'agent-x2k', 'etcd-cp');
const containerName = pick('app', 'sidecar', 'init-db');
const image = pick('shop/web:2.3.1', 'shop/web:2.3.0', 'postgres:16', 'busybox');
const revision = pick('1', '2', '7', 'r-abc', 'r-def');
const labelValue = pick('web', 'db', 'agent', 'r-abc', 'r-def', '1', '2', '5d8f', '7c9a');

const VERSION_SOURCE = fc.constant('test');
const versionish = fc.oneof(
  fc.tuple(fc.nat(40), fc.nat(20)).map(([minor, patch]) => `v1.${minor}.${patch}`),
  fc
    .tuple(fc.nat(40), fc.nat(20))
    .map(([minor, patch]) => `registry.k8s.io/kube-proxy:v1.${minor}.${patch}-eksbuild.1`),
  fc.tuple(fc.nat(6), fc.nat(20)).map(([minor, patch]) => `3.${minor}.${patch}`),
  fc.constantFrom('', 'latest', 'v1', 'registry.k8s.io/kube-apiserver:latest', 'sha256:0fe1'),
  fc.string({ maxLength: 30 }),
);
const versionRef = fc.record({ raw: versionish, source: VERSION_SOURCE });
const component = fc.constantFrom<ControlPlaneComponent>(
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'cloud-controller-manager',
  'etcd',
);
// Mostly collected, so the rules run rather than being skipped.
const partStatus: fc.Arbitrary<PartStatus> = fc.oneof(
  { arbitrary: fc.constant({ state: 'collected' as const }), weight: 6 },
  { arbitrary: fc.constant({ state: 'missing' as const, reason: 'not in input' }), weight: 1 },
  { arbitrary: fc.constant({ state: 'notObservable' as const, reason: 'managed' }), weight: 1 },
);
const PARTS: readonly SnapshotPart[] = SNAPSHOT_PARTS;

/** ISO times around NOW, and now and then one that does not parse. */
const timestamp = fc.oneof(
  {
    arbitrary: fc
      .integer({ min: NOW - 3 * 86_400_000, max: NOW + 3_600_000 })
      .map((ms) => new Date(ms).toISOString()),
    weight: 8,
  },
  { arbitrary: fc.constantFrom('not-a-date', ''), weight: 1 },
);
/** Replica counts, including the inconsistent and negative ones a broken source could send. */
const count = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 6 }), weight: 8 },
  { arbitrary: fc.integer({ min: -2, max: 1000 }), weight: 1 },
);
const generation = fc.integer({ min: 0, max: 12 });
const labels = fc.dictionary(
  fc.constantFrom(
    'app',
    'tier',
    'controller-revision-hash',
    'pod-template-generation',
    'pod-template-hash',
  ),
  labelValue,
  { maxKeys: 4 },
);
const selector = fc.dictionary(fc.constantFrom('app', 'tier'), labelValue, { maxKeys: 2 });

const condition: fc.Arbitrary<Condition> = fc.record(
  {
    type: pick(
      'Progressing',
      'Available',
      'ReplicaFailure',
      'Ready',
      'PodScheduled',
      'ContainersReady',
    ),
    status: fc.constantFrom<Condition['status']>('True', 'False', 'Unknown'),
    reason: pick(
      'ProgressDeadlineExceeded',
      'NewReplicaSetAvailable',
      'ReplicaSetUpdated',
      'FailedCreate',
      'Unschedulable',
      'MinimumReplicasUnavailable',
    ),
    message: fc.string({ maxLength: 40 }),
    lastTransitionTime: timestamp,
    lastUpdateTime: timestamp,
  },
  { requiredKeys: ['type', 'status'] },
);
const conditions = fc.array(condition, { maxLength: 4 });
/** A workload's conditions, often with a rollout that ran past its progress deadline. */
const workloadConditions = fc.array(
  fc.oneof(
    { arbitrary: condition, weight: 1 },
    {
      arbitrary: fc.record(
        {
          type: fc.constant('Progressing'),
          status: fc.constantFrom<Condition['status']>('False', 'Unknown', 'True'),
          reason: fc.constant('ProgressDeadlineExceeded'),
          lastTransitionTime: timestamp,
        },
        { requiredKeys: ['type', 'status', 'reason'] },
      ),
      weight: 2,
    },
  ),
  { maxLength: 4 },
);
const conditionSince = fc.dictionary(
  fc.constantFrom<RolloutCondition>(
    'generationMismatch',
    'replicasMismatch',
    'rolloutStuck',
    'updateNotRolledOut',
    'notScheduled',
    'misscheduled',
  ),
  timestamp,
  { maxKeys: 3 },
);

/** Fields every workload has; the optional ones are sometimes absent. */
const workloadBase = {
  namespace,
  name: workloadName,
  generation,
  observedGeneration: generation,
  labels,
  selector,
  conditions: workloadConditions,
  createdAt: timestamp,
  conditionSince,
};
const WORKLOAD_REQUIRED = ['namespace', 'name', 'labels', 'selector', 'conditions'] as const;

const deployment: fc.Arbitrary<DeploymentInfo> = fc.record(
  {
    ...workloadBase,
    kind: fc.constant('Deployment' as const),
    replicas: count,
    updatedReplicas: count,
    readyReplicas: count,
    availableReplicas: count,
    unavailableReplicas: count,
    paused: fc.boolean(),
    strategy: fc.constantFrom<DeploymentInfo['strategy']>('RollingUpdate', 'Recreate'),
    revision,
    progressDeadlineSeconds: fc.integer({ min: 0, max: 1200 }),
  },
  {
    requiredKeys: [
      ...WORKLOAD_REQUIRED,
      'kind',
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
      'paused',
      'strategy',
    ],
  },
);
const statefulSet: fc.Arbitrary<StatefulSetInfo> = fc.record(
  {
    ...workloadBase,
    kind: fc.constant('StatefulSet' as const),
    replicas: count,
    readyReplicas: count,
    currentReplicas: count,
    updatedReplicas: count,
    availableReplicas: count,
    currentRevision: revision,
    updateRevision: revision,
    updateStrategy: fc.constantFrom<StatefulSetInfo['updateStrategy']>('RollingUpdate', 'OnDelete'),
    partition: fc.integer({ min: 0, max: 5 }),
  },
  {
    requiredKeys: [
      ...WORKLOAD_REQUIRED,
      'kind',
      'replicas',
      'readyReplicas',
      'currentReplicas',
      'updatedReplicas',
      'availableReplicas',
      'updateStrategy',
    ],
  },
);
const daemonSet: fc.Arbitrary<DaemonSetInfo> = fc.record(
  {
    ...workloadBase,
    kind: fc.constant('DaemonSet' as const),
    desiredNumberScheduled: count,
    currentNumberScheduled: count,
    updatedNumberScheduled: count,
    numberAvailable: count,
    numberReady: count,
    numberMisscheduled: count,
    numberUnavailable: count,
    updateStrategy: fc.constantFrom<DaemonSetInfo['updateStrategy']>('RollingUpdate', 'OnDelete'),
    updateRevision: revision,
  },
  {
    requiredKeys: [
      ...WORKLOAD_REQUIRED,
      'kind',
      'desiredNumberScheduled',
      'currentNumberScheduled',
      'updatedNumberScheduled',
      'numberAvailable',
      'numberReady',
      'numberMisscheduled',
      'numberUnavailable',
      'updateStrategy',
    ],
  },
);
const workload: fc.Arbitrary<Workload> = fc.oneof(deployment, statefulSet, daemonSet);

/** An owner that may or may not exist in the snapshot, of a kind that may make no sense. */
const owner = fc.record({
  kind: pick('Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'Node'),
  name: fc.oneof(workloadName, replicaSetName),
});

const replicaSet: fc.Arbitrary<ReplicaSetInfo> = fc.record(
  {
    namespace,
    name: replicaSetName,
    owner,
    revision,
    podTemplateHash: labelValue,
    replicas: count,
    readyReplicas: count,
    availableReplicas: count,
    conditions,
    images: fc.array(image, { maxLength: 2 }),
    createdAt: timestamp,
  },
  {
    requiredKeys: [
      'namespace',
      'name',
      'replicas',
      'readyReplicas',
      'availableReplicas',
      'conditions',
      'images',
    ],
  },
);

const waitingReason = pick(
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'RunContainerError',
  'ContainerCreating',
  'PodInitializing',
);
const terminatedReason = pick('Error', 'OOMKilled', 'Completed', 'ContainerCannotRun');
const exitCode = fc.integer({ min: -1, max: 255 });
const containerState: fc.Arbitrary<ContainerState> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('waiting' as const),
      reason: waitingReason,
      message: fc.string({ maxLength: 30 }),
    },
    { requiredKeys: ['kind'] },
  ),
  fc.record(
    { kind: fc.constant('running' as const), startedAt: timestamp },
    { requiredKeys: ['kind'] },
  ),
  fc.record(
    {
      kind: fc.constant('terminated' as const),
      reason: terminatedReason,
      exitCode,
      startedAt: timestamp,
      finishedAt: timestamp,
    },
    { requiredKeys: ['kind'] },
  ),
  fc.constant({ kind: 'unknown' as const }),
);
const container: fc.Arbitrary<ContainerInfo> = fc.record(
  {
    name: containerName,
    image,
    ready: fc.boolean(),
    restartCount: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 50 }), weight: 4 },
      { arbitrary: fc.integer({ min: -1, max: 100_000 }), weight: 1 },
    ),
    state: containerState,
    lastTermination: fc.record(
      { reason: terminatedReason, exitCode, startedAt: timestamp, finishedAt: timestamp },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['name', 'image', 'ready', 'restartCount', 'state'] },
);

const pod: fc.Arbitrary<PodInfo> = fc.record(
  {
    namespace,
    name: podName,
    nodeName: pick('node-a', 'node-b'),
    phase: pick('Running', 'Pending', 'Succeeded', 'Failed', 'Unknown'),
    owner,
    workload: fc.record({
      kind: fc.constantFrom<Workload['kind']>('Deployment', 'StatefulSet', 'DaemonSet'),
      name: workloadName,
    }),
    labels,
    conditions,
    containers: fc.array(container, { maxLength: 3 }),
    initContainers: fc.array(container, { maxLength: 2 }),
    createdAt: timestamp,
    startTime: timestamp,
  },
  {
    requiredKeys: [
      'namespace',
      'name',
      'phase',
      'labels',
      'conditions',
      'containers',
      'initContainers',
    ],
  },
);

const controlPlaneInstance: fc.Arbitrary<ControlPlaneInstance> = fc.record({
  component,
  instance: fc.string({ maxLength: 10 }),
  version: versionRef,
});
const nodeInfo: fc.Arbitrary<NodeInfo> = fc.record(
  {
    name: fc.string({ minLength: 1, maxLength: 10 }),
    kubeletVersion: versionRef,
    kubeProxyVersion: versionRef,
    nodeGroup: fc.constantFrom('ng-a', 'ng-b'),
  },
  { requiredKeys: ['name', 'kubeletVersion'] },
);

/** Source outcomes as the pipeline records them, with or without the ledger's run counts. */
const sourceStatus: fc.Arbitrary<SourceStatus> = fc.record(
  {
    source: fc.constantFrom<SourceName>('kubernetes', 'prometheus', 'files'),
    status: fc.constantFrom<SourceStatus['status']>('ok', 'failed'),
    reason: fc.string({ maxLength: 30 }),
    kind: fc.constantFrom<SourceErrorKind>(
      'dns',
      'tls',
      'auth',
      'forbidden',
      'timeout',
      'server',
      'protocol',
    ),
    consecutiveFailures: fc.integer({ min: 0, max: 5 }),
    unavailable: fc.boolean(),
  },
  { requiredKeys: ['source', 'status'] },
);
const missingMetric: fc.Arbitrary<MissingMetric> = fc.record({
  series: pick('kube-state-metrics', 'kube_deployment_status_observed_generation'),
  problem: fc.constantFrom<MissingMetric['problem']>('absent', 'stale'),
  affects: fc.uniqueArray(fc.constantFrom(...PARTS), { maxLength: 3 }),
  hint: fc.string({ maxLength: 20 }),
});

/** Objects are unique by what identifies them in a cluster; everything else is arbitrary. */
const snapshot: fc.Arbitrary<ClusterSnapshot> = fc.record({
  cluster: fc.string({ minLength: 1, maxLength: 20 }),
  collectedAt: fc.constant(new Date(NOW).toISOString()),
  sources: fc.uniqueArray(sourceStatus, { minLength: 1, maxLength: 3, selector: (x) => x.source }),
  parts: fc.record(
    Object.fromEntries(PARTS.map((p) => [p, partStatus])) as Record<
      SnapshotPart,
      fc.Arbitrary<PartStatus>
    >,
  ),
  provider: fc.option(fc.constantFrom('eks', 'gke', 'k3s'), { nil: undefined }),
  controlPlane: fc.uniqueArray(controlPlaneInstance, {
    maxLength: 6,
    selector: (c) => `${c.component}/${c.instance}`,
  }),
  nodes: fc.uniqueArray(nodeInfo, { maxLength: 12, selector: (n) => n.name }),
  workloads: fc.uniqueArray(workload, {
    maxLength: 6,
    selector: (w) => `${w.kind}/${w.namespace}/${w.name}`,
  }),
  replicaSets: fc.uniqueArray(replicaSet, {
    maxLength: 5,
    selector: (rs) => `${rs.namespace}/${rs.name}`,
  }),
  pods: fc.uniqueArray(pod, { maxLength: 8, selector: (p) => `${p.namespace}/${p.name}` }),
  notes: fc.constant([]),
  metricsMissing: fc.option(
    fc.uniqueArray(missingMetric, { maxLength: 2, selector: (m) => m.series }),
    { nil: undefined },
  ),
});

const RULE_IDS = RULES.map((r) => r.id);
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

/** The invariants every evaluation keeps, whatever the snapshot holds. */
function expectWellFormed(snap: ClusterSnapshot, result: Evaluation): void {
  // Coverage lists every rule of the registry once, in order, and says why a rule was skipped.
  expect(result.coverage.map((c) => c.ruleId)).toEqual(RULE_IDS);
  for (const c of result.coverage) {
    expect(['evaluated', 'skipped', 'partial']).toContain(c.status);
    if (c.status === 'skipped' || c.status === 'partial') {
      expect(c.reason).not.toMatch(/^rule failed/);
      expect(c.reason.length).toBeGreaterThan(0);
    }
  }
  // A rule whose needed parts were all collected ran (or said itself why it could not decide).
  for (const rule of RULES) {
    const entry = result.coverage.find((c) => c.ruleId === rule.id);
    const unmet = rule.needs.filter((p) => snap.parts[p]?.state !== 'collected');
    if (unmet.length > 0) expect(entry).toMatchObject({ status: 'skipped' });
  }
  const evaluated = new Set(
    result.coverage
      .filter((c) => c.status === 'evaluated' || c.status === 'partial')
      .map((c) => c.ruleId),
  );
  const fingerprints = new Set<string>();
  const input = JSON.stringify(snap);
  for (const f of result.findings) {
    expect(RULE_IDS).toContain(f.ruleId);
    expect(evaluated.has(f.ruleId)).toBe(true);
    expect(SEVERITIES).toContain(f.severity);
    expect(typeof f.subject.kind).toBe('string');
    expect(typeof f.subject.name).toBe('string');
    expect(f.fingerprint).toBe(fingerprint(snap.cluster, f.ruleId, f.subject));
    expect(f.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    // One finding per subject and rule: the ledger keys its state on the fingerprint.
    expect(fingerprints.has(f.fingerprint)).toBe(false);
    fingerprints.add(f.fingerprint);
    expect(typeof f.summary).toBe('string');
    expect(f.summary.trim().length).toBeGreaterThan(0);
    // Tell-tales of a missing field printed as text, unless the input itself carries them.
    for (const token of ['undefined', 'NaN', '[object Object]'])
      if (!input.includes(token)) expect(f.summary).not.toContain(token);
    expect(Number.isFinite(f.forSeconds) && f.forSeconds >= 0).toBe(true);
    expect(f.runbookUrl).toBe(`${DEFAULT_POLICY.runbookBaseUrl}${f.ruleId}.md`);
    // Rules pass the source's timestamps through as they are, so only the type is certain.
    if (f.since !== undefined) expect(typeof f.since).toBe('string');
    // A workload rule reports on a workload of its kind that the snapshot holds.
    const kind = WORKLOAD_KINDS.find((k) => f.ruleId.startsWith(k));
    if (kind) {
      expect(f.subject.kind).toBe(kind);
      expect(
        snap.workloads.some(
          (w) =>
            w.kind === kind && w.namespace === f.subject.namespace && w.name === f.subject.name,
        ),
      ).toBe(true);
    }
    if (f.ruleId === 'PodCrashLooping') {
      expect(snap.pods.some((p) => p.namespace === f.subject.namespace)).toBe(true);
      expect(f.details['podCount']).toBeGreaterThan(0);
    }
  }
}

/** `component\u0000owner` of every version string the parser refuses, etcd by its own numbering. */
function refusedVersions(snap: ClusterSnapshot): string[] {
  const refused: string[] = [];
  for (const cp of snap.controlPlane) {
    const parsed =
      cp.component === 'etcd' ? parseVersion(cp.version.raw) : parseKubeVersion(cp.version.raw);
    if (!parsed.ok) refused.push(`${cp.component}\u0000${cp.instance}`);
  }
  for (const node of snap.nodes) {
    if (!parseKubeVersion(node.kubeletVersion.raw).ok) refused.push(`kubelet\u0000${node.name}`);
    if (node.kubeProxyVersion && !parseKubeVersion(node.kubeProxyVersion.raw).ok)
      refused.push(`kube-proxy\u0000${node.name}`);
  }
  return refused.sort();
}

/** `component\u0000owner` of every owner the VersionUnparseable findings name. */
function reportedUnparseable(result: Evaluation): string[] {
  return result.findings
    .filter((f) => f.ruleId === 'VersionUnparseable')
    .flatMap((f) =>
      (f.details['owners'] as string[]).map((o) => `${String(f.details['component'])}\u0000${o}`),
    )
    .sort();
}

describe('evaluate on arbitrary snapshots', () => {
  it('never throws, keeps every finding and coverage entry well-formed, and reports every unparseable version (property)', () => {
    const fired = new Set<string>();
    fc.assert(
      fc.property(snapshot, (snap) => {
        const result = evaluate(snap, DEFAULT_POLICY, NOW);
        expectWellFormed(snap, result);
        // Kubelet, kube-proxy and every control-plane component: nothing unparseable is dropped.
        expect(reportedUnparseable(result)).toEqual(refusedVersions(snap));
        for (const f of result.findings) fired.add(f.ruleId);
      }),
      { numRuns: 250 },
    );
    // The arbitraries reach every rollout rule, so the property is not vacuous for them.
    expect([...fired].filter((id) => ROLLOUT_RULES.some((r) => r.id === id)).sort()).toEqual(
      ROLLOUT_RULES.map((r) => r.id).sort(),
    );
  });

  it.each([
    ['kube-apiserver', 'registry.k8s.io/kube-apiserver:latest'],
    ['kube-controller-manager', 'v1'],
    ['kube-scheduler', 'sha256:0fe1'],
    ['cloud-controller-manager', ''],
    ['etcd', 'v3'],
  ] as const)('reports an unparseable %s version "%s" as VersionUnparseable', (comp, raw) => {
    const snap = versionSnapshot([
      { component: comp, instance: `${comp}-cp1`, version: { raw, source: 'pod image' } },
    ]);
    const findings = evaluate(snap, DEFAULT_POLICY, NOW).findings.filter(
      (f) => f.ruleId === 'VersionUnparseable',
    );
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'info',
        // An empty version names itself `(none)`: nothing was reported, nothing was malformed.
        subject: { kind: 'Version', name: `${comp} ${raw === '' ? '(none)' : raw}` },
        details: expect.objectContaining({ component: comp, raw, owners: [`${comp}-cp1`] }),
      }),
    ]);
  });

  it('reports an unparseable kube-proxy image beside a parseable kubelet on the same node', () => {
    const snap = versionSnapshot(
      [],
      [
        {
          name: 'node-a',
          kubeletVersion: { raw: 'v1.30.1', source: 'node status' },
          kubeProxyVersion: { raw: 'registry.k8s.io/kube-proxy:latest', source: 'pod image' },
        },
      ],
    );
    const findings = evaluate(snap, DEFAULT_POLICY, NOW).findings.filter(
      (f) => f.ruleId === 'VersionUnparseable',
    );
    expect(findings).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({
          component: 'kube-proxy',
          raw: 'registry.k8s.io/kube-proxy:latest',
          owners: ['node-a'],
        }),
      }),
    ]);
  });
});

/** A snapshot with one v1.30.2 apiserver plus `controlPlane` and `nodes`, every part collected. */
function versionSnapshot(
  controlPlane: ClusterSnapshot['controlPlane'],
  nodes: ClusterSnapshot['nodes'] = [],
): ClusterSnapshot {
  return {
    cluster: 'c',
    collectedAt: new Date(NOW).toISOString(),
    sources: [{ source: 'files', status: 'ok' }],
    parts: Object.fromEntries(PARTS.map((p) => [p, { state: 'collected' }])),
    controlPlane: [
      { component: 'kube-apiserver', instance: 'api-0', version: { raw: 'v1.30.2', source: 't' } },
      ...controlPlane,
    ],
    nodes,
    workloads: [],
    replicaSets: [],
    pods: [],
    notes: [],
  };
}
