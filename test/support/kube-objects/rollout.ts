/**
 * Builds the rollout rule fixtures' objects (Deployments, ReplicaSets, StatefulSets, DaemonSets,
 * Pods as `kubectl get -o json` prints them) with every status field given outright.
 *
 * workloads.ts derives a workload's status from the pods it plans, so it can only say what a
 * consistent controller would; the rollout rules are judged on states a fixture must be able to
 * state as it likes (a paused Deployment, an observedGeneration that lags or is missing, a pod
 * waiting for any reason). The parts that are the same whoever builds the object (container
 * defaults, admission, pod and workload conditions, claim templates, metadata, times, key order)
 * come from the rest of this factory. Zero-valued status counters are omitted, as the API does.
 *
 * Not exported from index.ts: its `uid`, `running` and `pod` would clash with
 * the plan-based builders' names. Import it by path.
 */
import type { DaemonSetInfo } from '../../../lib/rules';
import type { Termination } from './containers';
import { container, POD_SPEC_DEFAULTS, qualifiedImage } from './containers';
import type { Json as JsonValue, JsonObject } from './documents';
import { canonical, list } from './documents';
import { at, SAFE_ALPHABET } from './ids';
import type { Owner } from './owners';
import { controllerRef } from './owners';
import {
  containersNotInitialized,
  containersNotReady,
  DEFAULT_TOLERATIONS,
  pinnedTo,
  podCondition,
  templateJson,
} from './pods';
import { volumeClaimTemplate, workloadMeta } from './workloads';

export type { Termination } from './containers';
export {
  availableCondition,
  progressingCondition,
  workloadCondition as condition,
} from './workloads';

type Json = Record<string, unknown>;

/** The evaluation time every rollout fixture uses. */
export const NOW_ISO = '2026-11-21T12:00:00Z';

/** An API timestamp `minutes` (and `seconds`) before NOW_ISO, second precision like the API. */
export function ago(minutes: number, seconds = 0): string {
  return at(NOW_ISO, -(minutes * 60 + seconds));
}

// ---------------------------------------------------------------- ids
// FNV-1a rather than ids.ts's SHA-256: the committed fixtures, and the pod names their
// expectations cite, were generated with these, and regenerating them must not rename anything.

function hash32(seed: string): number {
  let h = 0x811c9dc5;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** A UUID-shaped id derived from `seed`. */
export function uid(seed: string): string {
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  const a = hex(hash32(seed));
  const b = hex(hash32(`${seed}#b`));
  const c = hex(hash32(`${seed}#c`));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c}${b.slice(0, 4)}`;
}

/** `len` characters of the alphabet the API uses for generated names and template hashes. */
export function suffix(seed: string, len: number): string {
  let out = '';
  let h = hash32(seed);
  for (let i = 0; i < len; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = (h + i * 0x9e3779b9) >>> 0;
    out += SAFE_ALPHABET[h % SAFE_ALPHABET.length];
  }
  return out;
}

function hex64(seed: string): string {
  let out = '';
  for (let i = 0; out.length < 64; i++) out += hash32(`${seed}/${i}`).toString(16).padStart(8, '0');
  return out.slice(0, 64);
}

/**
 * uid and resourceVersion of `kind` `namespace/name`; each kind's resourceVersions start at
 * their own million so objects of different kinds never share one.
 */
function ids(
  kind: string,
  namespace: string,
  name: string,
  base: number,
): { resourceVersion: string; uid: string } {
  return {
    resourceVersion: String(base + (hash32(name) % 8_000_000)),
    uid: uid(`${kind}/${namespace}/${name}`),
  };
}

/** The owner `kind` `namespace/name` is to what it controls. */
function ownerNamed(kind: string, namespace: string, name: string, apiVersion = 'apps/v1'): Owner {
  return { apiVersion, kind, name, uid: uid(`${kind}/${namespace}/${name}`) };
}

function omitZero(values: Record<string, number | undefined>): Json {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined && v !== 0),
  ) as Json;
}

/** A deep copy with object keys sorted, as kubectl prints unstructured objects. */
export function kubectlOrder(value: unknown): unknown {
  return canonical(value as JsonValue);
}

/** `kubectl get … -o json` wrapping of several objects. */
export function kubectlList(items: readonly unknown[]): Json {
  return list(items);
}

// ---------------------------------------------------------------- containers

/** A container and, once the kubelet reports it, its status. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly state:
    | { readonly running: { readonly startedAt: string }; readonly ready?: boolean }
    | { readonly waiting: { readonly reason: string; readonly message?: string } }
    | { readonly terminated: Termination };
  readonly restarts?: number;
  readonly last?: Termination;
}

/** A running container, ready unless told otherwise. */
export function running(
  name: string,
  image: string,
  startedAt: string,
  extra: Partial<ContainerSpec> & { ready?: boolean } = {},
): ContainerSpec {
  const { ready, ...rest } = extra;
  return {
    name,
    image,
    state: { running: { startedAt }, ...(ready === false ? { ready: false } : {}) },
    ...rest,
  };
}

/** A waiting container. */
export function waiting(
  name: string,
  image: string,
  reason: string,
  message?: string,
  extra: Partial<ContainerSpec> = {},
): ContainerSpec {
  return {
    name,
    image,
    state: { waiting: { reason, ...(message !== undefined ? { message } : {}) } },
    ...extra,
  };
}

/** A container that exited and has not been restarted yet. */
export function terminated(
  name: string,
  image: string,
  t: Termination,
  extra: Partial<ContainerSpec> = {},
): ContainerSpec {
  return { name, image, state: { terminated: t }, ...extra };
}

/**
 * status.image: containerd's qualified reference, except that a tagged short name
 * (`postgres:16.4`) stays as written, as the committed fixtures have it.
 */
function resolvedImage(image: string): string {
  return !image.includes('/') && /[.:]/.test(image) ? image : qualifiedImage(image);
}

/** `{pod}` in a waiting message becomes `name_namespace(uid)`, as the kubelet writes it. */
function containerStatus(c: ContainerSpec, podName: string, podRef: string): Json {
  const everStarted = !('waiting' in c.state) || (c.restarts ?? 0) > 0 || c.last !== undefined;
  const containerID = `containerd://${hex64(`${podName}/${c.name}/${c.restarts ?? 0}`)}`;
  const repo = resolvedImage(c.image).replace(/:[^:/]+$/, '');
  const state: Json =
    'running' in c.state
      ? { running: { startedAt: c.state.running.startedAt } }
      : 'waiting' in c.state
        ? {
            waiting: {
              ...(c.state.waiting.message !== undefined
                ? { message: c.state.waiting.message.replace('{pod}', podRef) }
                : {}),
              reason: c.state.waiting.reason,
            },
          }
        : { terminated: { containerID, ...c.state.terminated } };
  const ready = 'running' in c.state && c.state.ready !== false;
  const pulling = 'waiting' in c.state && /Image|InvalidImageName/.test(c.state.waiting.reason);
  return {
    ...(everStarted && !pulling ? { containerID } : {}),
    image: pulling ? c.image : resolvedImage(c.image),
    imageID: pulling ? '' : `${repo}@sha256:${hex64(`image/${c.image}`)}`,
    lastState: c.last
      ? {
          terminated: {
            containerID: `containerd://${hex64(`${podName}/${c.name}/last`)}`,
            ...c.last,
          },
        }
      : {},
    name: c.name,
    ready,
    restartCount: c.restarts ?? 0,
    started: 'running' in c.state,
    state,
  };
}

/** Every fixture container asks for the same resources, so pods come out Burstable. */
function containerSpec(c: { readonly name: string; readonly image: string }): JsonObject {
  return container({
    image: c.image,
    name: c.name,
    resources: { limits: { memory: '512Mi' }, requests: { cpu: '250m', memory: '256Mi' } },
  });
}

/** A workload's pod template: its containers serve HTTP on 8080. */
function templateOf(
  labels: Record<string, string>,
  containers: readonly { name: string; image: string }[],
): JsonObject {
  return templateJson({
    labels,
    spec: {
      containers: containers.map((c) => ({
        ...containerSpec(c),
        ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
      })),
      ...POD_SPEC_DEFAULTS,
    },
  });
}

// ---------------------------------------------------------------- pods

/** Who controls a pod. */
export interface OwnerSpec {
  readonly kind: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job';
  readonly name: string;
  readonly apiVersion?: string;
}

/** Everything a pod factory needs. */
export interface PodSpec {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Json;
  readonly owner?: OwnerSpec;
  readonly createdAt: string;
  /** Omit for a pod the scheduler could not place. */
  readonly node?: string;
  readonly unschedulable?: { readonly message: string; readonly since: string };
  readonly containers: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** DaemonSet pods are pinned to their node by a required node affinity on metadata.name. */
  readonly affinityNode?: string;
}

function nodeIp(node: string): string {
  const m = /ip-(\d+)-(\d+)-(\d+)-(\d+)/.exec(node);
  return m ? `${m[1]}.${m[2]}.${m[3]}.${m[4]}` : '10.0.0.10';
}

/** A pod as the API returns it, with conditions derived from its containers. */
export function pod(spec: PodSpec): Json {
  const owner = spec.owner;
  const generateName =
    owner?.kind === 'ReplicaSet' || owner?.kind === 'DaemonSet' || owner?.kind === 'Job'
      ? { generateName: `${owner.name}-` }
      : {};
  const podIds = ids('Pod', spec.namespace, spec.name, 1_000_000);
  const metadata: Json = {
    creationTimestamp: spec.createdAt,
    ...generateName,
    labels: spec.labels,
    name: spec.name,
    namespace: spec.namespace,
    ...(owner
      ? {
          ownerReferences: [
            controllerRef(
              ownerNamed(
                owner.kind,
                spec.namespace,
                owner.name,
                owner.apiVersion ?? (owner.kind === 'Job' ? 'batch/v1' : 'apps/v1'),
              ),
            ),
          ],
        }
      : {}),
    ...podIds,
  };
  const podSpec: Json = {
    ...(spec.affinityNode ? { affinity: pinnedTo(spec.affinityNode) } : {}),
    containers: spec.containers.map(containerSpec),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(containerSpec) } : {}),
    ...POD_SPEC_DEFAULTS,
    enableServiceLinks: true,
    ...(spec.node ? { nodeName: spec.node } : {}),
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    restartPolicy: spec.restartPolicy ?? 'Always',
    serviceAccount: 'default',
    serviceAccountName: 'default',
    tolerations: [...DEFAULT_TOLERATIONS],
  };
  const withStatus = (status: Json): Json => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: podSpec,
    status,
  });
  if (!spec.node) {
    return withStatus({
      conditions: [
        podCondition('PodScheduled', spec.unschedulable?.since ?? spec.createdAt, {
          reason: 'Unschedulable',
          message: spec.unschedulable?.message ?? '0/3 nodes are available: 3 Insufficient cpu.',
        }),
      ],
      phase: 'Pending',
      qosClass: 'Burstable',
    });
  }
  const t = (s: number): string => at(spec.createdAt, s);
  const inits = spec.initContainers ?? [];
  const completed = (c: ContainerSpec): boolean =>
    'terminated' in c.state && c.state.terminated.exitCode === 0;
  const initsDone = inits.every(completed);
  const notReady = spec.containers
    .filter((c) => !('running' in c.state) || c.state.ready === false)
    .map((c) => c.name);
  const ready = initsDone && notReady.length === 0;
  const started =
    spec.containers.some((c) => 'running' in c.state) || inits.some((c) => !('waiting' in c.state));
  const unready = ready ? undefined : containersNotReady(notReady);
  const ip = nodeIp(spec.node);
  const podIp = `10.0.${hash32(spec.name) % 200}.${(hash32(`${spec.name}#ip`) % 250) + 2}`;
  const podRef = `${spec.name}_${spec.namespace}(${podIds.uid})`;
  return withStatus({
    conditions: [
      podCondition('PodReadyToStartContainers', t(3)),
      initsDone
        ? podCondition('Initialized', t(inits.length > 0 ? 9 : 1))
        : podCondition(
            'Initialized',
            t(1),
            containersNotInitialized(inits.filter((c) => !completed(c)).map((c) => c.name)),
          ),
      podCondition('Ready', ready ? t(14) : t(1), unready),
      podCondition('ContainersReady', ready ? t(14) : t(1), unready),
      podCondition('PodScheduled', t(0)),
    ],
    containerStatuses: spec.containers.map((c) => containerStatus(c, spec.name, podRef)),
    hostIP: ip,
    hostIPs: [{ ip }],
    ...(inits.length > 0
      ? { initContainerStatuses: inits.map((c) => containerStatus(c, spec.name, podRef)) }
      : {}),
    phase: spec.phase ?? (started ? 'Running' : 'Pending'),
    podIP: podIp,
    podIPs: [{ ip: podIp }],
    qosClass: 'Burstable',
    startTime: spec.createdAt,
  });
}

// ---------------------------------------------------------------- Deployments and ReplicaSets

/** A Deployment's metadata, spec and status in one place. */
export interface DeploymentSpec {
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
  readonly image: string;
  readonly container?: string;
  readonly revision: number;
  readonly generation: number;
  /** `null` drops status.observedGeneration entirely (never observed). */
  readonly observedGeneration?: number | null;
  readonly paused?: boolean;
  readonly createdAt?: string;
  readonly maxSurge?: string;
  readonly maxUnavailable?: string;
  readonly status: {
    readonly replicas: number;
    readonly updatedReplicas: number;
    readonly readyReplicas: number;
    readonly availableReplicas: number;
    /** The sum of the ReplicaSets' spec.replicas minus available; defaults to replicas − available. */
    readonly unavailableReplicas?: number;
  };
  readonly conditions: readonly Json[];
}

/** The pod labels a Deployment selects on. */
export function appLabels(name: string): Record<string, string> {
  return { app: name };
}

/** A Deployment as `kubectl get deployment -o json` prints it. */
export function deployment(d: DeploymentSpec): Json {
  const container = d.container ?? 'app';
  const unavailable =
    d.status.unavailableReplicas ?? Math.max(d.status.replicas - d.status.availableReplicas, 0);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: workloadMeta(d.namespace, d.name, 'Deployment', {
      annotations: { 'deployment.kubernetes.io/revision': String(d.revision) },
      created: d.createdAt ?? '2026-06-02T09:14:27Z',
      generation: d.generation,
      labels: { app: d.name, 'app.kubernetes.io/part-of': d.namespace },
      ...ids('Deployment', d.namespace, d.name, 2_000_000),
    }),
    spec: {
      ...(d.paused ? { paused: true } : {}),
      progressDeadlineSeconds: 600,
      replicas: d.replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: appLabels(d.name) },
      strategy: {
        rollingUpdate: { maxSurge: d.maxSurge ?? '25%', maxUnavailable: d.maxUnavailable ?? '25%' },
        type: 'RollingUpdate',
      },
      template: templateOf(appLabels(d.name), [{ name: container, image: d.image }]),
    },
    status: {
      ...omitZero({ availableReplicas: d.status.availableReplicas }),
      conditions: d.conditions,
      ...(d.observedGeneration === null
        ? {}
        : { observedGeneration: d.observedGeneration ?? d.generation }),
      ...omitZero({
        readyReplicas: d.status.readyReplicas,
        replicas: d.status.replicas,
        unavailableReplicas: unavailable,
        updatedReplicas: d.status.updatedReplicas,
      }),
    },
  };
}

/** One revision of a Deployment. */
export interface ReplicaSetSpec {
  readonly namespace: string;
  readonly deployment: string;
  readonly hash: string;
  readonly revision: number;
  readonly replicas: number;
  /** The Deployment's spec.replicas when the ReplicaSet was last scaled. */
  readonly desired: number;
  /** spec.replicas + maxSurge of the Deployment. */
  readonly maxReplicas: number;
  readonly image: string;
  readonly container?: string;
  readonly createdAt: string;
  readonly ready: number;
  readonly available: number;
  /** Pods that exist (status.replicas); defaults to spec replicas. */
  readonly existing?: number;
  readonly conditions?: readonly Json[];
}

/** `web-7c9d8f6b5`. */
export function replicaSetName(deploymentName: string, hash: string): string {
  return `${deploymentName}-${hash}`;
}

/** A ReplicaSet as the Deployment controller creates it. */
export function replicaSet(rs: ReplicaSetSpec): Json {
  const name = replicaSetName(rs.deployment, rs.hash);
  const labels = { ...appLabels(rs.deployment), 'pod-template-hash': rs.hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: workloadMeta(rs.namespace, name, 'ReplicaSet', {
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(rs.desired),
        'deployment.kubernetes.io/max-replicas': String(rs.maxReplicas),
        'deployment.kubernetes.io/revision': String(rs.revision),
      },
      created: rs.createdAt,
      generation: rs.revision + 2,
      labels,
      owner: ownerNamed('Deployment', rs.namespace, rs.deployment),
      ...ids('ReplicaSet', rs.namespace, name, 3_000_000),
    }),
    spec: {
      replicas: rs.replicas,
      selector: { matchLabels: labels },
      template: templateOf(labels, [{ name: rs.container ?? 'app', image: rs.image }]),
    },
    status: {
      ...omitZero({ availableReplicas: rs.available }),
      ...(rs.conditions ? { conditions: rs.conditions } : {}),
      ...omitZero({ fullyLabeledReplicas: rs.existing ?? rs.replicas }),
      observedGeneration: rs.revision + 2,
      ...omitZero({ readyReplicas: rs.ready }),
      replicas: rs.existing ?? rs.replicas,
    },
  };
}

/** A pod of a Deployment's ReplicaSet, named `<rs>-<5 chars>`. */
export function replicaSetPod(
  namespace: string,
  deploymentName: string,
  hash: string,
  seed: string,
  rest: Omit<PodSpec, 'namespace' | 'name' | 'labels' | 'owner'>,
): Json {
  const rsName = replicaSetName(deploymentName, hash);
  return pod({
    namespace,
    name: `${rsName}-${suffix(`${rsName}/${seed}`, 5)}`,
    labels: { ...appLabels(deploymentName), 'pod-template-hash': hash },
    owner: { kind: 'ReplicaSet', name: rsName },
    ...rest,
  });
}

// ---------------------------------------------------------------- StatefulSets and DaemonSets

/** A StatefulSet's spec and status. */
export interface StatefulSetSpec {
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
  readonly image: string;
  readonly container?: string;
  readonly generation: number;
  readonly observedGeneration?: number;
  readonly updateStrategy?: 'RollingUpdate' | 'OnDelete';
  readonly partition?: number;
  readonly status: {
    readonly replicas: number;
    readonly readyReplicas: number;
    readonly availableReplicas: number;
    readonly currentReplicas: number;
    readonly updatedReplicas: number;
    readonly currentRevision: string;
    readonly updateRevision: string;
  };
}

/** A StatefulSet as `kubectl get statefulset -o json` prints it. */
export function statefulSet(s: StatefulSetSpec): Json {
  const strategy =
    s.updateStrategy === 'OnDelete'
      ? { type: 'OnDelete' }
      : { rollingUpdate: { partition: s.partition ?? 0 }, type: 'RollingUpdate' };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: workloadMeta(s.namespace, s.name, 'StatefulSet', {
      created: '2026-03-11T07:41:09Z',
      generation: s.generation,
      labels: { app: s.name },
      ...ids('StatefulSet', s.namespace, s.name, 4_000_000),
    }),
    spec: {
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      podManagementPolicy: 'OrderedReady',
      replicas: s.replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: appLabels(s.name) },
      serviceName: s.name,
      template: templateOf(appLabels(s.name), [{ name: s.container ?? s.name, image: s.image }]),
      updateStrategy: strategy,
      volumeClaimTemplates: [volumeClaimTemplate('data', '20Gi', 'gp3')],
    },
    status: {
      // availableReplicas and replicas carry no omitempty in apps/v1 StatefulSetStatus.
      availableReplicas: s.status.availableReplicas,
      collisionCount: 0,
      ...omitZero({ currentReplicas: s.status.currentReplicas }),
      currentRevision: s.status.currentRevision,
      observedGeneration: s.observedGeneration ?? s.generation,
      ...omitZero({ readyReplicas: s.status.readyReplicas }),
      replicas: s.status.replicas,
      updateRevision: s.status.updateRevision,
      ...omitZero({ updatedReplicas: s.status.updatedReplicas }),
    },
  };
}

/** A StatefulSet pod `<name>-<ordinal>` at the given revision (`<name>-<hash>`). */
export function statefulSetPod(
  namespace: string,
  setName: string,
  ordinal: number,
  revision: string,
  rest: Omit<PodSpec, 'namespace' | 'name' | 'labels' | 'owner'>,
): Json {
  const name = `${setName}-${ordinal}`;
  return pod({
    namespace,
    name,
    labels: {
      ...appLabels(setName),
      'apps.kubernetes.io/pod-index': String(ordinal),
      'controller-revision-hash': revision,
      'statefulset.kubernetes.io/pod-name': name,
    },
    owner: { kind: 'StatefulSet', name: setName },
    ...rest,
  });
}

/** A DaemonSet's spec and status: the counters the DaemonSet rules read (numberUnavailable is derived). */
export interface DaemonSetSpec {
  readonly namespace: string;
  readonly name: string;
  readonly image: string;
  readonly container?: string;
  readonly generation: number;
  readonly observedGeneration?: number;
  readonly updateStrategy?: 'RollingUpdate' | 'OnDelete';
  readonly status: Pick<
    DaemonSetInfo,
    | 'desiredNumberScheduled'
    | 'currentNumberScheduled'
    | 'updatedNumberScheduled'
    | 'numberAvailable'
    | 'numberReady'
    | 'numberMisscheduled'
  >;
}

/** A DaemonSet as `kubectl get daemonset -o json` prints it. */
export function daemonSet(ds: DaemonSetSpec): Json {
  const labels = { 'app.kubernetes.io/name': ds.name };
  const strategy =
    ds.updateStrategy === 'OnDelete'
      ? { type: 'OnDelete' }
      : { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' };
  const s = ds.status;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: workloadMeta(ds.namespace, ds.name, 'DaemonSet', {
      annotations: { 'deprecated.daemonset.template.generation': String(ds.generation) },
      created: '2026-01-20T15:02:44Z',
      generation: ds.generation,
      labels,
      ...ids('DaemonSet', ds.namespace, ds.name, 5_000_000),
    }),
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: labels },
      template: templateOf(labels, [{ name: ds.container ?? ds.name, image: ds.image }]),
      updateStrategy: strategy,
    },
    status: {
      currentNumberScheduled: s.currentNumberScheduled,
      desiredNumberScheduled: s.desiredNumberScheduled,
      ...omitZero({ numberAvailable: s.numberAvailable }),
      numberMisscheduled: s.numberMisscheduled,
      numberReady: s.numberReady,
      ...omitZero({ numberUnavailable: Math.max(s.desiredNumberScheduled - s.numberAvailable, 0) }),
      observedGeneration: ds.observedGeneration ?? ds.generation,
      ...omitZero({ updatedNumberScheduled: s.updatedNumberScheduled }),
    },
  };
}

/** A DaemonSet pod on `node`, at template generation `generation` with revision `hash`. */
export function daemonSetPod(
  namespace: string,
  setName: string,
  node: string,
  generation: number,
  hash: string,
  rest: Omit<PodSpec, 'namespace' | 'name' | 'labels' | 'owner' | 'node'>,
): Json {
  return pod({
    namespace,
    name: `${setName}-${suffix(`${setName}/${node}/${hash}`, 5)}`,
    labels: {
      'app.kubernetes.io/name': setName,
      'controller-revision-hash': hash,
      'pod-template-generation': String(generation),
    },
    owner: { kind: 'DaemonSet', name: setName },
    node,
    affinityNode: node,
    ...rest,
  });
}

/** EKS-style node names, `ip-10-0-<i>-<j>.eu-west-1.compute.internal`. */
export function nodeName(i: number): string {
  return `ip-10-0-${(i % 3) + 1}-${20 + i * 7}.eu-west-1.compute.internal`;
}
