/** Normalizers: raw Kubernetes objects (from the API or kubectl output) into the model types the rules read. */
import type {
  Condition,
  ContainerInfo,
  ContainerState,
  DaemonSetInfo,
  DeploymentInfo,
  LastTermination,
  NodeInfo,
  OwnerRef,
  PodInfo,
  ReplicaSetInfo,
  StatefulSetInfo,
  WorkloadBase,
} from '../../rules/model';
import { opt } from '../../util/opt';
import { containerStateOf } from './container-state';
import { workloadOfOwner } from './owners';
import type { Raw } from './raw';
import { arr, at, bool, isRecord, num, str, strMap } from './raw';

/** Node-group labels of the common providers, most specific first. */
export const NODE_GROUP_LABELS: readonly string[] = [
  'eks.amazonaws.com/nodegroup',
  'alpha.eksctl.io/nodegroup-name',
  'cloud.google.com/gke-nodepool',
  'kubernetes.azure.com/agentpool',
  'agentpool',
  'karpenter.sh/nodepool',
  'karpenter.sh/provisioner-name',
  'kops.k8s.io/instancegroup',
];

/** A Node object → NodeInfo (kube-proxy version is filled in later from its pods). */
export function normalizeNode(obj: Raw): NodeInfo {
  const name = str(obj, 'metadata', 'name') ?? '<unnamed>';
  const labels = strMap(obj, 'metadata', 'labels');
  const nodeGroup = NODE_GROUP_LABELS.map((l) => labels[l]).find((v) => v !== undefined);
  const info = at(obj, 'status', 'nodeInfo');
  return {
    name,
    kubeletVersion: {
      raw: str(info, 'kubeletVersion') ?? '',
      source: `node ${name} status.nodeInfo.kubeletVersion`,
    },
    ...opt('nodeGroup', nodeGroup),
    ...opt('containerRuntime', str(info, 'containerRuntimeVersion')),
    ...opt('osImage', str(info, 'osImage')),
    ...opt('kernelVersion', str(info, 'kernelVersion')),
    ...opt('architecture', str(info, 'architecture')),
    ...opt('createdAt', str(obj, 'metadata', 'creationTimestamp')),
  };
}

/** The controlling owner from metadata.ownerReferences (controller: true, else the first). */
export function controllerOf(obj: Raw): OwnerRef | undefined {
  const owners = arr(obj, 'metadata', 'ownerReferences').filter(isRecord);
  const owner = owners.find((o) => o['controller'] === true) ?? owners[0];
  const kind = str(owner, 'kind');
  const name = str(owner, 'name');
  return kind && name ? { kind, name } : undefined;
}

/** Conditions array → model conditions; entries without type/status are dropped. */
export function normalizeConditions(list: readonly unknown[]): Condition[] {
  const out: Condition[] = [];
  for (const c of list) {
    const type = str(c, 'type');
    const status = str(c, 'status');
    if (!type || (status !== 'True' && status !== 'False' && status !== 'Unknown')) continue;
    out.push({
      type,
      status,
      ...opt('reason', str(c, 'reason')),
      ...opt('message', str(c, 'message')),
      ...opt('lastTransitionTime', str(c, 'lastTransitionTime')),
      ...opt('lastUpdateTime', str(c, 'lastUpdateTime')),
    });
  }
  return out;
}

function workloadBase(obj: Raw): WorkloadBase {
  return {
    namespace: str(obj, 'metadata', 'namespace') ?? 'default',
    name: str(obj, 'metadata', 'name') ?? '<unnamed>',
    ...opt('generation', num(obj, 'metadata', 'generation')),
    ...opt('observedGeneration', num(obj, 'status', 'observedGeneration')),
    labels: strMap(obj, 'metadata', 'labels'),
    selector: strMap(obj, 'spec', 'selector', 'matchLabels'),
    conditions: normalizeConditions(arr(obj, 'status', 'conditions')),
    ...opt('createdAt', str(obj, 'metadata', 'creationTimestamp')),
  };
}

/** A Deployment object → DeploymentInfo (spec.replicas defaults to 1 as in the API). */
export function normalizeDeployment(obj: Raw): DeploymentInfo {
  return {
    kind: 'Deployment',
    ...workloadBase(obj),
    replicas: num(obj, 'spec', 'replicas') ?? 1,
    updatedReplicas: num(obj, 'status', 'updatedReplicas') ?? 0,
    readyReplicas: num(obj, 'status', 'readyReplicas') ?? 0,
    availableReplicas: num(obj, 'status', 'availableReplicas') ?? 0,
    unavailableReplicas: num(obj, 'status', 'unavailableReplicas') ?? 0,
    paused: bool(obj, 'spec', 'paused') ?? false,
    strategy: str(obj, 'spec', 'strategy', 'type') === 'Recreate' ? 'Recreate' : 'RollingUpdate',
    ...opt('revision', str(obj, 'metadata', 'annotations', 'deployment.kubernetes.io/revision')),
    ...opt('progressDeadlineSeconds', num(obj, 'spec', 'progressDeadlineSeconds')),
  };
}

/** A StatefulSet object → StatefulSetInfo. */
export function normalizeStatefulSet(obj: Raw): StatefulSetInfo {
  return {
    kind: 'StatefulSet',
    ...workloadBase(obj),
    replicas: num(obj, 'spec', 'replicas') ?? 1,
    readyReplicas: num(obj, 'status', 'readyReplicas') ?? 0,
    currentReplicas: num(obj, 'status', 'currentReplicas') ?? 0,
    updatedReplicas: num(obj, 'status', 'updatedReplicas') ?? 0,
    availableReplicas: num(obj, 'status', 'availableReplicas') ?? 0,
    ...opt('currentRevision', str(obj, 'status', 'currentRevision')),
    ...opt('updateRevision', str(obj, 'status', 'updateRevision')),
    updateStrategy:
      str(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete' ? 'OnDelete' : 'RollingUpdate',
    ...opt('partition', num(obj, 'spec', 'updateStrategy', 'rollingUpdate', 'partition')),
  };
}

/** A DaemonSet object → DaemonSetInfo. */
export function normalizeDaemonSet(obj: Raw): DaemonSetInfo {
  return {
    kind: 'DaemonSet',
    ...workloadBase(obj),
    desiredNumberScheduled: num(obj, 'status', 'desiredNumberScheduled') ?? 0,
    currentNumberScheduled: num(obj, 'status', 'currentNumberScheduled') ?? 0,
    updatedNumberScheduled: num(obj, 'status', 'updatedNumberScheduled') ?? 0,
    numberAvailable: num(obj, 'status', 'numberAvailable') ?? 0,
    numberReady: num(obj, 'status', 'numberReady') ?? 0,
    numberMisscheduled: num(obj, 'status', 'numberMisscheduled') ?? 0,
    numberUnavailable: num(obj, 'status', 'numberUnavailable') ?? 0,
    updateStrategy:
      str(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete' ? 'OnDelete' : 'RollingUpdate',
  };
}

/** A ReplicaSet object → ReplicaSetInfo. */
export function normalizeReplicaSet(obj: Raw): ReplicaSetInfo {
  const owner = controllerOf(obj);
  return {
    namespace: str(obj, 'metadata', 'namespace') ?? 'default',
    name: str(obj, 'metadata', 'name') ?? '<unnamed>',
    ...opt('owner', owner),
    ...opt('revision', str(obj, 'metadata', 'annotations', 'deployment.kubernetes.io/revision')),
    ...opt('podTemplateHash', str(obj, 'metadata', 'labels', 'pod-template-hash')),
    replicas: num(obj, 'spec', 'replicas') ?? 1,
    readyReplicas: num(obj, 'status', 'readyReplicas') ?? 0,
    availableReplicas: num(obj, 'status', 'availableReplicas') ?? 0,
    conditions: normalizeConditions(arr(obj, 'status', 'conditions')),
    images: arr(obj, 'spec', 'template', 'spec', 'containers')
      .map((c) => str(c, 'image'))
      .filter((i): i is string => i !== undefined),
    ...opt('createdAt', str(obj, 'metadata', 'creationTimestamp')),
  };
}

/**
 * A Pod object → PodInfo. `replicaSetOwners` maps `namespace/replicaset` to its Deployment so the
 * pod's workload is resolved; without it, the ReplicaSet name's hash suffix is not guessed away.
 */
export function normalizePod(
  obj: Raw,
  replicaSetOwners: ReadonlyMap<string, OwnerRef> = new Map(),
): PodInfo {
  const namespace = str(obj, 'metadata', 'namespace') ?? 'default';
  const owner = controllerOf(obj);
  return {
    namespace,
    name: str(obj, 'metadata', 'name') ?? '<unnamed>',
    ...opt('nodeName', str(obj, 'spec', 'nodeName')),
    phase: str(obj, 'status', 'phase') ?? 'Unknown',
    ...opt('owner', owner),
    ...opt('workload', workloadOfOwner(namespace, owner, replicaSetOwners)),
    labels: strMap(obj, 'metadata', 'labels'),
    conditions: normalizeConditions(arr(obj, 'status', 'conditions')),
    containers: containers(obj, 'containers', 'containerStatuses'),
    initContainers: containers(obj, 'initContainers', 'initContainerStatuses'),
    ...opt('createdAt', str(obj, 'metadata', 'creationTimestamp')),
    ...opt('startTime', str(obj, 'status', 'startTime')),
  };
}

function containers(pod: Raw, specKey: string, statusKey: string): ContainerInfo[] {
  const statuses = new Map<string, unknown>();
  for (const s of arr(pod, 'status', statusKey)) {
    const name = str(s, 'name');
    if (name) statuses.set(name, s);
  }
  return arr(pod, 'spec', specKey).flatMap((c) => {
    const name = str(c, 'name');
    if (!name) return [];
    const status = statuses.get(name);
    const last = at(status, 'lastState', 'terminated');
    return [
      {
        name,
        // The spec image is what the rollout asked for; status.image may be a resolved digest.
        image: str(c, 'image') ?? str(status, 'image') ?? '',
        ready: bool(status, 'ready') ?? false,
        restartCount: num(status, 'restartCount') ?? 0,
        state: containerState(at(status, 'state')),
        ...opt('lastTermination', isRecord(last) ? termination(last) : undefined),
      },
    ];
  });
}

function containerState(state: unknown): ContainerState {
  const waiting = at(state, 'waiting');
  const terminated = at(state, 'terminated');
  return containerStateOf({
    ...opt(
      'waiting',
      isRecord(waiting)
        ? { reason: str(waiting, 'reason'), message: str(waiting, 'message') }
        : undefined,
    ),
    ...opt(
      'running',
      isRecord(at(state, 'running'))
        ? { startedAt: str(state, 'running', 'startedAt') }
        : undefined,
    ),
    ...opt('terminated', isRecord(terminated) ? termination(terminated) : undefined),
  });
}

function termination(t: Raw): LastTermination {
  return {
    ...opt('reason', str(t, 'reason')),
    ...opt('exitCode', num(t, 'exitCode')),
    ...opt('startedAt', str(t, 'startedAt')),
    ...opt('finishedAt', str(t, 'finishedAt')),
  };
}
