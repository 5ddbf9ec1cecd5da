/** buildPrometheusSnapshot, pure: query outcomes in, the snapshot the rules read out, with every failure kept visible. */
import { SourceError } from '../../../../lib/collect/errors';
import { DEFAULT_JOBS, DEFAULT_QUERY_SETTINGS } from '../../../../lib/collect/prometheus/queries';
import { buildPrometheusSnapshot } from '../../../../lib/collect/prometheus/snapshot';
import type { PrometheusSnapshotInput } from '../../../../lib/collect/prometheus/snapshot-input';
import type { QueryOutcome, Sample } from '../../../../lib/collect/prometheus/types';

const sample = (metric: Record<string, string>, value = 1): Sample => ({ metric, value });

const VERSIONS: QueryOutcome = {
  ok: true,
  warnings: [],
  samples: [
    sample({
      __name__: 'kubernetes_build_info',
      job: 'apiserver',
      instance: '10.0.0.1:443',
      git_version: 'v1.30.4-eks-a737599',
    }),
    sample({
      __name__: 'kube_node_info',
      node: 'n1',
      kubelet_version: 'v1.29.3-eks-1',
      internal_ip: '10.0.1.1',
      os_image: 'Amazon Linux 2',
      container_runtime_version: 'containerd://1.7.11',
    }),
    sample({
      __name__: 'kubernetes_build_info',
      job: 'kubelet',
      instance: '10.0.1.1:10250',
      git_version: 'v1.29.3-eks-1',
    }),
  ],
};

function build(
  outcomes: PrometheusSnapshotInput['outcomes'],
): ReturnType<typeof buildPrometheusSnapshot> {
  return buildPrometheusSnapshot({
    cluster: 'c',
    collectedAt: '2026-12-07T00:00:00.000Z',
    jobs: DEFAULT_JOBS,
    settings: DEFAULT_QUERY_SETTINGS,
    selectorText: '',
    outcomes,
  });
}

describe('buildPrometheusSnapshot', () => {
  it('reads the apiserver from build info and kubelets from node info, with the series as provenance', () => {
    const snapshot = build({ versions: VERSIONS });
    expect(snapshot.controlPlane).toEqual([
      {
        component: 'kube-apiserver',
        instance: '10.0.0.1:443',
        version: {
          raw: 'v1.30.4-eks-a737599',
          source: 'prometheus kubernetes_build_info{job="apiserver",instance="10.0.0.1:443"}',
        },
      },
    ]);
    expect(snapshot.nodes).toEqual([
      {
        name: 'n1',
        kubeletVersion: {
          raw: 'v1.29.3-eks-1',
          source: 'prometheus kube_node_info{node="n1"} kubelet_version',
        },
        containerRuntime: 'containerd://1.7.11',
        osImage: 'Amazon Linux 2',
      },
    ]);
    expect(snapshot.parts.apiserver).toEqual({ state: 'collected' });
    expect(snapshot.parts.nodes).toEqual({ state: 'collected' });
  });

  it('marks the parts of a partial answer (a store down behind Thanos) as read in part', () => {
    const snapshot = build({
      versions: { ...VERSIONS, serverWarnings: ['partial response: store eu-1 is down'] },
    });
    const partial = {
      state: 'collected',
      partial: [
        'Prometheus answered the versions query in part (partial response: store eu-1 is down)',
      ],
    };
    expect(snapshot.parts.apiserver).toEqual(partial);
    expect(snapshot.parts.nodes).toEqual(partial);
    // Queries that answered whole leave their parts whole.
    expect(snapshot.parts.sources).toEqual({ state: 'collected' });
  });

  it('names the platform from the version suffix, and marks what it manages not observable', () => {
    const snapshot = build({ versions: VERSIONS });
    expect(snapshot.provider).toBe('eks');
    expect(snapshot.parts.etcd).toMatchObject({ state: 'notObservable' });
    expect(snapshot.parts.controlPlane).toMatchObject({ state: 'notObservable' });
  });

  it('never reads a query that did not run as healthy: its parts are missing, with the reason', () => {
    const snapshot = build({ versions: VERSIONS });
    for (const part of [
      'deployments',
      'statefulsets',
      'daemonsets',
      'replicasets',
      'pods',
    ] as const) {
      expect(snapshot.parts[part]).toEqual({
        state: 'missing',
        reason: 'the presence query was not run',
      });
    }
    expect(snapshot.workloads).toEqual([]);
  });

  it('keeps a failed query as a read failure of the parts it feeds', () => {
    const error = new SourceError(
      'prometheus',
      'timeout',
      'Prometheus timed out on the versions query',
    );
    const snapshot = build({ versions: { ok: false, error } });
    for (const part of ['apiserver', 'controlPlane', 'etcd', 'nodes', 'kubeProxy'] as const) {
      expect(snapshot.parts[part]).toMatchObject({
        state: 'missing',
        reason: 'the versions query failed: Prometheus timed out on the versions query',
        failures: [expect.objectContaining({ kind: 'timeout' })],
      });
    }
    expect(snapshot.controlPlane).toEqual([]);
    expect(snapshot.nodes).toEqual([]);
  });

  it('carries Prometheus warnings and failed side queries into the notes', () => {
    const snapshot = build({
      versions: { ...VERSIONS, warnings: ['partial response: store down'] } as QueryOutcome,
      systemPods: {
        ok: false,
        error: new SourceError(
          'prometheus',
          'timeout',
          'Prometheus timed out on the systemPods query',
        ),
      },
    });
    expect(snapshot.notes).toEqual([
      'Prometheus warned on the versions query: partial response: store down',
      'the systemPods query failed: Prometheus timed out on the systemPods query; kube-system pod images were not read.',
    ]);
  });
});
