import { mergeSnapshots } from '../../../lib/collect/merge';
import type {
  ClusterSnapshot,
  ControlPlaneInstance,
  DeploymentInfo,
  NodeInfo,
  SnapshotPart,
} from '../../../lib/rules';
import { SNAPSHOT_PARTS } from '../../../lib/rules';

const ALL_PARTS: readonly SnapshotPart[] = SNAPSHOT_PARTS;

function snapshot(
  source: 'kubernetes' | 'prometheus',
  overrides: Partial<ClusterSnapshot> = {},
): ClusterSnapshot {
  return {
    cluster: 'prod',
    collectedAt: source === 'kubernetes' ? '2026-11-21T12:00:01.000Z' : '2026-11-21T12:00:02.000Z',
    sources: [{ source, status: 'ok' }],
    parts: Object.fromEntries(ALL_PARTS.map((p) => [p, { state: 'collected' }])),
    controlPlane: [],
    nodes: [],
    workloads: [],
    replicaSets: [],
    pods: [],
    notes: [],
    ...overrides,
  };
}

const apiserver = (
  instance: string,
  raw: string,
  source: string,
  node?: string,
): ControlPlaneInstance => ({
  component: 'kube-apiserver',
  instance,
  version: { raw, source },
  ...(node ? { node } : {}),
});

const node = (
  name: string,
  kubelet: string,
  source: string,
  extra: Partial<NodeInfo> = {},
): NodeInfo => ({
  name,
  kubeletVersion: { raw: kubelet, source },
  ...extra,
});

const deployment = (name: string, extra: Partial<DeploymentInfo> = {}): DeploymentInfo => ({
  kind: 'Deployment',
  namespace: 'shop',
  name,
  labels: {},
  selector: {},
  conditions: [],
  replicas: 2,
  updatedReplicas: 2,
  readyReplicas: 2,
  availableReplicas: 2,
  unavailableReplicas: 0,
  paused: false,
  strategy: 'RollingUpdate',
  ...extra,
});

describe('mergeSnapshots', () => {
  it('lists both sources, takes the later collection time, and a part collected by either', () => {
    const api = snapshot('kubernetes', {
      parts: {
        etcd: { state: 'missing', reason: 'no etcd pods in kube-system' },
        nodes: { state: 'collected' },
      },
    });
    const prom = snapshot('prometheus', {
      parts: {
        etcd: { state: 'collected' },
        nodes: { state: 'missing', reason: 'kube_node_info is absent' },
      },
    });
    const merged = mergeSnapshots(api, prom);
    expect(merged.sources.map((s) => s.source)).toEqual(['kubernetes', 'prometheus']);
    expect(merged.collectedAt).toBe('2026-11-21T12:00:02.000Z');
    expect(merged.parts.etcd).toEqual({ state: 'collected' });
    expect(merged.parts.nodes).toEqual({ state: 'collected' });
  });

  it('keeps both reasons when neither source collected a part, not-observable first', () => {
    const api = snapshot('kubernetes', {
      parts: {
        controlPlane: { state: 'notObservable', reason: 'EKS manages them' },
        pods: { state: 'missing', reason: 'forbidden' },
      },
    });
    const prom = snapshot('prometheus', {
      parts: {
        controlPlane: { state: 'missing', reason: 'not scraped' },
        pods: { state: 'missing', reason: 'kube-state-metrics absent' },
      },
    });
    const merged = mergeSnapshots(api, prom);
    expect(merged.parts.controlPlane).toEqual({
      state: 'notObservable',
      reason: 'kubernetes: EKS manages them; prometheus: not scraped',
    });
    expect(merged.parts.pods).toEqual({
      state: 'missing',
      reason: 'kubernetes: forbidden; prometheus: kube-state-metrics absent',
    });
  });

  it('keeps the failed reads behind a part neither source collected, unless a provider hides it', () => {
    const forbidden = {
      source: 'kubernetes' as const,
      kind: 'forbidden' as const,
      message: 'cannot list pods in namespace kube-system: grant list on pods',
    };
    const api = snapshot('kubernetes', {
      parts: {
        pods: { state: 'missing', reason: forbidden.message, failures: [forbidden] },
        etcd: { state: 'missing', reason: forbidden.message, failures: [forbidden] },
        nodes: { state: 'missing', reason: 'forbidden', failures: [forbidden] },
      },
    });
    const prom = snapshot('prometheus', {
      parts: {
        pods: { state: 'missing', reason: 'kube-state-metrics absent' },
        etcd: { state: 'notObservable', reason: 'EKS manages etcd' },
        nodes: { state: 'collected' },
      },
    });
    const merged = mergeSnapshots(api, prom);
    expect(merged.parts.pods).toEqual({
      state: 'missing',
      reason: `kubernetes: ${forbidden.message}; prometheus: kube-state-metrics absent`,
      failures: [forbidden],
    });
    // Hidden by the provider: the failed read would not have shown it either.
    expect(merged.parts.etcd).toEqual({
      state: 'notObservable',
      reason: `kubernetes: ${forbidden.message}; prometheus: EKS manages etcd`,
    });
    // Collected by the other source: nothing is missing, so no failure is left to report.
    expect(merged.parts.nodes).toEqual({ state: 'collected' });
  });

  it("drops the API's whole-server version once Prometheus lists the HA apiservers it agrees with", () => {
    const api = snapshot('kubernetes', {
      controlPlane: [apiserver('serverVersion', 'v1.30.2', 'GET /version serverVersion')],
    });
    const prom = snapshot('prometheus', {
      controlPlane: [
        apiserver('10.0.0.1:6443', 'v1.29.6', 'prometheus build info 1'),
        apiserver('10.0.0.2:6443', 'v1.30.2', 'prometheus build info 2'),
      ],
    });
    const merged = mergeSnapshots(api, prom);
    expect(merged.controlPlane.map((c) => c.instance)).toEqual(['10.0.0.1:6443', '10.0.0.2:6443']);
    expect(merged.notes).toEqual([]);
  });

  it('keeps a whole-server version that matches no apiserver Prometheus sees, with a note', () => {
    const api = snapshot('kubernetes', {
      controlPlane: [apiserver('serverVersion', 'v1.31.0', 'GET /version serverVersion')],
    });
    const prom = snapshot('prometheus', {
      controlPlane: [apiserver('10.0.0.1:6443', 'v1.30.2', 'prometheus build info')],
    });
    const merged = mergeSnapshots(api, prom);
    expect(merged.controlPlane).toHaveLength(2);
    expect(merged.notes).toEqual([
      'GET /version serverVersion is v1.31.0, but Prometheus sees kube-apiserver at v1.30.2 (10.0.0.1:6443); both are kept.',
    ]);
  });

  it('merges one apiserver seen by both on the same node, recording both sources when they agree', () => {
    const api = snapshot('kubernetes', {
      controlPlane: [
        apiserver(
          'kube-apiserver-cp1',
          'registry.k8s.io/kube-apiserver:v1.30.2',
          'pod kube-system/kube-apiserver-cp1 image',
          'cp1',
        ),
        apiserver(
          'kube-apiserver-cp2',
          'registry.k8s.io/kube-apiserver:v1.30.2',
          'pod kube-system/kube-apiserver-cp2 image',
          'cp2',
        ),
      ],
    });
    const prom = snapshot('prometheus', {
      controlPlane: [
        apiserver(
          '10.0.0.1:6443',
          'v1.30.2',
          'prometheus kubernetes_build_info{instance="10.0.0.1:6443"}',
          'cp1',
        ),
        apiserver(
          '10.0.0.3:6443',
          'v1.29.6',
          'prometheus kubernetes_build_info{instance="10.0.0.3:6443"}',
          'cp3',
        ),
      ],
    });
    const merged = mergeSnapshots(api, prom);
    expect(merged.controlPlane.map((c) => [c.instance, c.version.source])).toEqual([
      [
        'kube-apiserver-cp1',
        'pod kube-system/kube-apiserver-cp1 image (agrees with prometheus kubernetes_build_info{instance="10.0.0.1:6443"})',
      ],
      ['kube-apiserver-cp2', 'pod kube-system/kube-apiserver-cp2 image'],
      ['10.0.0.3:6443', 'prometheus kubernetes_build_info{instance="10.0.0.3:6443"}'],
    ]);
  });

  it('keeps both readings of one instance when the sources disagree, and says which saw what', () => {
    const api = snapshot('kubernetes', {
      controlPlane: [
        apiserver(
          'kube-apiserver-cp1',
          'registry.k8s.io/kube-apiserver:v1.30.2',
          'pod image',
          'cp1',
        ),
      ],
    });
    const prom = snapshot('prometheus', {
      controlPlane: [apiserver('10.0.0.1:6443', 'v1.29.6', 'prometheus build info', 'cp1')],
    });
    const merged = mergeSnapshots(api, prom);
    expect(merged.controlPlane).toHaveLength(2);
    expect(merged.notes).toEqual([
      'kube-apiserver on cp1: pod image says registry.k8s.io/kube-apiserver:v1.30.2, prometheus build info says v1.29.6; both are kept.',
    ]);
  });

  it('merges nodes: agreeing kubelets corroborated, disagreements noted, gaps filled, extra nodes added', () => {
    const api = snapshot('kubernetes', {
      nodes: [
        node('n1', 'v1.30.2', 'node n1 status.nodeInfo.kubeletVersion', { nodeGroup: 'ng-a' }),
        node('n2', 'v1.30.2', 'node n2 status.nodeInfo.kubeletVersion'),
      ],
    });
    const prom = snapshot('prometheus', {
      nodes: [
        node('n1', 'v1.30.2', 'prometheus kube_node_info{node="n1"}', {
          kubeProxyVersion: { raw: 'v1.30.2', source: 'prometheus kube-proxy build info' },
          osImage: 'Ubuntu',
        }),
        node('n2', 'v1.29.6', 'prometheus kube_node_info{node="n2"}'),
        node('n3', 'v1.30.2', 'prometheus kube_node_info{node="n3"}'),
      ],
    });
    const merged = mergeSnapshots(prom, api); // order does not matter: API facts lead
    expect(merged.nodes).toEqual([
      {
        name: 'n1',
        kubeletVersion: {
          raw: 'v1.30.2',
          source:
            'node n1 status.nodeInfo.kubeletVersion (agrees with prometheus kube_node_info{node="n1"})',
        },
        kubeProxyVersion: { raw: 'v1.30.2', source: 'prometheus kube-proxy build info' },
        nodeGroup: 'ng-a',
        osImage: 'Ubuntu',
      },
      node('n2', 'v1.30.2', 'node n2 status.nodeInfo.kubeletVersion'),
      node('n3', 'v1.30.2', 'prometheus kube_node_info{node="n3"}'),
    ]);
    expect(merged.notes).toEqual([
      'kubelet on n2: node n2 status.nodeInfo.kubeletVersion says v1.30.2, prometheus kube_node_info{node="n2"} says v1.29.6; the first is used.',
    ]);
    expect(merged.sources.map((s) => s.source)).toEqual(['kubernetes', 'prometheus']);
  });

  it("keeps the API's workload objects and adds Prometheus' history-based conditionSince", () => {
    const api = snapshot('kubernetes', {
      workloads: [
        deployment('web', { generation: 7, observedGeneration: 6, selector: { app: 'web' } }),
      ],
    });
    const prom = snapshot('prometheus', {
      workloads: [
        deployment('web', {
          generation: 7,
          observedGeneration: 6,
          conditionSince: { generationMismatch: '2026-11-21T11:48:00.000Z' },
        }),
        deployment('batch', { replicas: 3, availableReplicas: 1 }),
      ],
    });
    const merged = mergeSnapshots(prom, api);
    expect(merged.workloads).toEqual([
      deployment('web', {
        generation: 7,
        observedGeneration: 6,
        selector: { app: 'web' },
        conditionSince: { generationMismatch: '2026-11-21T11:48:00.000Z' },
      }),
      deployment('batch', { replicas: 3, availableReplicas: 1 }),
    ]);
  });

  it('carries the kubectl client from whichever source read it, in either order', () => {
    const kubectl = { version: { raw: 'v1.27.16', source: 'kubectl on PATH' } };
    const api = snapshot('kubernetes', { kubectl });
    const prom = snapshot('prometheus', {
      parts: { kubectl: { state: 'missing', reason: 'Prometheus does not see kubectl' } },
    });
    for (const merged of [mergeSnapshots(api, prom), mergeSnapshots(prom, api)]) {
      expect(merged.kubectl).toEqual(kubectl);
      expect(merged.parts.kubectl).toEqual({ state: 'collected' });
    }
  });

  it('keeps a missing series only for the parts no source could collect', () => {
    const api = snapshot('kubernetes', {
      parts: {
        deployments: { state: 'collected' },
        etcd: { state: 'missing', reason: 'no etcd pods' },
      },
    });
    const prom = snapshot('prometheus', {
      parts: {
        deployments: { state: 'missing', reason: 'kube-state-metrics absent' },
        etcd: { state: 'missing', reason: 'not scraped' },
      },
      metricsMissing: [
        {
          series: 'kube-state-metrics',
          problem: 'absent',
          affects: ['deployments'],
          hint: 'install it',
        },
        {
          series: 'etcd_server_version',
          problem: 'absent',
          affects: ['etcd'],
          hint: 'scrape etcd',
        },
      ],
    });
    const merged = mergeSnapshots(api, prom);
    expect(merged.metricsMissing).toEqual([
      { series: 'etcd_server_version', problem: 'absent', affects: ['etcd'], hint: 'scrape etcd' },
    ]);
  });
});
