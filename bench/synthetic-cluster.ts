/**
 * Synthetic EKS-like clusters for the benchmarks: one compact model per size, rendered as the
 * kubectl-shaped objects the test API server serves (bench/synthetic-objects.ts) and as the
 * kube-state-metrics series a backfilled Prometheus holds (bench/synthetic-metrics.ts). Names
 * are decided here, so both renderings name every object alike. Deterministic: the same size
 * always yields the same cluster.
 */
import { nameSuffix, sha256 } from '../test/support/kube-objects';

/** A benchmark size: nodes, workloads (Deployments + StatefulSets + DaemonSets) and pods. */
export interface SizeSpec {
  readonly nodes: number;
  readonly workloads: number;
  readonly pods: number;
}

/** Benchmark sizes of issue 8. */
export const SIZES = {
  S: { nodes: 50, workloads: 500, pods: 1_500 },
  M: { nodes: 1_000, workloads: 5_000, pods: 30_000 },
  L: { nodes: 5_000, workloads: 20_000, pods: 150_000 },
} as const satisfies Record<string, SizeSpec>;

/** A size name. */
export type SizeName = keyof typeof SIZES;

/** The API server's version, as EKS reports it. */
export const SERVER_VERSION = 'v1.30.4-eks-a737599';
/** The kube-proxy image every node runs. */
export const KUBE_PROXY_IMAGE =
  '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.30.3-minimal-eksbuild.2';
const CURRENT_KUBELET = 'v1.30.4-eks-a737599';
const PREVIOUS_KUBELET = 'v1.29.8-eks-a737599';
// Four minors behind the API server: a node group left behind, so skew findings fire.
const LEGACY_KUBELET = 'v1.26.15-eks-1552ad0';

/** A node of the model. */
export interface NodeModel {
  readonly index: number;
  readonly name: string;
  readonly ip: string;
  readonly kubeletVersion: string;
  readonly nodeGroup: string;
  readonly zone: string;
  /** The EC2 instance behind the node (its providerID). */
  readonly instanceId: string;
}

/** How a workload's rollout looks in the model. */
export type Health =
  /** Settled: every replica updated and ready. */
  | 'healthy'
  /** A Deployment rollout whose one new pod crash-loops (odd index: cannot pull its image). */
  | 'rolloutStuck'
  /** A StatefulSet update whose highest ordinal cannot pull the new image. */
  | 'updateStuck';

/** A workload of the model. */
export interface WorkloadModel {
  readonly index: number;
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  readonly namespace: string;
  readonly name: string;
  /** The selector label's key and value (matchLabels has exactly this pair). */
  readonly selectorKey: string;
  readonly selectorValue: string;
  readonly container: string;
  readonly image: string;
  /** Desired pods (DaemonSets: one per node). */
  readonly replicas: number;
  readonly health: Health;
}

/** What a pod's only container is doing. */
export type PodState = 'running' | 'crashLoop' | 'imagePull';

/** A pod of the model (only enumerated, never stored: 150,000 of them at L). */
export interface PodModel {
  readonly namespace: string;
  readonly name: string;
  readonly node: NodeModel;
  readonly workload: WorkloadModel;
  /** The direct controller: a ReplicaSet for Deployment pods. */
  readonly ownerKind: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';
  readonly ownerName: string;
  /** pod-template-hash (ReplicaSet pods) or controller-revision-hash (the others). */
  readonly revisionLabel: string;
  readonly revisionValue: string;
  readonly image: string;
  readonly state: PodState;
  readonly restarts: number;
}

/** A ReplicaSet of a Deployment in the model. */
export interface ReplicaSetModel {
  readonly namespace: string;
  readonly name: string;
  readonly deployment: WorkloadModel;
  readonly revision: number;
  readonly hash: string;
  readonly replicas: number;
  readonly image: string;
}

/** A whole synthetic cluster. */
export interface ClusterModel {
  readonly size: SizeSpec;
  readonly nodes: readonly NodeModel[];
  readonly workloads: readonly WorkloadModel[];
}

interface DaemonSetDef {
  readonly namespace: string;
  readonly name: string;
  readonly selectorKey: string;
  readonly image: string;
}

// EKS add-ons and the usual node agents: each runs one pod per node.
const DAEMONSETS: readonly DaemonSetDef[] = [
  { namespace: 'kube-system', name: 'kube-proxy', selectorKey: 'k8s-app', image: KUBE_PROXY_IMAGE },
  {
    namespace: 'kube-system',
    name: 'aws-node',
    selectorKey: 'k8s-app',
    image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.3-eksbuild.1',
  },
  {
    namespace: 'kube-system',
    name: 'ebs-csi-node',
    selectorKey: 'app',
    image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/aws-ebs-csi-driver:v1.35.0',
  },
  {
    namespace: 'monitoring',
    name: 'node-exporter',
    selectorKey: 'app.kubernetes.io/name',
    image: 'quay.io/prometheus/node-exporter:v1.8.2',
  },
  {
    namespace: 'logging',
    name: 'fluent-bit',
    selectorKey: 'app.kubernetes.io/name',
    image: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9',
  },
];
const COREDNS_REPLICAS = 2;

/** A pod-template-hash or controller-revision-hash derived from `seed`. */
function templateHash(seed: string): string {
  return nameSuffix(seed, 10);
}

/** The name of a StatefulSet's revision `n` (1 = the one before an update). */
export function statefulSetRevision(w: WorkloadModel, n: number): string {
  return `${w.name}-${templateHash(`${w.namespace}/${w.name}/${n}`)}`;
}

/** The controller-revision-hash of a DaemonSet's pods. */
export function daemonSetRevision(w: WorkloadModel): string {
  return templateHash(`${w.namespace}/${w.name}/ds`);
}

/** A DaemonSet pod's name: five characters like the real suffix, unique per node. */
export function daemonSetPodName(w: WorkloadModel, node: NodeModel): string {
  // A hash alone could collide among 5,000 nodes; the node's index cannot.
  return `${w.name}-${nameSuffix(`${w.name}/${node.name}`, 2)}${node.index.toString(36).padStart(3, '0')}`;
}

/** The model of a size: nodes, then the DaemonSets, CoreDNS, and Deployments / StatefulSets. */
export function clusterModel(size: SizeSpec): ClusterModel {
  const nodes = Array.from({ length: size.nodes }, (_, i): NodeModel => {
    const group = i % 50 === 49 ? 'ng-legacy' : `ng-${i % 5}`;
    const name = `ip-10-0-${(i >> 8) & 255}-${i & 255}.eu-west-1.compute.internal`;
    return {
      index: i,
      name,
      ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
      kubeletVersion:
        group === 'ng-legacy' ? LEGACY_KUBELET : i % 10 === 3 ? PREVIOUS_KUBELET : CURRENT_KUBELET,
      nodeGroup: group,
      zone: `eu-west-1${'abc'[i % 3] ?? 'a'}`,
      instanceId: `i-0${sha256(`instance:${name}`).slice(0, 16)}`,
    };
  });
  const workloads: WorkloadModel[] = DAEMONSETS.map((ds, i) => ({
    index: i,
    kind: 'DaemonSet',
    namespace: ds.namespace,
    name: ds.name,
    selectorKey: ds.selectorKey,
    selectorValue: ds.name,
    container: ds.name,
    image: ds.image,
    replicas: size.nodes,
    health: 'healthy',
  }));
  workloads.push({
    index: workloads.length,
    kind: 'Deployment',
    namespace: 'kube-system',
    name: 'coredns',
    selectorKey: 'k8s-app',
    selectorValue: 'kube-dns',
    container: 'coredns',
    image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/coredns:v1.11.3-eksbuild.1',
    replicas: COREDNS_REPLICAS,
    health: 'healthy',
  });
  const apps = size.workloads - workloads.length;
  const appPods = size.pods - DAEMONSETS.length * size.nodes - COREDNS_REPLICAS;
  if (apps <= 0 || appPods < apps) {
    throw new Error(
      `size ${JSON.stringify(size)} leaves no room for application workloads; give more workloads and pods`,
    );
  }
  for (let i = 0; i < apps; i++) {
    const statefulSet = i % 10 === 9;
    const namespace = `team-${i % 40}`;
    const name = statefulSet ? `db-${i}` : `svc-${i}`;
    const replicas = Math.floor(appPods / apps) + (i < appPods % apps ? 1 : 0);
    const unhealthy = statefulSet ? i % 250 === 19 : i % 200 === 7;
    workloads.push({
      index: workloads.length,
      kind: statefulSet ? 'StatefulSet' : 'Deployment',
      namespace,
      name,
      selectorKey: 'app',
      selectorValue: name,
      container: 'app',
      image: `registry.example/${namespace}/${name}:1.4.${i % 9}`,
      // An unhealthy rollout needs one old pod beside the new one.
      replicas: unhealthy ? Math.max(replicas, 2) : replicas,
      health: unhealthy ? (statefulSet ? 'updateStuck' : 'rolloutStuck') : 'healthy',
    });
  }
  return { size, nodes, workloads };
}

/** The image a workload's new revision rolls out (a broken tag for stuck rollouts). */
export function newImageOf(w: WorkloadModel): string {
  return w.health === 'healthy' ? w.image : w.image.replace(/:[^:]+$/, ':2.0.0-rc.1');
}

/** The ReplicaSets of a Deployment: current and previous revision (the history a cluster keeps). */
export function replicaSetsOf(w: WorkloadModel): ReplicaSetModel[] {
  if (w.kind !== 'Deployment') return [];
  const rs = (revision: number, replicas: number, image: string): ReplicaSetModel => {
    const hash = templateHash(`${w.namespace}/${w.name}/${revision}`);
    return {
      namespace: w.namespace,
      name: `${w.name}-${hash}`,
      deployment: w,
      revision,
      hash,
      replicas,
      image,
    };
  };
  if (w.health === 'rolloutStuck') {
    return [rs(5, 1, newImageOf(w)), rs(4, w.replicas - 1, w.image)];
  }
  return [rs(4, w.replicas, w.image), rs(3, 0, w.image.replace(/:[^:]+$/, ':1.3.0'))];
}

/** Calls `visit` for every pod of the cluster, in a stable order. */
export function forEachPod(model: ClusterModel, visit: (pod: PodModel) => void): void {
  const { nodes } = model;
  for (const w of model.workloads) {
    if (w.kind === 'DaemonSet') {
      const hash = daemonSetRevision(w);
      for (const node of nodes) {
        visit({
          namespace: w.namespace,
          name: daemonSetPodName(w, node),
          node,
          workload: w,
          ownerKind: 'DaemonSet',
          ownerName: w.name,
          revisionLabel: 'controller-revision-hash',
          revisionValue: hash,
          image: w.image,
          state: 'running',
          restarts: 0,
        });
      }
      continue;
    }
    if (w.kind === 'StatefulSet') {
      const current = statefulSetRevision(w, 1);
      const update = w.health === 'updateStuck' ? statefulSetRevision(w, 2) : current;
      for (let k = 0; k < w.replicas; k++) {
        // StatefulSets update from the highest ordinal down.
        const updated = w.health === 'updateStuck' && k === w.replicas - 1;
        visit({
          namespace: w.namespace,
          name: `${w.name}-${k}`,
          node: nodeFor(nodes, w.index, k),
          workload: w,
          ownerKind: 'StatefulSet',
          ownerName: w.name,
          revisionLabel: 'controller-revision-hash',
          revisionValue: updated ? update : current,
          image: updated ? newImageOf(w) : w.image,
          state: updated ? 'imagePull' : 'running',
          restarts: 0,
        });
      }
      continue;
    }
    let k = 0;
    for (const rs of replicaSetsOf(w)) {
      const broken = w.health === 'rolloutStuck' && rs.revision === 5;
      const state: PodState = broken ? (w.index % 2 === 0 ? 'crashLoop' : 'imagePull') : 'running';
      for (let r = 0; r < rs.replicas; r++, k++) {
        visit({
          namespace: w.namespace,
          name: `${rs.name}-${nameSuffix(`${rs.name}/${r}`, 3)}${r.toString(36).padStart(2, '0')}`,
          node: nodeFor(nodes, w.index, k),
          workload: w,
          ownerKind: 'ReplicaSet',
          ownerName: rs.name,
          revisionLabel: 'pod-template-hash',
          revisionValue: rs.hash,
          image: rs.image,
          state,
          restarts: state === 'crashLoop' ? 14 : 0,
        });
      }
    }
  }
}

function nodeFor(nodes: readonly NodeModel[], workload: number, replica: number): NodeModel {
  const node = nodes[(workload * 7 + replica * 13) % nodes.length];
  if (!node) throw new Error('the model has no nodes');
  return node;
}

/** Object counts of a model, for the bench's table header. */
export function modelCounts(model: ClusterModel): Record<string, number> {
  let pods = 0;
  forEachPod(model, () => (pods += 1));
  const count = (kind: WorkloadModel['kind']): number =>
    model.workloads.filter((w) => w.kind === kind).length;
  return {
    nodes: model.nodes.length,
    deployments: count('Deployment'),
    statefulsets: count('StatefulSet'),
    daemonsets: count('DaemonSet'),
    replicasets: model.workloads.reduce((n, w) => n + replicaSetsOf(w).length, 0),
    pods,
    unhealthy: model.workloads.filter((w) => w.health !== 'healthy').length,
  };
}
