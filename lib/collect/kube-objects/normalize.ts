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
import type { Raw } from './raw';
import { arr, at, bool, isRecord, num, str, strMap } from './raw';
import type { ListKind } from './snapshot';

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
    ...opt('workload', workloadOf(namespace, owner, replicaSetOwners)),
    labels: strMap(obj, 'metadata', 'labels'),
    conditions: normalizeConditions(arr(obj, 'status', 'conditions')),
    containers: containers(obj, 'containers', 'containerStatuses'),
    initContainers: containers(obj, 'initContainers', 'initContainerStatuses'),
    ...opt('createdAt', str(obj, 'metadata', 'creationTimestamp')),
    ...opt('startTime', str(obj, 'status', 'startTime')),
  };
}

function workloadOf(
  namespace: string,
  owner: OwnerRef | undefined,
  replicaSetOwners: ReadonlyMap<string, OwnerRef>,
): PodInfo['workload'] {
  if (!owner) return undefined;
  if (owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet' || owner.kind === 'Deployment') {
    return { kind: owner.kind, name: owner.name };
  }
  if (owner.kind === 'ReplicaSet') {
    const rsOwner = replicaSetOwners.get(`${namespace}/${owner.name}`);
    if (rsOwner?.kind === 'Deployment') return { kind: 'Deployment', name: rsOwner.name };
  }
  return undefined;
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
  if (isRecord(at(state, 'waiting'))) {
    const w = at(state, 'waiting');
    return {
      kind: 'waiting',
      ...opt('reason', str(w, 'reason')),
      ...opt('message', str(w, 'message')),
    };
  }
  if (isRecord(at(state, 'running'))) {
    return { kind: 'running', ...opt('startedAt', str(state, 'running', 'startedAt')) };
  }
  const t = at(state, 'terminated');
  if (isRecord(t)) return { kind: 'terminated', ...termination(t) };
  return { kind: 'unknown' };
}

function termination(t: Raw): LastTermination {
  return {
    ...opt('reason', str(t, 'reason')),
    ...opt('exitCode', num(t, 'exitCode')),
    ...opt('startedAt', str(t, 'startedAt')),
    ...opt('finishedAt', str(t, 'finishedAt')),
  };
}

/** `{key: value}` when value is defined, else `{}` — keeps optional fields truly absent. */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: V });
}

/**
 * Which fields of a raw object to keep: `true` keeps the value whole, an object keeps the named
 * fields (recursively), `[spec]` keeps those fields of every array element.
 */
export type FieldSpec = true | { readonly [field: string]: FieldSpec } | readonly [FieldSpec];

const CONDITIONS: FieldSpec = [
  {
    type: true,
    status: true,
    reason: true,
    message: true,
    lastTransitionTime: true,
    lastUpdateTime: true,
  },
];
const METADATA = {
  name: true,
  namespace: true,
  uid: true,
  generation: true,
  creationTimestamp: true,
  labels: true,
  ownerReferences: [{ apiVersion: true, kind: true, name: true, uid: true, controller: true }],
} as const;
const REVISION = { annotations: { 'deployment.kubernetes.io/revision': true } } as const;
const CONTAINERS: FieldSpec = [{ name: true, image: true }];
const CONTAINER_STATUSES: FieldSpec = [
  {
    name: true,
    image: true,
    ready: true,
    restartCount: true,
    state: true,
    lastState: { terminated: true },
  },
];

/**
 * Exactly the fields the normalizers above and buildSnapshot read, per list. The collector keeps
 * only these of each listed object (managedFields, pod specs and node image lists make up most of
 * a list and nothing reads them), and the slim objects still replay through `--from-file`.
 */
export const NORMALIZED_FIELDS: Readonly<Record<ListKind, FieldSpec>> = {
  nodes: {
    metadata: { name: true, uid: true, creationTimestamp: true, labels: true },
    status: {
      nodeInfo: {
        kubeletVersion: true,
        // Read only to say it is ignored (it merely copies the kubelet version).
        kubeProxyVersion: true,
        containerRuntimeVersion: true,
        osImage: true,
        architecture: true,
      },
    },
  },
  pods: {
    metadata: METADATA,
    spec: { nodeName: true, containers: CONTAINERS, initContainers: CONTAINERS },
    status: {
      phase: true,
      startTime: true,
      conditions: CONDITIONS,
      containerStatuses: CONTAINER_STATUSES,
      initContainerStatuses: CONTAINER_STATUSES,
    },
  },
  deployments: {
    metadata: { ...METADATA, ...REVISION },
    spec: {
      replicas: true,
      paused: true,
      progressDeadlineSeconds: true,
      selector: { matchLabels: true },
      strategy: { type: true },
    },
    status: {
      observedGeneration: true,
      replicas: true,
      updatedReplicas: true,
      readyReplicas: true,
      availableReplicas: true,
      unavailableReplicas: true,
      conditions: CONDITIONS,
    },
  },
  statefulsets: {
    metadata: METADATA,
    spec: {
      replicas: true,
      selector: { matchLabels: true },
      updateStrategy: { type: true, rollingUpdate: { partition: true } },
    },
    status: {
      observedGeneration: true,
      replicas: true,
      readyReplicas: true,
      currentReplicas: true,
      updatedReplicas: true,
      availableReplicas: true,
      currentRevision: true,
      updateRevision: true,
      conditions: CONDITIONS,
    },
  },
  daemonsets: {
    metadata: METADATA,
    spec: { selector: { matchLabels: true }, updateStrategy: { type: true } },
    status: {
      observedGeneration: true,
      desiredNumberScheduled: true,
      currentNumberScheduled: true,
      updatedNumberScheduled: true,
      numberAvailable: true,
      numberReady: true,
      numberMisscheduled: true,
      numberUnavailable: true,
      conditions: CONDITIONS,
    },
  },
  replicasets: {
    metadata: { ...METADATA, ...REVISION },
    spec: { replicas: true, template: { spec: { containers: CONTAINERS } } },
    status: {
      replicas: true,
      readyReplicas: true,
      availableReplicas: true,
      conditions: CONDITIONS,
    },
  },
};

/** The parts of `value` that `spec` names; values of the wrong shape are kept as they are. */
export function project(value: unknown, spec: FieldSpec): unknown {
  if (spec === true) return value;
  if (isFieldList(spec)) {
    if (!Array.isArray(value)) return value;
    const [each] = spec;
    return value.map((v: unknown) => (isRecord(v) ? project(v, each) : v));
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(spec)) {
    const v = value[key];
    const sub = spec[key];
    if (v !== undefined && sub !== undefined) out[key] = project(v, sub);
  }
  return out;
}

function isFieldList(spec: FieldSpec): spec is readonly [FieldSpec] {
  return Array.isArray(spec);
}

/**
 * A listed object reduced to NORMALIZED_FIELDS of its list, with `kind` and `apiVersion`
 * (list items omit them; the files collector needs `kind` to replay the object).
 */
export function slimObject(list: ListKind, obj: Raw, kind: string, apiVersion: string): Raw {
  const slim = project(obj, NORMALIZED_FIELDS[list]) as Record<string, unknown>;
  return {
    kind: typeof obj['kind'] === 'string' ? obj['kind'] : kind,
    apiVersion: typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : apiVersion,
    ...slim,
  };
}
