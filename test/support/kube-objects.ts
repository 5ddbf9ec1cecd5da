/**
 * Factories for kubectl-shaped objects (as `kubectl get -o json` prints them), for tests and
 * fixture generation. Deterministic: names and UIDs derive from the arguments.
 */

const CREATED = '2026-10-01T08:00:00Z';

function uid(seed: string): string {
  let h = 0x811c9dc5;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  const a = hex(h);
  const b = hex(Math.imul(h, 2654435761));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${a.slice(1, 4)}-${b}${a.slice(0, 4)}`;
}

/** `kubectl version -o json` output with the given server gitVersion. */
export function versionOutput(gitVersion: string): Record<string, unknown> {
  const m = /^v?(\d+)\.(\d+)/.exec(gitVersion);
  return {
    clientVersion: {
      major: '1',
      minor: '31',
      gitVersion: 'v1.31.2',
      gitCommit: '5864a4677267e6adeae276ad85882a8714d69d9d',
      gitTreeState: 'clean',
      buildDate: '2024-10-22T20:35:25Z',
      goVersion: 'go1.22.8',
      compiler: 'gc',
      platform: 'linux/amd64',
    },
    kustomizeVersion: 'v5.4.2',
    serverVersion: {
      major: m?.[1] ?? '',
      minor: m?.[2] ?? '',
      gitVersion,
      gitCommit: 'a737599e1e0e5f2a6c4f5c1fb3fe5e1c0e3d4e2b',
      gitTreeState: 'clean',
      buildDate: '2024-08-26T21:27:41Z',
      goVersion: 'go1.22.5',
      compiler: 'gc',
      platform: 'linux/amd64',
    },
  };
}

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
      uid: uid(`node/${name}`),
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
          lastHeartbeatTime: '2026-11-21T11:59:00Z',
          lastTransitionTime: CREATED,
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
      nodeInfo: {
        architecture: 'amd64',
        bootID: uid(`boot/${name}`),
        containerRuntimeVersion: 'containerd://1.7.22',
        kernelVersion: '6.1.112-122.189.amzn2023.x86_64',
        kubeProxyVersion: kubeletVersion,
        kubeletVersion,
        machineID: uid(`machine/${name}`).replace(/-/g, ''),
        operatingSystem: 'linux',
        osImage: 'Amazon Linux 2023.6.20241031',
        systemUUID: uid(`sys/${name}`),
      },
    },
  };
}

/** A kubeadm-style static (mirror) pod of a control-plane component on `nodeName`. */
export function staticPod(
  component: string,
  nodeName: string,
  image: string,
): Record<string, unknown> {
  const name = `${component}-${nodeName}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'kube-system',
      uid: uid(`pod/${name}`),
      creationTimestamp: CREATED,
      labels: { component, tier: 'control-plane' },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Node',
          name: nodeName,
          uid: uid(`node/${nodeName}`),
          controller: true,
        },
      ],
    },
    spec: {
      nodeName,
      containers: [{ name: component, image }],
      priorityClassName: 'system-node-critical',
    },
    status: {
      phase: 'Running',
      startTime: CREATED,
      containerStatuses: [
        {
          name: component,
          image,
          imageID: `${image}@sha256:${'0'.repeat(64)}`,
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: CREATED } },
        },
      ],
    },
  };
}

/** A kube-proxy DaemonSet pod on `nodeName` with `image`. */
export function kubeProxyPod(
  nodeName: string,
  image: string,
  name = `kube-proxy-${uid(nodeName).slice(0, 5)}`,
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'kube-system',
      uid: uid(`pod/${name}`),
      creationTimestamp: CREATED,
      labels: {
        'controller-revision-hash': '7f9d8c6b5d',
        'k8s-app': 'kube-proxy',
        'pod-template-generation': '3',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name: 'kube-proxy',
          uid: uid('ds/kube-proxy'),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { nodeName, containers: [{ name: 'kube-proxy', image }] },
    status: {
      phase: 'Running',
      startTime: CREATED,
      containerStatuses: [
        {
          name: 'kube-proxy',
          image,
          imageID: `${image}@sha256:${'1'.repeat(64)}`,
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: CREATED } },
        },
      ],
    },
  };
}

/** A `kubectl get … -o json` List of the given items. */
export function list(items: readonly unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
}

/** Compact description of a cluster's versions, for table tests. */
export interface ClusterSpec {
  /** Server version for `kubectl version` (omitted when apiservers are given as pods). */
  readonly serverVersion?: string;
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
  if (spec.serverVersion) docs.push(versionOutput(spec.serverVersion));
  docs.push(list(Object.entries(spec.kubelets).map(([n, v]) => node(n, v, spec.nodeGroups?.[n]))));
  if (pods.length > 0) docs.push(list(pods));
  return docs;
}
