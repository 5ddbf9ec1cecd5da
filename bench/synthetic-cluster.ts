/**
 * Synthetic clusters for benchmarks: kubectl-shaped objects at realistic sizes (labels,
 * annotations, managedFields), a small share of them unhealthy so targeted reads happen.
 */
import { kubeProxyPod, node } from '../test/support/kube-objects';

/** Benchmark sizes of issue 8 (pods only where the collector would read them). */
export const SIZES = {
  S: { nodes: 50, workloads: 500 },
  M: { nodes: 1000, workloads: 5000 },
  L: { nodes: 5000, workloads: 20000 },
} as const;

/** A size name. */
export type SizeName = keyof typeof SIZES;

// Real objects carry managedFields; they dominate list payloads and must not dominate memory.
function managedFields(manager: string): unknown[] {
  return [
    {
      manager,
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2026-11-20T08:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } },
        'f:status': {
          'f:availableReplicas': {},
          'f:conditions': {
            '.': {},
            'k:{"type":"Available"}': {
              '.': {},
              'f:lastTransitionTime': {},
              'f:message': {},
              'f:reason': {},
              'f:status': {},
              'f:type': {},
            },
          },
          'f:observedGeneration': {},
          'f:readyReplicas': {},
          'f:replicas': {},
          'f:updatedReplicas': {},
        },
      },
    },
    {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2026-11-01T08:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:strategy': {
            'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} },
            'f:type': {},
          },
          'f:template': {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"app"}': {
                  '.': {},
                  'f:image': {},
                  'f:name': {},
                  'f:resources': { '.': {}, 'f:limits': {}, 'f:requests': {} },
                },
              },
            },
          },
        },
      },
    },
  ];
}

/** One Deployment; every 200th is mid-rollout with fewer available replicas. */
export function deployment(i: number): Record<string, unknown> {
  const ns = `team-${i % 40}`;
  const name = `svc-${i}`;
  const unhealthy = i % 200 === 7;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: ns,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      generation: 4,
      resourceVersion: String(100000 + i),
      creationTimestamp: '2026-10-01T08:00:00Z',
      labels: {
        app: name,
        'app.kubernetes.io/part-of': ns,
        'app.kubernetes.io/managed-by': 'Helm',
      },
      annotations: {
        'deployment.kubernetes.io/revision': '4',
        'meta.helm.sh/release-name': name,
        'meta.helm.sh/release-namespace': ns,
      },
      managedFields: managedFields('kube-controller-manager'),
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: `registry.example/${ns}/${name}:1.4.${i % 9}`,
              resources: {
                limits: { cpu: '500m', memory: '512Mi' },
                requests: { cpu: '100m', memory: '128Mi' },
              },
            },
          ],
        },
      },
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
    },
    status: {
      observedGeneration: 4,
      replicas: 3,
      updatedReplicas: unhealthy ? 1 : 3,
      readyReplicas: unhealthy ? 2 : 3,
      availableReplicas: unhealthy ? 2 : 3,
      ...(unhealthy ? { unavailableReplicas: 1 } : {}),
      conditions: [
        {
          type: 'Available',
          status: unhealthy ? 'False' : 'True',
          reason: unhealthy ? 'MinimumReplicasUnavailable' : 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
          lastUpdateTime: '2026-11-20T08:00:00Z',
          lastTransitionTime: '2026-11-20T08:00:00Z',
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${name}-5d8f7c9b6d" has successfully progressed.`,
          lastUpdateTime: '2026-11-20T08:00:00Z',
          lastTransitionTime: '2026-10-01T08:00:00Z',
        },
      ],
    },
  };
}

/** Nodes, their kube-proxy pods, and Deployments of the given size. */
export function syntheticCluster(size: { nodes: number; workloads: number }): unknown[] {
  const nodes = Array.from({ length: size.nodes }, (_, i) => {
    const n = node(
      `ip-10-${(i >> 8) & 255}-${i & 255}-${(i * 7) % 250}.eu-west-1.compute.internal`,
      i % 10 === 0 ? 'v1.29.8-eks-a737599' : 'v1.30.4-eks-a737599',
      `ng-${i % 5}`,
    );
    (n['metadata'] as Record<string, unknown>)['managedFields'] = managedFields('kubelet');
    return n;
  });
  const proxies = nodes.map((n, i) =>
    kubeProxyPod(
      (n['metadata'] as Record<string, unknown>)['name'] as string,
      '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.30.3-minimal-eksbuild.2',
      `kube-proxy-${i.toString(36).padStart(5, '0')}`,
    ),
  );
  const deployments = Array.from({ length: size.workloads }, (_, i) => deployment(i));
  return [...nodes, ...proxies, ...deployments];
}
