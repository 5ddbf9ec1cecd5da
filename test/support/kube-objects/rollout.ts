/**
 * Factories for rollout objects as `kubectl get -o json` prints them (Deployments, ReplicaSets,
 * StatefulSets, DaemonSets, Pods), for the rollout fixtures. Deterministic: names, UIDs and
 * hashes derive from the arguments. Zero-valued status counters are omitted, as the API does.
 */

type Json = Record<string, unknown>;

/** The evaluation time every rollout fixture uses. */
export const NOW_ISO = '2026-11-21T12:00:00Z';
const NOW_MS = Date.parse(NOW_ISO);

/** An API timestamp `minutes` (and `seconds`) before NOW_ISO, second precision like the API. */
export function ago(minutes: number, seconds = 0): string {
  return new Date(NOW_MS - (minutes * 60 + seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

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
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  let h = hash32(seed);
  for (let i = 0; i < len; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = (h + i * 0x9e3779b9) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return out;
}

function hex64(seed: string): string {
  let out = '';
  for (let i = 0; out.length < 64; i++) out += hash32(`${seed}/${i}`).toString(16).padStart(8, '0');
  return out.slice(0, 64);
}

function omitZero(values: Record<string, number | undefined>): Json {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined && v !== 0),
  ) as Json;
}

/** A deep copy with object keys sorted, as kubectl prints unstructured objects. */
export function kubectlOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(kubectlOrder);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, kubectlOrder((value as Json)[k])]),
  );
}

/** `kubectl get … -o json` wrapping of several objects. */
export function kubectlList(items: readonly unknown[]): Json {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
}

// ---------------------------------------------------------------- conditions

/** A workload condition (Deployments carry lastUpdateTime too). */
export function condition(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  lastTransitionTime: string,
  lastUpdateTime?: string,
): Json {
  return {
    ...(lastUpdateTime !== undefined ? { lastUpdateTime } : {}),
    lastTransitionTime,
    message,
    reason,
    status,
    type,
  };
}

/** Deployment Available=True/False with the controller's own wording. */
export function availableCondition(ok: boolean, since: string): Json {
  return ok
    ? condition(
        'Available',
        'True',
        'MinimumReplicasAvailable',
        'Deployment has minimum availability.',
        since,
        since,
      )
    : condition(
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
        since,
        since,
      );
}

/** Deployment Progressing in its real forms. */
export function progressingCondition(
  form: 'complete' | 'progressing' | 'deadline' | 'paused',
  replicaSet: string,
  since: string,
  updated = since,
): Json {
  switch (form) {
    case 'complete':
      return condition(
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${replicaSet}" has successfully progressed.`,
        since,
        updated,
      );
    case 'progressing':
      return condition(
        'Progressing',
        'True',
        'ReplicaSetUpdated',
        `ReplicaSet "${replicaSet}" is progressing.`,
        since,
        updated,
      );
    case 'deadline':
      return condition(
        'Progressing',
        'False',
        'ProgressDeadlineExceeded',
        `ReplicaSet "${replicaSet}" has timed out progressing.`,
        since,
        updated,
      );
    case 'paused':
      return condition(
        'Progressing',
        'Unknown',
        'DeploymentPaused',
        'Deployment is paused',
        since,
        updated,
      );
  }
}

// ---------------------------------------------------------------- containers

/** How a container ended last time (lastState.terminated). */
export interface Termination {
  readonly exitCode: number;
  readonly reason: string;
  readonly startedAt: string;
  readonly finishedAt: string;
}

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

function resolvedImage(image: string): string {
  const first = image.split('/')[0] ?? '';
  return first.includes('.') || first.includes(':')
    ? image
    : `docker.io/${image.includes('/') ? image : `library/${image}`}`;
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

function containerSpec(c: ContainerSpec): Json {
  return {
    image: c.image,
    imagePullPolicy: 'IfNotPresent',
    name: c.name,
    resources: { limits: { memory: '512Mi' }, requests: { cpu: '250m', memory: '256Mi' } },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
}

/** A pod template spec for workloads. */
function templateOf(labels: Json, containers: readonly { name: string; image: string }[]): Json {
  return {
    metadata: { creationTimestamp: null, labels },
    spec: {
      containers: containers.map((c) => ({
        ...containerSpec({ ...c, state: { running: { startedAt: '' } } }),
        ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
      })),
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
    },
  };
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
  const ownerRef = spec.owner
    ? [
        {
          apiVersion: spec.owner.apiVersion ?? (spec.owner.kind === 'Job' ? 'batch/v1' : 'apps/v1'),
          blockOwnerDeletion: true,
          controller: true,
          kind: spec.owner.kind,
          name: spec.owner.name,
          uid: uid(`${spec.owner.kind}/${spec.namespace}/${spec.owner.name}`),
        },
      ]
    : undefined;
  const generateName =
    spec.owner?.kind === 'ReplicaSet' ||
    spec.owner?.kind === 'DaemonSet' ||
    spec.owner?.kind === 'Job'
      ? { generateName: `${spec.owner.name}-` }
      : {};
  const metadata: Json = {
    creationTimestamp: spec.createdAt,
    ...generateName,
    labels: spec.labels,
    name: spec.name,
    namespace: spec.namespace,
    ...(ownerRef ? { ownerReferences: ownerRef } : {}),
    resourceVersion: String(1_000_000 + (hash32(spec.name) % 8_000_000)),
    uid: uid(`Pod/${spec.namespace}/${spec.name}`),
  };
  const podSpec: Json = {
    ...(spec.affinityNode
      ? {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchFields: [
                      { key: 'metadata.name', operator: 'In', values: [spec.affinityNode] },
                    ],
                  },
                ],
              },
            },
          },
        }
      : {}),
    containers: spec.containers.map(containerSpec),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(containerSpec) } : {}),
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    ...(spec.node ? { nodeName: spec.node } : {}),
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    restartPolicy: spec.restartPolicy ?? 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    serviceAccount: 'default',
    serviceAccountName: 'default',
    terminationGracePeriodSeconds: 30,
    tolerations: [
      {
        effect: 'NoExecute',
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        tolerationSeconds: 300,
      },
      {
        effect: 'NoExecute',
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        tolerationSeconds: 300,
      },
    ],
  };
  if (!spec.node) {
    const since = spec.unschedulable?.since ?? spec.createdAt;
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata,
      spec: podSpec,
      status: {
        conditions: [
          {
            lastProbeTime: null,
            lastTransitionTime: since,
            message: spec.unschedulable?.message ?? '0/3 nodes are available: 3 Insufficient cpu.',
            reason: 'Unschedulable',
            status: 'False',
            type: 'PodScheduled',
          },
        ],
        phase: 'Pending',
        qosClass: 'Burstable',
      },
    };
  }
  const t = (s: number): string =>
    new Date(Date.parse(spec.createdAt) + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const inits = spec.initContainers ?? [];
  const initsDone = inits.every(
    (c) => 'terminated' in c.state && c.state.terminated.exitCode === 0,
  );
  const notReady = spec.containers
    .filter((c) => !('running' in c.state) || c.state.ready === false)
    .map((c) => c.name);
  const ready = initsDone && notReady.length === 0;
  const started =
    spec.containers.some((c) => 'running' in c.state) || inits.some((c) => !('waiting' in c.state));
  const cond = (
    type: string,
    ok: boolean,
    at: string,
    reason?: string,
    message?: string,
  ): Json => ({
    lastProbeTime: null,
    lastTransitionTime: at,
    ...(message !== undefined ? { message } : {}),
    ...(reason !== undefined ? { reason } : {}),
    status: ok ? 'True' : 'False',
    type,
  });
  const waitingInits = inits
    .filter((c) => !('terminated' in c.state && c.state.terminated.exitCode === 0))
    .map((c) => c.name);
  const ip = nodeIp(spec.node);
  const podRef = `${spec.name}_${spec.namespace}(${uid(`Pod/${spec.namespace}/${spec.name}`)})`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: podSpec,
    status: {
      conditions: [
        cond('PodReadyToStartContainers', true, t(3)),
        initsDone
          ? cond('Initialized', true, t(inits.length > 0 ? 9 : 1))
          : cond(
              'Initialized',
              false,
              t(1),
              'ContainersNotInitialized',
              `containers with incomplete status: [${waitingInits.join(' ')}]`,
            ),
        ready
          ? cond('Ready', true, t(14))
          : cond(
              'Ready',
              false,
              t(1),
              'ContainersNotReady',
              `containers with unready status: [${notReady.join(' ')}]`,
            ),
        ready
          ? cond('ContainersReady', true, t(14))
          : cond(
              'ContainersReady',
              false,
              t(1),
              'ContainersNotReady',
              `containers with unready status: [${notReady.join(' ')}]`,
            ),
        cond('PodScheduled', true, t(0)),
      ],
      containerStatuses: spec.containers.map((c) => containerStatus(c, spec.name, podRef)),
      hostIP: ip,
      hostIPs: [{ ip }],
      ...(inits.length > 0
        ? { initContainerStatuses: inits.map((c) => containerStatus(c, spec.name, podRef)) }
        : {}),
      phase: spec.phase ?? (started ? 'Running' : 'Pending'),
      podIP: `10.0.${hash32(spec.name) % 200}.${(hash32(`${spec.name}#ip`) % 250) + 2}`,
      podIPs: [{ ip: `10.0.${hash32(spec.name) % 200}.${(hash32(`${spec.name}#ip`) % 250) + 2}` }],
      qosClass: 'Burstable',
      startTime: spec.createdAt,
    },
  };
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
export function appLabels(name: string): Json {
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
    metadata: {
      annotations: { 'deployment.kubernetes.io/revision': String(d.revision) },
      creationTimestamp: d.createdAt ?? '2026-06-02T09:14:27Z',
      generation: d.generation,
      labels: { app: d.name, 'app.kubernetes.io/part-of': d.namespace },
      name: d.name,
      namespace: d.namespace,
      resourceVersion: String(2_000_000 + (hash32(d.name) % 8_000_000)),
      uid: uid(`Deployment/${d.namespace}/${d.name}`),
    },
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
    metadata: {
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(rs.desired),
        'deployment.kubernetes.io/max-replicas': String(rs.maxReplicas),
        'deployment.kubernetes.io/revision': String(rs.revision),
      },
      creationTimestamp: rs.createdAt,
      generation: rs.revision + 2,
      labels,
      name,
      namespace: rs.namespace,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          blockOwnerDeletion: true,
          controller: true,
          kind: 'Deployment',
          name: rs.deployment,
          uid: uid(`Deployment/${rs.namespace}/${rs.deployment}`),
        },
      ],
      resourceVersion: String(3_000_000 + (hash32(name) % 8_000_000)),
      uid: uid(`ReplicaSet/${rs.namespace}/${name}`),
    },
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
    metadata: {
      creationTimestamp: '2026-03-11T07:41:09Z',
      generation: s.generation,
      labels: { app: s.name },
      name: s.name,
      namespace: s.namespace,
      resourceVersion: String(4_000_000 + (hash32(s.name) % 8_000_000)),
      uid: uid(`StatefulSet/${s.namespace}/${s.name}`),
    },
    spec: {
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      podManagementPolicy: 'OrderedReady',
      replicas: s.replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: appLabels(s.name) },
      serviceName: s.name,
      template: templateOf(appLabels(s.name), [{ name: s.container ?? s.name, image: s.image }]),
      updateStrategy: strategy,
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { creationTimestamp: null, name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '20Gi' } },
            storageClassName: 'gp3',
            volumeMode: 'Filesystem',
          },
          status: { phase: 'Pending' },
        },
      ],
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

/** A DaemonSet's spec and status. */
export interface DaemonSetSpec {
  readonly namespace: string;
  readonly name: string;
  readonly image: string;
  readonly container?: string;
  readonly generation: number;
  readonly observedGeneration?: number;
  readonly updateStrategy?: 'RollingUpdate' | 'OnDelete';
  readonly status: {
    readonly desiredNumberScheduled: number;
    readonly currentNumberScheduled: number;
    readonly updatedNumberScheduled: number;
    readonly numberAvailable: number;
    readonly numberReady: number;
    readonly numberMisscheduled: number;
  };
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
    metadata: {
      annotations: { 'deprecated.daemonset.template.generation': String(ds.generation) },
      creationTimestamp: '2026-01-20T15:02:44Z',
      generation: ds.generation,
      labels,
      name: ds.name,
      namespace: ds.namespace,
      resourceVersion: String(5_000_000 + (hash32(ds.name) % 8_000_000)),
      uid: uid(`DaemonSet/${ds.namespace}/${ds.name}`),
    },
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: labels },
      template: {
        ...templateOf(labels, [{ name: ds.container ?? ds.name, image: ds.image }]),
      },
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
