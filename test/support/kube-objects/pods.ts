/**
 * Pods as the API server stores them: a workload's template with what admission and the
 * controllers add (service-account token volume, tolerations, priority, placement), and the
 * status the kubelet writes from how each container runs.
 */
import type { ContainerRun, PodIdentity } from './containers';
import { containerStatus } from './containers';
import type { Cluster, Json, JsonObject } from './documents';
import { defined } from './documents';
import { at, nameSuffix, resourceVersion, uid } from './ids';
import type { Owner } from './owners';
import { controllerRef } from './owners';

/** A pod template as Deployments, StatefulSets and DaemonSets carry it (API defaults applied). */
export interface PodTemplate {
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: JsonObject & { readonly containers: JsonObject[] };
}

/** The template as a workload's spec.template. */
export function templateJson(
  template: PodTemplate,
  extraLabels: Record<string, string> = {},
): JsonObject {
  return {
    metadata: { creationTimestamp: null, labels: { ...template.labels, ...extraLabels } },
    spec: template.spec,
  };
}

/** The node a pod runs on, as far as the pod's own fields tell. */
export interface PodNode {
  readonly name: string;
  readonly ip: string;
  /** The kubelet's version decides which pod status fields it writes. */
  readonly kubeletVersion: string;
  /** The IP the node's network plugin gives the pod with this `namespace/name`. */
  podIp(podKey: string): string;
}

/** What a pod needs beyond its template: identity, placement and how its containers run. */
export interface PodPlan {
  readonly namespace: string;
  readonly name: string;
  readonly generateName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly owner: Owner;
  readonly node: PodNode;
  readonly created: string;
  readonly template: PodTemplate;
  /** By container name, init containers included. */
  readonly runs: Readonly<Record<string, ContainerRun>>;
  /** DaemonSet pods: the controller pins them to their node and adds its own tolerations. */
  readonly daemonSet?: boolean;
  /** StatefulSet pods: stable hostname, headless-service subdomain and their claim volumes. */
  readonly statefulSet?: { readonly serviceName: string; readonly claims: readonly string[] };
}

const PRIORITIES: Readonly<Record<string, number>> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};

/** DefaultTolerationSeconds admission: five minutes on a NotReady or unreachable node. */
export const DEFAULT_TOLERATIONS: readonly JsonObject[] = [
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
];

/** Tolerations the DaemonSet controller adds to every pod it creates. */
function daemonSetTolerations(hostNetwork: boolean): JsonObject[] {
  const added: [string, string][] = [
    ['NoExecute', 'node.kubernetes.io/not-ready'],
    ['NoExecute', 'node.kubernetes.io/unreachable'],
    ['NoSchedule', 'node.kubernetes.io/disk-pressure'],
    ['NoSchedule', 'node.kubernetes.io/memory-pressure'],
    ['NoSchedule', 'node.kubernetes.io/pid-pressure'],
    ['NoSchedule', 'node.kubernetes.io/unschedulable'],
  ];
  if (hostNetwork) added.push(['NoSchedule', 'node.kubernetes.io/network-unavailable']);
  return added.map(([effect, key]) => ({ effect, key, operator: 'Exists' }));
}

/** The node affinity the DaemonSet controller pins each of its pods to its node with. */
export function pinnedTo(nodeName: string): JsonObject {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] },
        ],
      },
    },
  };
}

/** Why the kubelet holds a pod condition False: its reason and message. */
export interface Unmet {
  readonly reason: string;
  readonly message: string;
}

/** A pod condition as the kubelet writes it: True, or False with the reason it is unmet. */
export function podCondition(type: string, time: string, unmet?: Unmet): JsonObject {
  return defined({
    lastProbeTime: null,
    lastTransitionTime: time,
    message: unmet?.message,
    reason: unmet?.reason,
    status: unmet ? 'False' : 'True',
    type,
  });
}

/** Ready and ContainersReady stay False while these containers are not ready. */
export function containersNotReady(names: readonly string[]): Unmet {
  return {
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${names.join(' ')}]`,
  };
}

/** Initialized stays False while these init containers have not completed. */
export function containersNotInitialized(names: readonly string[]): Unmet {
  return {
    reason: 'ContainersNotInitialized',
    message: `containers with incomplete status: [${names.join(' ')}]`,
  };
}

/** The objects of a JSON array member (none when it is absent). */
export function asObjects(value: Json | undefined): JsonObject[] {
  return Array.isArray(value) ? (value as JsonObject[]) : [];
}

/** The minor version of a `v1.29.8-eks-…` kubelet. */
function kubeletMinor(node: PodNode): number {
  return Number(/^v1\.(\d+)\./.exec(node.kubeletVersion)?.[1]);
}

/** A pod with its admitted spec and the kubelet's status. */
export function podObject(plan: PodPlan, cluster: Cluster): JsonObject {
  const { node: n, template } = plan;
  const podUid = uid(`pod:${plan.namespace}/${plan.name}`);
  const tokenVolume = `kube-api-access-${nameSuffix(`token:${plan.namespace}/${plan.name}`)}`;
  const spec = template.spec;
  const hostNetwork = spec['hostNetwork'] === true;
  const priorityClass =
    typeof spec['priorityClassName'] === 'string' ? spec['priorityClassName'] : undefined;
  const serviceAccount =
    typeof spec['serviceAccountName'] === 'string' ? spec['serviceAccountName'] : 'default';
  const tokenMount = {
    mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
    name: tokenVolume,
    readOnly: true,
  };
  const withToken = (c: JsonObject): JsonObject => ({
    ...c,
    volumeMounts: [...asObjects(c['volumeMounts']), tokenMount],
  });
  const claimVolumes = (plan.statefulSet?.claims ?? []).map((claim) => ({
    name: claim,
    persistentVolumeClaim: { claimName: `${claim}-${plan.name}` },
  }));
  const podSpec: JsonObject = defined({
    ...spec,
    affinity: plan.daemonSet ? pinnedTo(n.name) : spec['affinity'],
    containers: spec.containers.map(withToken),
    enableServiceLinks: true,
    hostname: plan.statefulSet ? plan.name : undefined,
    initContainers: spec['initContainers']
      ? asObjects(spec['initContainers']).map(withToken)
      : undefined,
    nodeName: n.name,
    preemptionPolicy: 'PreemptLowerPriority',
    priority: priorityClass ? PRIORITIES[priorityClass] : 0,
    serviceAccount,
    serviceAccountName: serviceAccount,
    subdomain: plan.statefulSet?.serviceName,
    tolerations: [
      ...asObjects(spec['tolerations']),
      ...(plan.daemonSet ? daemonSetTolerations(hostNetwork) : DEFAULT_TOLERATIONS),
    ],
    volumes: [
      ...claimVolumes,
      ...asObjects(spec['volumes']),
      {
        name: tokenVolume,
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
            {
              downwardAPI: {
                items: [
                  {
                    fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
                    path: 'namespace',
                  },
                ],
              },
            },
          ],
        },
      },
    ],
  });
  const lastWrite = lastStatusChange(plan, cluster);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      creationTimestamp: plan.created,
      generateName: plan.generateName,
      labels: plan.labels,
      name: plan.name,
      namespace: plan.namespace,
      ownerReferences: [controllerRef(plan.owner)],
      resourceVersion: resourceVersion(lastWrite, `${plan.namespace}/${plan.name}`),
      uid: podUid,
    },
    spec: podSpec,
    status: podStatus(
      plan,
      { namespace: plan.namespace, name: plan.name, uid: podUid },
      hostNetwork,
    ),
  };
}

/** The last time the kubelet wrote this pod's status. */
function lastStatusChange(plan: PodPlan, cluster: Cluster): string {
  const times = Object.values(plan.runs).flatMap((run) => {
    if (run.kind === 'running') return [run.startedAt];
    if (run.kind === 'completed') return [run.finishedAt];
    if (run.kind === 'crashLoopBackOff') return [run.last.finishedAt];
    // Image pull back-off: the kubelet rewrites the status at each retry, the last shortly before.
    return [at(cluster.collectedAt, -95)];
  });
  return times.sort().at(-1) ?? plan.created;
}

function containerNames(list: Json | undefined): string[] {
  return asObjects(list).map((c) => String(c['name']));
}

function containerImage(plan: PodPlan, name: string): string {
  const all = [
    ...asObjects(plan.template.spec['initContainers']),
    ...plan.template.spec.containers,
  ];
  const image = all.find((c) => c['name'] === name)?.['image'];
  if (typeof image !== 'string') throw new Error(`${plan.name}: container ${name} has no image`);
  return image;
}

function runOf(plan: PodPlan, name: string): ContainerRun {
  const run = plan.runs[name];
  if (!run) throw new Error(`${plan.name}: no run given for container ${name}`);
  return run;
}

function statusOf(plan: PodPlan, pod: PodIdentity, name: string): JsonObject {
  return containerStatus(pod, name, containerImage(plan, name), runOf(plan, name));
}

function podStatus(plan: PodPlan, pod: PodIdentity, hostNetwork: boolean): JsonObject {
  const n = plan.node;
  const minor = kubeletMinor(n);
  const scheduled = plan.created;
  const startTime = at(plan.created, 1);
  const sandboxReady = at(plan.created, 3);
  const initNames = containerNames(plan.template.spec['initContainers']);
  const names = containerNames(plan.template.spec.containers);
  const initRuns = initNames.map((name) => runOf(plan, name));
  const initialized = initRuns.reduce(
    (latest, run) =>
      run.kind === 'completed' && run.finishedAt > latest ? run.finishedAt : latest,
    startTime,
  );
  const runs = names.map((name) => ({ name, run: runOf(plan, name) }));
  const unready = runs.filter(({ run }) => run.kind !== 'running').map(({ name }) => name);
  const readyAt = runs.reduce(
    (latest, { run }) =>
      run.kind === 'running' && run.startedAt > latest ? run.startedAt : latest,
    initialized,
  );
  const neverStarted = runs.some(({ run }) => run.kind === 'imagePullBackOff');
  const ip = hostNetwork ? n.ip : n.podIp(`${plan.namespace}/${plan.name}`);
  const notReady = unready.length > 0 ? containersNotReady(unready) : undefined;
  // A container that never became ready leaves Ready False from the moment the pod initialized.
  const readyTime = notReady ? initialized : at(readyAt, 4);
  return defined({
    conditions: [
      // Kubelets before 1.29 do not write PodReadyToStartContainers.
      ...(minor >= 29 ? [podCondition('PodReadyToStartContainers', sandboxReady)] : []),
      podCondition('Initialized', initialized),
      podCondition('Ready', readyTime, notReady),
      podCondition('ContainersReady', readyTime, notReady),
      podCondition('PodScheduled', scheduled),
    ],
    containerStatuses: [...names].sort().map((name) => statusOf(plan, pod, name)),
    hostIP: n.ip,
    // status.hostIPs is written by kubelets from 1.29 (PodHostIPs beta).
    hostIPs: minor >= 29 ? [{ ip: n.ip }] : undefined,
    initContainerStatuses:
      initNames.length > 0 ? initNames.map((name) => statusOf(plan, pod, name)) : undefined,
    phase: neverStarted ? 'Pending' : 'Running',
    podIP: ip,
    podIPs: [{ ip }],
    qosClass: qosClass(plan.template.spec.containers),
    startTime,
  });
}

function qosClass(containers: readonly JsonObject[]): string {
  const resources = containers.map(
    (c) => c['resources'] as { requests?: JsonObject; limits?: JsonObject },
  );
  const any = resources.some((r) => r.requests ?? r.limits);
  if (!any) return 'BestEffort';
  const guaranteed = resources.every(
    (r) =>
      r.limits?.['cpu'] !== undefined &&
      r.limits['memory'] !== undefined &&
      (r.requests?.['cpu'] ?? r.limits['cpu']) === r.limits['cpu'] &&
      (r.requests?.['memory'] ?? r.limits['memory']) === r.limits['memory'],
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
