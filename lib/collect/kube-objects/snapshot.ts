/**
 * The snapshot builder every Kubernetes-object source shares (live API, kubectl files): normalized
 * objects, versions with provenance, provider, and the status of each snapshot part.
 */
import type {
  ClusterSnapshot,
  ControlPlaneComponent,
  ControlPlaneInstance,
  NodeInfo,
  OwnerRef,
  PartStatus,
  PodInfo,
  ReadFailure,
  SnapshotPart,
  SourceStatus,
} from '../../rules/model';
import { SNAPSHOT_PARTS } from '../../rules/model';
import {
  normalizeDaemonSet,
  normalizeDeployment,
  normalizeNode,
  normalizePod,
  normalizeReplicaSet,
  normalizeStatefulSet,
} from './normalize';
import { gitopsPart, normalizeGitOps } from './gitops';
import { MANAGED_PLATFORMS, detectProvider, detectedPlatform } from './provider';
import type { Raw } from './raw';
import { str } from './raw';
import type { KubeObjects, ListKind, ListStatus } from './objects';
import type { AutoscalerRead, DesiredManifests } from './manifests';
import { manifestsOf } from './manifests';

/** Input to buildSnapshot. */
export interface BuildSnapshotInput {
  readonly cluster: string;
  readonly collectedAt: string;
  readonly sources: readonly SourceStatus[];
  readonly objects: KubeObjects;
  readonly lists: Readonly<Record<ListKind, ListStatus>>;
  /** Why the version is missing when `objects.version` is absent. */
  readonly versionMissingReason?: string;
  /** The failed read behind versionMissingReason, when a read failed. */
  readonly versionFailure?: ReadFailure;
  /** Where the objects came from, for provenance (`kubectl output`, `GET /version`). */
  readonly origin: string;
  readonly notes?: readonly string[];
  /** Control-plane instances read elsewhere (EKS control-plane metrics endpoints). */
  readonly extraControlPlane?: readonly ControlPlaneInstance[];
  /** Why controller-manager/scheduler could not be read from extraControlPlane's source. */
  readonly controlPlaneMissingReason?: string;
  /** Rendered manifests to compare the live workloads with (part `manifests`). */
  readonly manifests?: DesiredManifests;
  /** The HorizontalPodAutoscalers read beside them, for whose replicas are owned. */
  readonly autoscalers?: AutoscalerRead;
}

const CONTROL_PLANE: readonly ControlPlaneComponent[] = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'cloud-controller-manager',
  'etcd',
];

/** Turns raw Kubernetes objects into the normalized ClusterSnapshot the rules read. */
export function buildSnapshot(input: BuildSnapshotInput): ClusterSnapshot {
  const { objects, lists } = input;
  const notes = [...(input.notes ?? [])];
  const rsOwners = new Map<string, OwnerRef>();
  const replicaSets = objects.replicasets.map(normalizeReplicaSet);
  for (const rs of replicaSets) if (rs.owner) rsOwners.set(`${rs.namespace}/${rs.name}`, rs.owner);
  const pods = objects.pods.map((p) => normalizePod(p, rsOwners));
  const provider = providerOfObjects(objects);
  const podsListed = lists.pods.state === 'collected';
  const systemPods = pods.filter((p) => p.namespace === 'kube-system');

  const controlPlane: ControlPlaneInstance[] = [];
  for (const pod of systemPods) {
    const component = controlPlaneComponentOf(pod);
    if (!component) continue;
    const image = imageOf(pod, component);
    controlPlane.push({
      component,
      instance: pod.name,
      version: { raw: image, source: `pod kube-system/${pod.name} image` },
      ...(pod.nodeName ? { node: pod.nodeName } : {}),
    });
  }
  controlPlane.push(...(input.extraControlPlane ?? []));
  const hasApiserverPods = controlPlane.some((c) => c.component === 'kube-apiserver');
  const gitVersion = str(objects.version, 'gitVersion');
  if (!hasApiserverPods && gitVersion !== undefined) {
    controlPlane.push({
      component: 'kube-apiserver',
      instance: 'serverVersion',
      version: { raw: gitVersion, source: `${input.origin} serverVersion` },
    });
  }

  const proxyByNode = new Map<string, { raw: string; source: string }>();
  for (const pod of systemPods) {
    if (!isKubeProxy(pod) || !pod.nodeName) continue;
    proxyByNode.set(pod.nodeName, {
      raw: imageOf(pod, 'kube-proxy'),
      source: `pod kube-system/${pod.name} image`,
    });
  }
  const nodes: NodeInfo[] = objects.nodes.map((raw) => {
    const node = normalizeNode(raw);
    const proxy = proxyByNode.get(node.name);
    return proxy ? { ...node, kubeProxyVersion: proxy } : node;
  });
  const nodeNames = new Set(nodes.map((n) => n.name));
  const orphanProxies = [...proxyByNode.keys()].filter((n) => !nodeNames.has(n));
  if (orphanProxies.length > 0 && nodes.length > 0) {
    notes.push(
      `${orphanProxies.length} kube-proxy pod(s) run on nodes not in the input (${orphanProxies.slice(0, 3).join(', ')}); their versions are not checked.`,
    );
  }

  const systemPodsState = podsListed
    ? systemPods.length > 0
      ? undefined
      : 'the pods in the input include none from kube-system'
    : `pods were not collected (${lists.pods.state === 'missing' ? lists.pods.reason : ''})`;
  // Parts read from kube-system's pods are missing for the same failed read as the pods.
  const systemPodsFailures = lists.pods.state === 'missing' ? lists.pods.failures : undefined;

  const parts: Partial<Record<SnapshotPart, PartStatus>> = {
    sources: { state: 'collected' },
    nodes: listPart(lists.nodes),
    pods: listPart(lists.pods),
    deployments: listPart(lists.deployments),
    statefulsets: listPart(lists.statefulsets),
    daemonsets: listPart(lists.daemonsets),
    replicasets: listPart(lists.replicasets),
    gitops: gitopsPart(lists),
    apiserver:
      hasApiserverPods || gitVersion !== undefined
        ? { state: 'collected' }
        : {
            state: 'missing',
            reason:
              input.versionMissingReason ??
              'no server version and no kube-apiserver pods in the input; add `kubectl version -o json` output',
            ...(input.versionFailure ? { failures: [input.versionFailure] } : {}),
          },
    controlPlane: componentPart(
      controlPlane.some((c) => c.component !== 'kube-apiserver' && c.component !== 'etcd'),
      provider,
      input.controlPlaneMissingReason ?? systemPodsState,
      'kube-controller-manager and kube-scheduler',
      input.controlPlaneMissingReason !== undefined,
      input.controlPlaneMissingReason === undefined ? systemPodsFailures : undefined,
    ),
    etcd: componentPart(
      controlPlane.some((c) => c.component === 'etcd'),
      provider,
      systemPodsState,
      'etcd',
      false,
      systemPodsFailures,
    ),
    kubeProxy:
      proxyByNode.size > 0
        ? { state: 'collected' }
        : provider === 'k3s' && !systemPodsState
          ? {
              state: 'notObservable',
              reason:
                'k3s runs kube-proxy inside its agent process, which has no pods to read it from',
            }
          : {
              state: 'missing',
              reason:
                systemPodsState ??
                'no kube-proxy pods in kube-system (expected when a kube-proxy replacement such as Cilium is used)',
              ...(systemPodsFailures ? { failures: systemPodsFailures } : {}),
            },
  };
  // Whose support calendar applies is known once the apiserver's version is.
  if (parts.apiserver?.state === 'collected') parts.platform = { state: 'collected' };
  if (
    objects.nodes.some((n) => str(n, 'status', 'nodeInfo', 'kubeProxyVersion') !== undefined) &&
    proxyByNode.size === 0
  ) {
    notes.push(
      'node status.nodeInfo.kubeProxyVersion is ignored: it is deprecated and only copies the kubelet version.',
    );
  }
  const drift = input.manifests
    ? manifestsOf(
        input.manifests,
        objects,
        lists,
        input.autoscalers ?? { state: 'unknown', reason: 'HorizontalPodAutoscalers were not read' },
      )
    : undefined;
  if (drift && input.manifests) {
    parts.manifests = drift.status;
    notes.push(...input.manifests.notes);
  }
  return {
    cluster: input.cluster,
    collectedAt: input.collectedAt,
    sources: input.sources,
    parts,
    ...(drift?.state ? { manifests: drift.state } : {}),
    ...(provider ? { provider } : {}),
    ...(parts.platform ? { platform: detectedPlatform(provider) } : {}),
    controlPlane,
    nodes,
    workloads: [
      ...objects.deployments.map(normalizeDeployment),
      ...objects.statefulsets.map(normalizeStatefulSet),
      ...objects.daemonsets.map(normalizeDaemonSet),
    ],
    replicaSets,
    pods,
    notes,
    ...(parts.gitops?.state === 'collected' ? { gitops: normalizeGitOps(objects) } : {}),
  };
}

function listPart(status: ListStatus): PartStatus {
  if (status.state === 'collected') return { state: 'collected' };
  // Only custom resources can be not installed; a core list that is not there is missing.
  if (status.state === 'notInstalled') return { state: 'missing', reason: status.reason };
  return {
    state: 'missing',
    reason: status.reason,
    ...(status.failures ? { failures: status.failures } : {}),
  };
}

function componentPart(
  found: boolean,
  provider: string | undefined,
  systemPodsProblem: string | undefined,
  what: string,
  preferProblem = false,
  failures?: readonly ReadFailure[],
): PartStatus {
  if (found) return { state: 'collected' };
  const managed = provider ? MANAGED_PLATFORMS[provider] : undefined;
  if (managed && preferProblem && systemPodsProblem)
    return { state: 'notObservable', reason: systemPodsProblem };
  if (managed) {
    return {
      state: 'notObservable',
      reason: `${managed} manages ${what} itself, out of sight of the pod list`,
    };
  }
  if (provider === 'k3s' && !systemPodsProblem) {
    // k3s runs the control plane (and its embedded etcd) inside its server process: no pods.
    return {
      state: 'notObservable',
      reason: `k3s runs ${what} inside its server process, which has no pods to read them from`,
    };
  }
  return {
    state: 'missing',
    reason:
      systemPodsProblem ??
      `no ${what} pods in kube-system (labels component=…, as kubeadm and rke2 set them)`,
    ...(systemPodsProblem !== undefined && failures ? { failures } : {}),
  };
}

/** The control-plane component a kube-system pod is, from kubeadm-style labels or its static-pod name. */
function controlPlaneComponentOf(pod: PodInfo): ControlPlaneComponent | undefined {
  const label = pod.labels['component'];
  if (label && (CONTROL_PLANE as readonly string[]).includes(label))
    return label as ControlPlaneComponent;
  // Static (mirror) pods are owned by their Node and named `<component>-<node>`.
  if (pod.owner?.kind !== 'Node') return undefined;
  return CONTROL_PLANE.find((c) => pod.name.startsWith(`${c}-`));
}

function isKubeProxy(pod: PodInfo): boolean {
  return (
    pod.labels['k8s-app'] === 'kube-proxy' ||
    pod.labels['component'] === 'kube-proxy' ||
    (pod.owner?.kind === 'DaemonSet' && pod.owner.name === 'kube-proxy')
  );
}

/** The image of the component's own container (same name), else the first container's. */
function imageOf(pod: PodInfo, component: string): string {
  const own = pod.containers.find((c) => c.name === component);
  return (own ?? pod.containers[0])?.image ?? '';
}

/** eks | gke | aks | k3s | rke2 from the server version suffix or node provider labels. */
function providerOfObjects(objects: KubeObjects): string | undefined {
  return detectProvider(
    [str(objects.version, 'gitVersion') ?? ''],
    objects.nodes.map((node) => {
      const labels = (node['metadata'] as Raw | undefined)?.['labels'] as Raw | undefined;
      return (label: string) => labels?.[label] !== undefined;
    }),
  );
}

/** The snapshot of a run in which no source answered: every part missing, with the reasons. */
export function failedSnapshot(
  cluster: string,
  collectedAt: string,
  sources: readonly SourceStatus[],
): ClusterSnapshot {
  const reason = `every source failed (${sources.map((s) => `${s.source}: ${s.reason ?? 'failed'}`).join('; ')})`;
  const parts: Partial<Record<SnapshotPart, PartStatus>> = { sources: { state: 'collected' } };
  for (const part of SNAPSHOT_PARTS)
    if (part !== 'sources') parts[part] = { state: 'missing', reason };
  return {
    cluster,
    collectedAt,
    sources,
    parts,
    controlPlane: [],
    nodes: [],
    workloads: [],
    replicaSets: [],
    pods: [],
    notes: [],
  };
}
