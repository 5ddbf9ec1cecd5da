import type { ListStatus } from '../../../../lib/collect/kube-objects/objects';
import { buildSnapshot } from '../../../../lib/collect/kube-objects/snapshot';
import { emptyObjects } from '../../../../lib/collect/kube-objects/objects';
import { node, versionOutput } from '../../../support/kube-objects';

const collected: ListStatus = { state: 'collected' };
const lists = {
  nodes: collected,
  pods: collected,
  deployments: collected,
  statefulsets: collected,
  daemonsets: collected,
  replicasets: collected,
  applications: collected,
  kustomizations: collected,
  helmreleases: collected,
};

/** A kube-system pod that is no control-plane component (k3s and kubeadm both run CoreDNS). */
const coredns = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'coredns-6799fbcd5-x2x9k',
    namespace: 'kube-system',
    labels: { 'k8s-app': 'kube-dns' },
  },
  spec: {
    nodeName: 'n1',
    containers: [{ name: 'coredns', image: 'rancher/mirrored-coredns-coredns:1.10.1' }],
  },
  status: { phase: 'Running' },
};

/** A snapshot of one node at `version` whose kube-system runs only CoreDNS. */
function snapshotAt(version: string) {
  return buildSnapshot({
    cluster: 'c',
    collectedAt: '2026-11-21T12:00:00Z',
    sources: [],
    origin: 'kubectl output',
    lists,
    objects: {
      ...emptyObjects(),
      version: versionOutput(version).serverVersion as Record<string, unknown>,
      nodes: [node('n1', version)],
      pods: [coredns],
    },
  });
}

describe('control-plane parts without pods to read them from', () => {
  it('k3s: controller-manager, scheduler, etcd and kube-proxy run in-process — not observable', () => {
    const { parts } = snapshotAt('v1.29.0+k3s1');
    for (const part of ['controlPlane', 'etcd', 'kubeProxy'] as const) {
      expect(parts[part]).toMatchObject({
        state: 'notObservable',
        reason: expect.stringMatching(/^k3s runs .* inside its (server|agent) process/) as unknown,
      });
    }
  });

  it('kubeadm-style clusters without those pods: missing, naming the labels looked for', () => {
    const { parts } = snapshotAt('v1.29.4');
    expect(parts.controlPlane).toMatchObject({
      state: 'missing',
      reason: expect.stringContaining('as kubeadm and rke2 set them') as unknown,
    });
    expect(parts.kubeProxy).toMatchObject({ state: 'missing' });
  });
});
