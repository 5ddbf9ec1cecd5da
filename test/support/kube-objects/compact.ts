/**
 * Compact objects for table tests: a node, a control-plane static pod and a kube-proxy pod with
 * only the fields version-skew checks read, and a whole cluster from a one-line-per-node spec.
 */
import { containerStatus, running } from './containers';
import type { JsonObject } from './documents';
import { list, versionOutput } from './documents';
import { nameSuffix, uid } from './ids';
import { AL2023_NODE, nodeInfo } from './nodes';
import type { Owner } from './owners';
import { controllerRef } from './owners';

/** When the compact objects were created; every one is Ready since. */
const CREATED = '2026-10-01T08:00:00Z';
const HEARTBEAT = '2026-11-21T11:59:00Z';

/** A Node with the given kubelet version (and node group label when given). */
export function node(
  name: string,
  kubeletVersion: string,
  nodeGroup?: string,
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: uid(`node:${name}`),
      resourceVersion: '4711',
      creationTimestamp: CREATED,
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(nodeGroup ? { 'eks.amazonaws.com/nodegroup': nodeGroup } : {}),
      },
    },
    spec: {},
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastHeartbeatTime: HEARTBEAT,
          lastTransitionTime: CREATED,
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
      nodeInfo: nodeInfo(name, kubeletVersion, AL2023_NODE),
    },
  };
}

/** A one-container kube-system pod on `nodeName`, running `image` since CREATED. */
function systemPod(
  name: string,
  nodeName: string,
  container: string,
  image: string,
  labels: Readonly<Record<string, string>>,
  ownerReference: JsonObject,
  spec: JsonObject = {},
): Record<string, unknown> {
  const podUid = uid(`pod:kube-system/${name}`);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'kube-system',
      uid: podUid,
      creationTimestamp: CREATED,
      labels,
      ownerReferences: [ownerReference],
    },
    spec: { nodeName, containers: [{ name: container, image }], ...spec },
    status: {
      phase: 'Running',
      startTime: CREATED,
      containerStatuses: [
        containerStatus(
          { namespace: 'kube-system', name, uid: podUid },
          container,
          image,
          running(CREATED),
        ),
      ],
    },
  };
}

/** A kubeadm-style static (mirror) pod of a control-plane component on `nodeName`. */
export function staticPod(
  component: string,
  nodeName: string,
  image: string,
): Record<string, unknown> {
  const owner: Owner = {
    apiVersion: 'v1',
    kind: 'Node',
    name: nodeName,
    uid: uid(`node:${nodeName}`),
  };
  return systemPod(
    `${component}-${nodeName}`,
    nodeName,
    component,
    image,
    { component, tier: 'control-plane' },
    // The kubelet, not a controller, owns mirror pods: no blockOwnerDeletion.
    controllerRef(owner, false),
    { priorityClassName: 'system-node-critical' },
  );
}

/** A kube-proxy DaemonSet pod on `nodeName` with `image`. */
export function kubeProxyPod(
  nodeName: string,
  image: string,
  name = `kube-proxy-${nameSuffix(`kube-system/kube-proxy/${nodeName}`)}`,
): Record<string, unknown> {
  const owner: Owner = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    name: 'kube-proxy',
    uid: uid('DaemonSet:kube-system/kube-proxy'),
  };
  return systemPod(
    name,
    nodeName,
    'kube-proxy',
    image,
    {
      'controller-revision-hash': '7f9d8c6b5d',
      'k8s-app': 'kube-proxy',
      'pod-template-generation': '3',
    },
    controllerRef(owner),
  );
}

/** Compact description of a cluster's versions, for table tests. */
export interface ClusterSpec {
  /** Server version for `kubectl version` (omitted when apiservers are given as pods). */
  readonly serverVersion?: string;
  /** Client version of that `kubectl version` output (v1.31.2 unless given). */
  readonly kubectlVersion?: string;
  /** kube-apiserver static pods: node → image tag (`v1.30.2`). */
  readonly apiservers?: Readonly<Record<string, string>>;
  readonly controllerManagers?: Readonly<Record<string, string>>;
  readonly schedulers?: Readonly<Record<string, string>>;
  readonly etcd?: Readonly<Record<string, string>>;
  /** node → kubelet version. */
  readonly kubelets: Readonly<Record<string, string>>;
  /** node → kube-proxy image tag. */
  readonly kubeProxies?: Readonly<Record<string, string>>;
  /** node → node group. */
  readonly nodeGroups?: Readonly<Record<string, string>>;
}

/** kubectl documents for a cluster spec: version output, a nodes List and a kube-system pods List. */
export function clusterDocuments(spec: ClusterSpec): unknown[] {
  const pods: unknown[] = [];
  const add = (
    component: string,
    images: Readonly<Record<string, string>> | undefined,
    repo: string,
  ): void => {
    for (const [nodeName, tag] of Object.entries(images ?? {}))
      pods.push(staticPod(component, nodeName, `${repo}:${tag}`));
  };
  add('kube-apiserver', spec.apiservers, 'registry.k8s.io/kube-apiserver');
  add(
    'kube-controller-manager',
    spec.controllerManagers,
    'registry.k8s.io/kube-controller-manager',
  );
  add('kube-scheduler', spec.schedulers, 'registry.k8s.io/kube-scheduler');
  add('etcd', spec.etcd, 'registry.k8s.io/etcd');
  for (const [nodeName, tag] of Object.entries(spec.kubeProxies ?? {}))
    pods.push(kubeProxyPod(nodeName, `registry.k8s.io/kube-proxy:${tag}`));
  const docs: unknown[] = [];
  if (spec.serverVersion)
    docs.push(
      versionOutput(
        spec.serverVersion,
        spec.kubectlVersion ? { clientVersion: spec.kubectlVersion } : {},
      ),
    );
  docs.push(list(Object.entries(spec.kubelets).map(([n, v]) => node(n, v, spec.nodeGroups?.[n]))));
  if (pods.length > 0) docs.push(list(pods));
  return docs;
}
