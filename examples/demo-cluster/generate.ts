/**
 * Generates the bundled demo cluster: what `kubectl` prints for an EKS cluster halfway through an
 * upgrade (control plane 1.30, node group ng-old still on kubelet 1.26, ng-new on 1.29, the
 * kube-proxy add-on left at 1.27), with a stuck Deployment rollout and a crash-looping StatefulSet.
 *
 * Deterministic: uids, hashes, ids and IPs derive from SHA-256 of fixed seeds, times from fixed
 * instants. Run from the repository root:
 *   npx tsx examples/demo-cluster/generate.ts          rewrite the JSON files
 *   npx tsx examples/demo-cluster/generate.ts --check  fail when they are stale or inconsistent
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json, JsonObject } from './verify';
import { verifyDemoCluster } from './verify';

// ---------------------------------------------------------------------------------------------
// Deterministic building blocks

/** When the demo's kubectl commands ran; every timestamp in the files lies before it. */
const COLLECTED_AT = '2026-11-21T11:58:00Z';

function sha256(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** A version-4 UUID, as the API server assigns to metadata.uid. */
function uid(seed: string): string {
  const h = sha256(`uid:${seed}`);
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The alphabet of generateName suffixes and template hashes (no vowels, no 0, 1 or 3). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A generateName-style suffix such as `x7k2p`. */
function nameSuffix(seed: string, length = 5): string {
  const h = sha256(`suffix:${seed}`);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += SAFE_ALPHABET.charAt(parseInt(h.slice(i * 2, i * 2 + 2), 16) % SAFE_ALPHABET.length);
  }
  return out;
}

/** An ISO instant moved by some seconds, printed as the API prints times (no milliseconds). */
function at(instant: string, seconds = 0): string {
  return new Date(Date.parse(instant) + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** A resourceVersion that grows with the time of the object's last write, as etcd revisions do. */
function resourceVersion(lastWrite: string, seed: string): string {
  const seconds = (Date.parse(lastWrite) - Date.parse('2026-01-01T00:00:00Z')) / 1000;
  return String(
    28_000_000 + Math.floor(seconds / 3) + (parseInt(sha256(seed).slice(0, 4), 16) % 3),
  );
}

// ---------------------------------------------------------------------------------------------
// Cluster facts

const REGION = 'eu-west-1';
type Zone = 'eu-west-1a' | 'eu-west-1b' | 'eu-west-1c';
const ZONE_IDS: Readonly<Record<Zone, string>> = {
  'eu-west-1a': 'euw1-az3',
  'eu-west-1b': 'euw1-az1',
  'eu-west-1c': 'euw1-az2',
};
/** Third octet where each zone's /19 subnet of the 10.0.0.0/16 VPC starts. */
const SUBNET_BASE: Readonly<Record<Zone, number>> = {
  'eu-west-1a': 0,
  'eu-west-1b': 32,
  'eu-west-1c': 64,
};

/** EKS add-on images come from the regional ECR account of Amazon EKS. */
const ECR = `602401143452.dkr.ecr.${REGION}.amazonaws.com`;
const IMAGES = {
  pauseAl2: `${ECR}/eks/pause:3.5`,
  pauseAl2023: 'localhost/kubernetes/pause:0.1.0',
  kubeProxy: `${ECR}/eks/kube-proxy:v1.27.16-minimal-eksbuild.1`,
  /** The add-on version before the October update, still cached on ng-old. */
  kubeProxyPrevious: `${ECR}/eks/kube-proxy:v1.26.15-minimal-eksbuild.2`,
  vpcCni: `${ECR}/amazon-k8s-cni:v1.18.3-eksbuild.3`,
  vpcCniInit: `${ECR}/amazon-k8s-cni-init:v1.18.3-eksbuild.3`,
  networkPolicyAgent: `${ECR}/amazon/aws-network-policy-agent:v1.1.2-eksbuild.1`,
  coredns: `${ECR}/eks/coredns:v1.11.3-eksbuild.1`,
  webServing: 'shop/web:2.3.0',
  webBroken: 'shop/web:2.3.1',
  cart: 'shop/cart:1.14.2',
  postgresCurrent: 'postgres:16.4',
  postgresUpdate: 'postgres:16.6',
} as const;

/** Uncompressed sizes containerd reports in node status.images (bytes). */
const IMAGE_SIZES: Readonly<Record<string, number>> = {
  [IMAGES.pauseAl2]: 299_514,
  [IMAGES.pauseAl2023]: 287_462,
  [IMAGES.kubeProxy]: 30_516_208,
  [IMAGES.kubeProxyPrevious]: 29_710_372,
  [IMAGES.vpcCni]: 45_930_118,
  [IMAGES.vpcCniInit]: 62_147_006,
  [IMAGES.networkPolicyAgent]: 36_812_455,
  [IMAGES.coredns]: 27_268_404,
  [IMAGES.webServing]: 84_120_662,
  [IMAGES.cart]: 71_004_318,
  [IMAGES.postgresCurrent]: 158_436_702,
  [IMAGES.postgresUpdate]: 158_902_116,
};

/** The fully qualified reference containerd reports (`docker.io/library/` for short names). */
function qualified(image: string): string {
  const first = image.split('/')[0] ?? '';
  const hasRegistry =
    image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

/** `repository@sha256:digest`, as status.containerStatuses[].imageID and node images show. */
function imageId(image: string): string {
  const ref = qualified(image);
  const repository = ref.slice(0, ref.lastIndexOf(':'));
  return `${repository}@sha256:${sha256(`digest:${ref}`)}`;
}

interface OsImage {
  readonly osImage: string;
  readonly kernelVersion: string;
  readonly containerRuntimeVersion: string;
  readonly pause: string;
  /** AL2023 nodes run the external AWS cloud provider, which records the node IP it was given. */
  readonly providedNodeIpAnnotation: boolean;
  readonly ephemeralStorageKi: number;
}

const AMAZON_LINUX_2: OsImage = {
  osImage: 'Amazon Linux 2',
  kernelVersion: '5.10.215-203.850.amzn2.x86_64',
  containerRuntimeVersion: 'containerd://1.7.11',
  pause: IMAGES.pauseAl2,
  providedNodeIpAnnotation: false,
  ephemeralStorageKi: 20_959_212,
};

const AMAZON_LINUX_2023: OsImage = {
  osImage: 'Amazon Linux 2023.5.20240916',
  kernelVersion: '6.1.109-118.189.amzn2023.x86_64',
  containerRuntimeVersion: 'containerd://1.7.20',
  pause: IMAGES.pauseAl2023,
  providedNodeIpAnnotation: true,
  ephemeralStorageKi: 20_893_676,
};

interface InstanceType {
  readonly name: string;
  readonly cpu: number;
  readonly memoryKi: number;
  /** The VPC CNI's limit: ENIs × (IPs per ENI − 1) + 2. */
  readonly maxPods: number;
}

const M5_XLARGE: InstanceType = { name: 'm5.xlarge', cpu: 4, memoryKi: 15_896_988, maxPods: 58 };
const M6I_XLARGE: InstanceType = { name: 'm6i.xlarge', cpu: 4, memoryKi: 15_901_080, maxPods: 58 };

interface NodeGroup {
  readonly name: string;
  readonly kubeletVersion: string;
  readonly os: OsImage;
  readonly instanceType: InstanceType;
  readonly ami: string;
  readonly created: string;
  readonly members: readonly (readonly [ip: string, zone: Zone])[];
}

const NODE_GROUPS: readonly NodeGroup[] = [
  {
    name: 'ng-old',
    kubeletVersion: 'v1.26.15-eks-59bf375',
    os: AMAZON_LINUX_2,
    instanceType: M5_XLARGE,
    ami: 'ami-0c2f7e9a1b3d5e8f4',
    created: '2026-08-11T07:42:10Z',
    members: [
      ['10.0.12.34', 'eu-west-1a'],
      ['10.0.45.112', 'eu-west-1b'],
      ['10.0.77.201', 'eu-west-1c'],
      ['10.0.21.8', 'eu-west-1a'],
    ],
  },
  {
    name: 'ng-new',
    kubeletVersion: 'v1.29.8-eks-a737599',
    os: AMAZON_LINUX_2023,
    instanceType: M6I_XLARGE,
    ami: 'ami-07d1e5b3c9a4f2e61',
    created: '2026-11-19T14:21:37Z',
    members: [
      ['10.0.9.157', 'eu-west-1a'],
      ['10.0.38.62', 'eu-west-1b'],
      ['10.0.70.19', 'eu-west-1c'],
    ],
  },
];

interface DemoNode {
  readonly name: string;
  readonly ip: string;
  readonly zone: Zone;
  readonly group: NodeGroup;
  readonly created: string;
  readonly instanceId: string;
  /** The kubelet's minor version decides which pod status fields it writes. */
  readonly kubeletMinor: number;
}

const NODES: readonly DemoNode[] = NODE_GROUPS.flatMap((group) =>
  group.members.map(([ip, zone], index) => ({
    name: `ip-${ip.replace(/\./g, '-')}.${REGION}.compute.internal`,
    ip,
    zone,
    group,
    created: at(group.created, index * 13),
    instanceId: `i-0${sha256(`instance:${ip}`).slice(0, 16)}`,
    kubeletMinor: Number(/^v1\.(\d+)\./.exec(group.kubeletVersion)?.[1]),
  })),
);

/** A node by its IP, so the placement of pods below reads like a scheduler's decisions. */
function node(ip: string): DemoNode {
  const found = NODES.find((n) => n.ip === ip);
  if (!found) throw new Error(`demo cluster has no node with IP ${ip}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Nodes

function nodeObject(n: DemoNode, images: readonly string[]): JsonObject {
  const { group } = n;
  const type = group.instanceType;
  // EKS reserves 11 MiB per pod + 255 MiB for the kubelet and 100 MiB as eviction threshold.
  const reservedKi = (11 * type.maxPods + 255 + 100) * 1024;
  // …and 6% of the first core, 1% of the second, 0.5% of each further core.
  const reservedMilliCpu = 60 + 10 + Math.max(0, type.cpu - 2) * 5;
  const storageBytes = group.os.ephemeralStorageKi * 1024;
  const heartbeat = at(
    COLLECTED_AT,
    -(20 + (parseInt(sha256(`hb:${n.name}`).slice(0, 4), 16) % 270)),
  );
  const ready = at(n.created, 41);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: type === 'Ready' ? ready : at(n.created, 19),
    message,
    reason,
    status,
    type,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      annotations: {
        ...(group.os.providedNodeIpAnnotation
          ? { 'alpha.kubernetes.io/provided-node-ip': n.ip }
          : {}),
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      creationTimestamp: n.created,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': type.name,
        'beta.kubernetes.io/os': 'linux',
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        'eks.amazonaws.com/nodegroup': group.name,
        'eks.amazonaws.com/nodegroup-image': group.ami,
        'failure-domain.beta.kubernetes.io/region': REGION,
        'failure-domain.beta.kubernetes.io/zone': n.zone,
        'k8s.io/cloud-provider-aws': sha256('cluster:demo-eks').slice(0, 32),
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': type.name,
        'topology.k8s.aws/zone-id': ZONE_IDS[n.zone],
        'topology.kubernetes.io/region': REGION,
        'topology.kubernetes.io/zone': n.zone,
      },
      name: n.name,
      resourceVersion: resourceVersion(heartbeat, n.name),
      uid: uid(`node:${n.name}`),
    },
    spec: { providerID: `aws:///${n.zone}/${n.instanceId}` },
    status: {
      addresses: [
        { address: n.ip, type: 'InternalIP' },
        { address: n.name, type: 'InternalDNS' },
        { address: n.name, type: 'Hostname' },
      ],
      allocatable: {
        cpu: `${type.cpu * 1000 - reservedMilliCpu}m`,
        'ephemeral-storage': String(Math.floor(storageBytes * 0.9) - 1024 ** 3),
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${type.memoryKi - reservedKi}Ki`,
        pods: String(type.maxPods),
      },
      capacity: {
        cpu: String(type.cpu),
        'ephemeral-storage': `${group.os.ephemeralStorageKi}Ki`,
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${type.memoryKi}Ki`,
        pods: String(type.maxPods),
      },
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition(
          'DiskPressure',
          'False',
          'KubeletHasNoDiskPressure',
          'kubelet has no disk pressure',
        ),
        condition(
          'PIDPressure',
          'False',
          'KubeletHasSufficientPID',
          'kubelet has sufficient PID available',
        ),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      // The kubelet lists cached images largest first.
      images: [...new Set(images)]
        .map((image) => ({ image, size: IMAGE_SIZES[image] ?? 0 }))
        .sort((a, b) => b.size - a.size)
        .map(({ image, size }) => ({ names: [imageId(image), qualified(image)], sizeBytes: size })),
      nodeInfo: {
        architecture: 'amd64',
        bootID: uid(`boot:${n.name}`),
        containerRuntimeVersion: group.os.containerRuntimeVersion,
        kernelVersion: group.os.kernelVersion,
        // Deprecated: the kubelet copies its own version here; it says nothing about kube-proxy.
        kubeProxyVersion: group.kubeletVersion,
        kubeletVersion: group.kubeletVersion,
        machineID: sha256(`machine:${n.name}`).slice(0, 32),
        operatingSystem: 'linux',
        osImage: group.os.osImage,
        systemUUID: `ec2${uid(`system:${n.name}`).slice(3)}`,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Pods

/** The object a pod's (or ReplicaSet's) controller ownerReference points to. */
interface Owner {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
}

function controllerRef(owner: Owner): JsonObject {
  return {
    apiVersion: owner.apiVersion,
    blockOwnerDeletion: true,
    controller: true,
    kind: owner.kind,
    name: owner.name,
    uid: owner.uid,
  };
}

/** How one container of a pod is doing when kubectl ran. */
type ContainerRun =
  | {
      readonly kind: 'running';
      readonly startedAt: string;
      readonly restarts?: number;
      readonly last?: Termination;
    }
  | { readonly kind: 'completed'; readonly startedAt: string; readonly finishedAt: string }
  | { readonly kind: 'imagePullBackOff' }
  | { readonly kind: 'crashLoopBackOff'; readonly restarts: number; readonly last: Termination };

/** lastState.terminated: how the previous attempt of a container ended. */
interface Termination {
  readonly reason: string;
  readonly exitCode: number;
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** A pod template as Deployments, StatefulSets and DaemonSets carry it (API defaults applied). */
interface PodTemplate {
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: JsonObject & { readonly containers: JsonObject[] };
}

function templateJson(template: PodTemplate, extraLabels: Record<string, string> = {}): JsonObject {
  return {
    metadata: { creationTimestamp: null, labels: { ...template.labels, ...extraLabels } },
    spec: template.spec,
  };
}

/** What a pod needs beyond its template: identity, placement and how its containers run. */
interface PodPlan {
  readonly namespace: string;
  readonly name: string;
  readonly generateName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly owner: Owner;
  readonly node: DemoNode;
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
const DEFAULT_TOLERATIONS: JsonObject[] = [
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

function asObjects(value: Json | undefined): JsonObject[] {
  return Array.isArray(value) ? (value as JsonObject[]) : [];
}

function podObject(plan: PodPlan): JsonObject {
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
  const podSpec: JsonObject = {
    ...spec,
    affinity: plan.daemonSet
      ? {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: [n.name] }] },
              ],
            },
          },
        }
      : spec['affinity'],
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
  };
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
      resourceVersion: resourceVersion(lastStatusChange(plan), `${plan.namespace}/${plan.name}`),
      uid: podUid,
    },
    spec: podSpec,
    status: podStatus(plan, podUid, hostNetwork),
  };
}

/** The last time the kubelet wrote this pod's status. */
function lastStatusChange(plan: PodPlan): string {
  const times = Object.values(plan.runs).flatMap((run) => {
    if (run.kind === 'running') return [run.startedAt];
    if (run.kind === 'completed') return [run.finishedAt];
    if (run.kind === 'crashLoopBackOff') return [run.last.finishedAt];
    return [at(COLLECTED_AT, -95)];
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

function containerStatus(plan: PodPlan, podUid: string, name: string): JsonObject {
  const run = runOf(plan, name);
  const image = containerImage(plan, name);
  const containerId = (attempt: number) =>
    `containerd://${sha256(`container:${plan.namespace}/${plan.name}/${name}/${attempt}`)}`;
  switch (run.kind) {
    case 'imagePullBackOff':
      // Never created: no containerID or imageID, and the image exactly as the spec names it.
      return {
        image,
        imageID: '',
        lastState: {},
        name,
        ready: false,
        restartCount: 0,
        started: false,
        state: {
          waiting: { message: `Back-off pulling image "${image}"`, reason: 'ImagePullBackOff' },
        },
      };
    case 'completed':
      return {
        containerID: containerId(0),
        image: qualified(image),
        imageID: imageId(image),
        lastState: {},
        name,
        ready: true,
        restartCount: 0,
        started: false,
        state: {
          terminated: {
            containerID: containerId(0),
            exitCode: 0,
            finishedAt: run.finishedAt,
            reason: 'Completed',
            startedAt: run.startedAt,
          },
        },
      };
    case 'running': {
      const restarts = run.restarts ?? 0;
      return {
        containerID: containerId(restarts),
        image: qualified(image),
        imageID: imageId(image),
        lastState: run.last ? { terminated: terminated(run.last, containerId(restarts - 1)) } : {},
        name,
        ready: true,
        restartCount: restarts,
        started: true,
        state: { running: { startedAt: run.startedAt } },
      };
    }
    case 'crashLoopBackOff':
      return {
        containerID: containerId(run.restarts),
        image: qualified(image),
        imageID: imageId(image),
        lastState: { terminated: terminated(run.last, containerId(run.restarts)) },
        name,
        ready: false,
        restartCount: run.restarts,
        started: false,
        state: {
          waiting: {
            message: `back-off 5m0s restarting failed container=${name} pod=${plan.name}_${plan.namespace}(${podUid})`,
            reason: 'CrashLoopBackOff',
          },
        },
      };
  }
}

function terminated(t: Termination, containerId: string): JsonObject {
  return {
    containerID: containerId,
    exitCode: t.exitCode,
    finishedAt: t.finishedAt,
    reason: t.reason,
    startedAt: t.startedAt,
  };
}

function podStatus(plan: PodPlan, podUid: string, hostNetwork: boolean): JsonObject {
  const n = plan.node;
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
  const ip = hostNetwork ? n.ip : podIp(`${plan.namespace}/${plan.name}`, n.zone);
  const condition = (type: string, time: string, failing?: string): JsonObject => ({
    lastProbeTime: null,
    lastTransitionTime: time,
    message: failing ? `containers with unready status: [${failing}]` : undefined,
    reason: failing ? 'ContainersNotReady' : undefined,
    status: failing ? 'False' : 'True',
    type,
  });
  const failing = unready.length > 0 ? unready.join(' ') : undefined;
  // A container that never became ready leaves Ready False from the moment the pod initialized.
  const readyTime = failing ? initialized : at(readyAt, 4);
  return {
    conditions: [
      // Kubelets before 1.29 do not write PodReadyToStartContainers.
      ...(n.kubeletMinor >= 29 ? [condition('PodReadyToStartContainers', sandboxReady)] : []),
      condition('Initialized', initialized),
      condition('Ready', readyTime, failing),
      condition('ContainersReady', readyTime, failing),
      condition('PodScheduled', scheduled),
    ],
    containerStatuses: [...names].sort().map((name) => containerStatus(plan, podUid, name)),
    hostIP: n.ip,
    // status.hostIPs is written by kubelets from 1.29 (PodHostIPs beta).
    hostIPs: n.kubeletMinor >= 29 ? [{ ip: n.ip }] : undefined,
    initContainerStatuses:
      initNames.length > 0
        ? initNames.map((name) => containerStatus(plan, podUid, name))
        : undefined,
    phase: neverStarted ? 'Pending' : 'Running',
    podIP: ip,
    podIPs: [{ ip }],
    qosClass: qosClass(plan.template.spec.containers),
    startTime,
  };
}

/** A secondary IP of the node's subnet, as the VPC CNI hands them to pods. */
function podIp(seed: string, zone: Zone): string {
  const h = sha256(`ip:${seed}`);
  const third = SUBNET_BASE[zone] + (parseInt(h.slice(0, 2), 16) % 32);
  const fourth = 2 + (parseInt(h.slice(2, 4), 16) % 252);
  return `10.0.${third}.${fourth}`;
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

// ---------------------------------------------------------------------------------------------
// Container and probe shapes (with the defaults the API server fills in)

function container(fields: JsonObject): JsonObject {
  return {
    imagePullPolicy: 'IfNotPresent',
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...fields,
  };
}

function httpProbe(
  path: string,
  port: string | number,
  periodSeconds = 10,
  initialDelaySeconds?: number,
): JsonObject {
  return {
    failureThreshold: 3,
    httpGet: { path, port, scheme: 'HTTP' },
    initialDelaySeconds,
    periodSeconds,
    successThreshold: 1,
    timeoutSeconds: 1,
  };
}

function execProbe(
  command: string[],
  periodSeconds: number,
  initialDelaySeconds?: number,
): JsonObject {
  return {
    exec: { command },
    failureThreshold: 3,
    initialDelaySeconds,
    periodSeconds,
    successThreshold: 1,
    timeoutSeconds: 1,
  };
}

const POD_SPEC_DEFAULTS: JsonObject = {
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

/** The object metadata the API server keeps for every workload. */
function workloadMeta(
  namespace: string,
  name: string,
  kind: string,
  fields: {
    created: string;
    lastWrite: string;
    generation: number;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
    owner?: Owner;
  },
): JsonObject {
  return {
    annotations: fields.annotations,
    creationTimestamp: fields.created,
    generation: fields.generation,
    labels: fields.labels,
    name,
    namespace,
    ownerReferences: fields.owner ? [controllerRef(fields.owner)] : undefined,
    resourceVersion: resourceVersion(fields.lastWrite, `${kind}:${namespace}/${name}`),
    uid: uid(`${kind}:${namespace}/${name}`),
  };
}

function ownerOf(object: JsonObject): Owner {
  const meta = object['metadata'] as JsonObject;
  return {
    apiVersion: String(object['apiVersion']),
    kind: String(object['kind']),
    name: String(meta['name']),
    uid: String(meta['uid']),
  };
}

// ---------------------------------------------------------------------------------------------
// Deployments and their ReplicaSets

/** One revision of a Deployment: its ReplicaSet and the pods it still runs. */
interface RevisionPlan {
  readonly revision: number;
  readonly hash: string;
  readonly image: string;
  readonly created: string;
  /** metadata.generation of the ReplicaSet: bumped by every scale. */
  readonly generation: number;
  readonly pods: readonly PodPlacement[];
}

/** Where and when a pod of a revision was created, and how its one container runs. */
interface PodPlacement {
  readonly node: DemoNode;
  readonly created: string;
  readonly run: ContainerRun;
}

interface DeploymentPlan {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly created: string;
  readonly generation: number;
  readonly replicas: number;
  readonly strategy: JsonObject;
  /** The most pods a rollout may run: replicas + maxSurge (the max-replicas annotation). */
  readonly maxReplicas: number;
  readonly template: (image: string) => PodTemplate;
  /** Oldest first; the last one is the current revision. */
  readonly revisions: readonly RevisionPlan[];
  readonly availableSince: string;
  /** When the newest ReplicaSet finished rolling out, or, for a stuck rollout, when it timed out. */
  readonly progressed: { readonly at: string; readonly stuck: boolean };
}

function deploymentObjects(plan: DeploymentPlan): {
  deployment: JsonObject;
  replicaSets: JsonObject[];
  pods: JsonObject[];
} {
  const current = plan.revisions.at(-1);
  if (!current) throw new Error(`${plan.name}: a Deployment needs at least one revision`);
  const newRs = `${plan.name}-${current.hash}`;
  const isReady = (run: ContainerRun) => run.kind === 'running';
  const allPods = plan.revisions.flatMap((r) => r.pods);
  const ready = allPods.filter((p) => isReady(p.run)).length;
  const total = allPods.length;
  const deployment: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: workloadMeta(plan.namespace, plan.name, 'Deployment', {
      created: plan.created,
      lastWrite: plan.progressed.at,
      generation: plan.generation,
      labels: plan.labels,
      annotations: { 'deployment.kubernetes.io/revision': String(current.revision) },
    }),
    spec: {
      progressDeadlineSeconds: 600,
      replicas: plan.replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: plan.selector },
      strategy: plan.strategy,
      template: templateJson(plan.template(current.image)),
    },
    status: {
      availableReplicas: ready,
      conditions: [
        {
          lastTransitionTime: plan.availableSince,
          lastUpdateTime: plan.availableSince,
          message: 'Deployment has minimum availability.',
          reason: 'MinimumReplicasAvailable',
          status: 'True',
          type: 'Available',
        },
        plan.progressed.stuck
          ? {
              lastTransitionTime: plan.progressed.at,
              lastUpdateTime: plan.progressed.at,
              message: `ReplicaSet "${newRs}" has timed out progressing.`,
              reason: 'ProgressDeadlineExceeded',
              status: 'False',
              type: 'Progressing',
            }
          : {
              lastTransitionTime: at(current.created, -1),
              lastUpdateTime: plan.progressed.at,
              message: `ReplicaSet "${newRs}" has successfully progressed.`,
              reason: 'NewReplicaSetAvailable',
              status: 'True',
              type: 'Progressing',
            },
      ],
      observedGeneration: plan.generation,
      readyReplicas: ready,
      // status.replicas counts the pods of every revision; spec.replicas is the target.
      replicas: total,
      unavailableReplicas: total - ready > 0 ? total - ready : undefined,
      updatedReplicas: current.pods.length,
    },
  };
  const deploymentOwner = ownerOf(deployment);
  const replicaSets: JsonObject[] = [];
  const pods: JsonObject[] = [];
  plan.revisions.forEach((revision, index) => {
    const rsName = `${plan.name}-${revision.hash}`;
    const template = plan.template(revision.image);
    const hashLabel = { 'pod-template-hash': revision.hash };
    const rsReady = revision.pods.filter((p) => isReady(p.run)).length;
    const lastPod = revision.pods
      .map((p) => p.created)
      .sort()
      .at(-1);
    const rs: JsonObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: workloadMeta(plan.namespace, rsName, 'ReplicaSet', {
        created: revision.created,
        // A scaled-down revision was last written when its successor scaled it to zero.
        lastWrite: lastPod ?? at(plan.revisions[index + 1]?.created ?? revision.created, 40),
        generation: revision.generation,
        labels: { ...template.labels, ...hashLabel },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(plan.replicas),
          'deployment.kubernetes.io/max-replicas': String(plan.maxReplicas),
          'deployment.kubernetes.io/revision': String(revision.revision),
        },
        owner: deploymentOwner,
      }),
      spec: {
        replicas: revision.pods.length,
        selector: { matchLabels: { ...plan.selector, ...hashLabel } },
        template: templateJson(template, hashLabel),
      },
      // Zero counts are omitted (omitempty), except replicas.
      status: {
        availableReplicas: rsReady || undefined,
        fullyLabeledReplicas: revision.pods.length || undefined,
        observedGeneration: revision.generation,
        readyReplicas: rsReady || undefined,
        replicas: revision.pods.length,
      },
    };
    replicaSets.push(rs);
    for (const pod of revision.pods) {
      const name = `${rsName}-${nameSuffix(`${plan.namespace}/${rsName}/${pod.node.name}/${pod.created}`)}`;
      pods.push(
        podObject({
          namespace: plan.namespace,
          name,
          generateName: `${rsName}-`,
          labels: { ...template.labels, ...hashLabel },
          owner: ownerOf(rs),
          node: pod.node,
          created: pod.created,
          template,
          runs: { [String(template.spec.containers[0]?.['name'])]: pod.run },
        }),
      );
    }
  });
  return { deployment, replicaSets, pods };
}

const running = (startedAt: string): ContainerRun => ({ kind: 'running', startedAt });

/** A pod that pulled its image and became ready `startsAfter` seconds after it was created. */
function serving(ip: string, created: string, startsAfter = 7): PodPlacement {
  return { node: node(ip), created, run: running(at(created, startsAfter)) };
}

/** A pod whose image cannot be pulled: it never leaves Pending. */
function pullBackOff(ip: string, created: string): PodPlacement {
  return { node: node(ip), created, run: { kind: 'imagePullBackOff' } };
}

/** A shop app container: one HTTP port, a readiness probe, modest requests. */
function appTemplate(app: string, image: string): PodTemplate {
  return {
    labels: { 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'shop' },
    spec: {
      containers: [
        container({
          image,
          name: app,
          ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
          readinessProbe: httpProbe('/healthz', 'http', 5),
          resources: { limits: { memory: '512Mi' }, requests: { cpu: '250m', memory: '256Mi' } },
        }),
      ],
      ...POD_SPEC_DEFAULTS,
    },
  };
}

/** The broken rollout: revision 7 asks for an image tag that does not exist. */
const WEB: DeploymentPlan = {
  namespace: 'shop',
  name: 'web',
  labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'shop' },
  selector: { 'app.kubernetes.io/name': 'web' },
  created: '2026-03-04T10:15:22Z',
  generation: 9,
  replicas: 5,
  // Surge-only rollouts: old pods keep serving until new ones are available.
  strategy: { rollingUpdate: { maxSurge: '50%', maxUnavailable: 0 }, type: 'RollingUpdate' },
  maxReplicas: 8,
  template: (image) => appTemplate('web', image),
  availableSince: '2026-10-02T08:11:45Z',
  progressed: { at: '2026-11-21T09:24:05Z', stuck: true },
  revisions: [
    {
      revision: 5,
      hash: '6f7b8c9d4',
      image: 'shop/web:2.2.4',
      created: '2026-10-29T13:40:11Z',
      generation: 4,
      pods: [],
    },
    {
      revision: 6,
      hash: '5d8f7b9c6',
      image: IMAGES.webServing,
      created: '2026-11-14T15:21:48Z',
      generation: 4,
      pods: [
        serving('10.0.12.34', '2026-11-14T15:21:49Z', 9),
        serving('10.0.45.112', '2026-11-14T15:21:49Z', 8),
        serving('10.0.77.201', '2026-11-14T15:21:49Z', 12),
        serving('10.0.21.8', '2026-11-14T15:22:16Z', 8),
        serving('10.0.12.34', '2026-11-14T15:22:16Z', 6),
      ],
    },
    {
      revision: 7,
      hash: '7c9d8f6b5',
      image: IMAGES.webBroken,
      created: '2026-11-21T09:14:02Z',
      generation: 1,
      pods: [
        pullBackOff('10.0.9.157', '2026-11-21T09:14:03Z'),
        pullBackOff('10.0.38.62', '2026-11-21T09:14:03Z'),
        pullBackOff('10.0.77.201', '2026-11-21T09:14:03Z'),
      ],
    },
  ],
};

/** A healthy Deployment, rolled onto the new node group two days ago. */
const CART: DeploymentPlan = {
  namespace: 'shop',
  name: 'cart',
  labels: { 'app.kubernetes.io/name': 'cart', 'app.kubernetes.io/part-of': 'shop' },
  selector: { 'app.kubernetes.io/name': 'cart' },
  created: '2026-03-04T10:15:23Z',
  generation: 14,
  replicas: 3,
  strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
  maxReplicas: 4,
  template: (image) => appTemplate('cart', image),
  availableSince: '2026-11-19T16:05:41Z',
  progressed: { at: '2026-11-19T16:06:09Z', stuck: false },
  revisions: [
    {
      revision: 11,
      hash: '85c6d9b7f8',
      image: 'shop/cart:1.14.1',
      created: '2026-11-03T11:02:55Z',
      generation: 6,
      pods: [],
    },
    {
      revision: 12,
      hash: '6b9f8d7c4d',
      image: IMAGES.cart,
      created: '2026-11-19T16:05:30Z',
      generation: 3,
      pods: [
        serving('10.0.9.157', '2026-11-19T16:05:31Z', 5),
        serving('10.0.38.62', '2026-11-19T16:05:44Z', 5),
        serving('10.0.70.19', '2026-11-19T16:05:58Z', 5),
      ],
    },
  ],
};

const COREDNS_TEMPLATE: PodTemplate = {
  labels: { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' },
  spec: {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
                { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
              ],
            },
          ],
        },
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            podAffinityTerm: {
              labelSelector: {
                matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }],
              },
              topologyKey: 'kubernetes.io/hostname',
            },
            weight: 100,
          },
        ],
      },
    },
    containers: [
      container({
        args: ['-conf', '/etc/coredns/Corefile'],
        image: IMAGES.coredns,
        livenessProbe: {
          ...httpProbe('/health', 8080, 10, 60),
          failureThreshold: 5,
          timeoutSeconds: 5,
        },
        name: 'coredns',
        ports: [
          { containerPort: 53, name: 'dns', protocol: 'UDP' },
          { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
          { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
        ],
        readinessProbe: httpProbe('/ready', 8181, 10),
        resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
          readOnlyRootFilesystem: true,
        },
        volumeMounts: [{ mountPath: '/etc/coredns', name: 'config-volume', readOnly: true }],
      }),
    ],
    ...POD_SPEC_DEFAULTS,
    dnsPolicy: 'Default',
    priorityClassName: 'system-cluster-critical',
    serviceAccountName: 'coredns',
    tolerations: [
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' },
    ],
    volumes: [
      {
        configMap: {
          defaultMode: 420,
          items: [{ key: 'Corefile', path: 'Corefile' }],
          name: 'coredns',
        },
        name: 'config-volume',
      },
    ],
  },
};

const COREDNS: DeploymentPlan = {
  namespace: 'kube-system',
  name: 'coredns',
  labels: {
    'eks.amazonaws.com/component': 'coredns',
    'k8s-app': 'kube-dns',
    'kubernetes.io/name': 'CoreDNS',
  },
  selector: { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' },
  created: '2025-02-11T09:02:44Z',
  generation: 3,
  replicas: 2,
  strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 }, type: 'RollingUpdate' },
  maxReplicas: 3,
  template: (image) => ({
    ...COREDNS_TEMPLATE,
    spec: {
      ...COREDNS_TEMPLATE.spec,
      containers: COREDNS_TEMPLATE.spec.containers.map((c) => ({ ...c, image })),
    },
  }),
  availableSince: '2025-02-11T09:07:12Z',
  progressed: { at: '2026-11-20T10:31:58Z', stuck: false },
  revisions: [
    {
      revision: 2,
      hash: '5b8cc885bc',
      image: `${ECR}/eks/coredns:v1.11.1-eksbuild.9`,
      created: '2026-02-17T08:44:20Z',
      generation: 4,
      pods: [],
    },
    {
      revision: 3,
      hash: '787cb67946',
      image: IMAGES.coredns,
      created: '2026-11-20T10:31:30Z',
      generation: 3,
      pods: [
        serving('10.0.38.62', '2026-11-20T10:31:30Z', 8),
        serving('10.0.70.19', '2026-11-20T10:31:43Z', 7),
      ],
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// The StatefulSet: orders-db, whose updated pod is OOM-killed in a loop

const ORDERS_DB_REVISIONS = {
  current: 'orders-db-6d9f7c8b45',
  update: 'orders-db-5b7c9d6f48',
} as const;

/** The update lowered the memory limit below what shared_buffers=1GB needs. */
function postgresTemplate(image: string, memoryLimit: string): PodTemplate {
  return {
    labels: { 'app.kubernetes.io/component': 'database', 'app.kubernetes.io/name': 'orders-db' },
    spec: {
      containers: [
        container({
          args: ['-c', 'shared_buffers=1GB', '-c', 'max_connections=200'],
          env: [
            { name: 'POSTGRES_DB', value: 'orders' },
            {
              name: 'POSTGRES_PASSWORD',
              valueFrom: { secretKeyRef: { key: 'password', name: 'orders-db-credentials' } },
            },
            { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
          ],
          image,
          name: 'postgres',
          ports: [{ containerPort: 5432, name: 'postgres', protocol: 'TCP' }],
          readinessProbe: execProbe(['pg_isready', '-U', 'postgres', '-d', 'orders'], 10, 5),
          resources: { limits: { memory: memoryLimit }, requests: { cpu: '500m', memory: '1Gi' } },
          volumeMounts: [{ mountPath: '/var/lib/postgresql/data', name: 'data' }],
        }),
      ],
      ...POD_SPEC_DEFAULTS,
      securityContext: { fsGroup: 999 },
      terminationGracePeriodSeconds: 60,
    },
  };
}

function ordersDb(): { statefulSet: JsonObject; pods: JsonObject[] } {
  const currentTemplate = postgresTemplate(IMAGES.postgresCurrent, '4Gi');
  const updateTemplate = postgresTemplate(IMAGES.postgresUpdate, '1Gi');
  const pods: (PodPlacement & { readonly revision: string })[] = [
    { revision: ORDERS_DB_REVISIONS.current, ...serving('10.0.12.34', '2026-10-28T13:02:10Z', 9) },
    { revision: ORDERS_DB_REVISIONS.current, ...serving('10.0.45.112', '2026-10-28T13:02:41Z', 9) },
    {
      revision: ORDERS_DB_REVISIONS.update,
      node: node('10.0.70.19'),
      created: '2026-11-21T10:41:07Z',
      // Each attempt runs ~90 s until postgres outgrows the 1Gi limit; the back-off is at 5 min.
      run: {
        kind: 'crashLoopBackOff',
        restarts: 14,
        last: {
          reason: 'OOMKilled',
          exitCode: 137,
          startedAt: '2026-11-21T11:52:48Z',
          finishedAt: '2026-11-21T11:54:21Z',
        },
      },
    },
  ];
  const updated = pods.filter((p) => p.revision === ORDERS_DB_REVISIONS.update).length;
  const ready = pods.filter((p) => p.run.kind === 'running').length;
  const statefulSet: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: workloadMeta('shop', 'orders-db', 'StatefulSet', {
      created: '2026-03-04T10:15:24Z',
      lastWrite: '2026-11-21T10:41:09Z',
      generation: 9,
      labels: {
        'app.kubernetes.io/component': 'database',
        'app.kubernetes.io/name': 'orders-db',
        'app.kubernetes.io/part-of': 'shop',
      },
    }),
    spec: {
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      podManagementPolicy: 'OrderedReady',
      replicas: pods.length,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'orders-db' } },
      serviceName: 'orders-db',
      template: templateJson(updateTemplate),
      updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { creationTimestamp: null, name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '50Gi' } },
            storageClassName: 'gp3',
            volumeMode: 'Filesystem',
          },
          status: { phase: 'Pending' },
        },
      ],
    },
    status: {
      availableReplicas: ready,
      collisionCount: 0,
      currentReplicas: pods.length - updated,
      currentRevision: ORDERS_DB_REVISIONS.current,
      observedGeneration: 9,
      readyReplicas: ready,
      replicas: pods.length,
      updateRevision: ORDERS_DB_REVISIONS.update,
      updatedReplicas: updated,
    },
  };
  const owner = ownerOf(statefulSet);
  return {
    statefulSet,
    pods: pods.map((p, ordinal) => {
      const template = p.revision === ORDERS_DB_REVISIONS.update ? updateTemplate : currentTemplate;
      const name = `orders-db-${ordinal}`;
      return podObject({
        namespace: 'shop',
        name,
        generateName: 'orders-db-',
        labels: {
          ...template.labels,
          'apps.kubernetes.io/pod-index': String(ordinal),
          'controller-revision-hash': p.revision,
          'statefulset.kubernetes.io/pod-name': name,
        },
        owner,
        node: p.node,
        created: p.created,
        template,
        runs: { postgres: p.run },
        statefulSet: { serviceName: 'orders-db', claims: ['data'] },
      });
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// DaemonSets: kube-proxy (the lagging add-on) and aws-node (the VPC CNI)

interface DaemonSetPlan {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly created: string;
  /** Also the pods' pod-template-generation label. */
  readonly generation: number;
  readonly revisionHash: string;
  /** When the current template rolled out to the nodes that existed then. */
  readonly updated: string;
  readonly updateStrategy: JsonObject;
  readonly template: PodTemplate;
  /** Per node: how its pod's containers run; nodes created after `updated` got their pod at join. */
  readonly runs: (n: DemoNode, podCreated: string) => Record<string, ContainerRun>;
}

const HOST_PATH = (name: string, path: string, type = ''): JsonObject => ({
  hostPath: { path, type },
  name,
});
const NOT_FARGATE_OR_HYBRID = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        {
          matchExpressions: [
            { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
            {
              key: 'eks.amazonaws.com/compute-type',
              operator: 'NotIn',
              values: ['fargate', 'hybrid'],
            },
          ],
        },
      ],
    },
  },
};

const KUBE_PROXY: DaemonSetPlan = {
  name: 'kube-proxy',
  labels: { 'eks.amazonaws.com/component': 'kube-proxy', 'k8s-app': 'kube-proxy' },
  selector: { 'k8s-app': 'kube-proxy' },
  created: '2025-02-11T09:02:41Z',
  generation: 4,
  revisionHash: '7f7c9d6c8b',
  updated: '2026-10-06T14:20:12Z',
  updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '10%' }, type: 'RollingUpdate' },
  template: {
    labels: { 'k8s-app': 'kube-proxy' },
    spec: {
      affinity: NOT_FARGATE_OR_HYBRID,
      containers: [
        container({
          command: [
            'kube-proxy',
            '--v=2',
            '--config=/var/lib/kube-proxy-config/config',
            '--hostname-override=$(NODE_NAME)',
          ],
          env: [
            {
              name: 'NODE_NAME',
              valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } },
            },
          ],
          image: IMAGES.kubeProxy,
          name: 'kube-proxy',
          resources: { requests: { cpu: '100m' } },
          securityContext: { privileged: true },
          volumeMounts: [
            { mountPath: '/var/log', name: 'varlog' },
            { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
            { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
            { mountPath: '/var/lib/kube-proxy/', name: 'kubeconfig' },
            { mountPath: '/var/lib/kube-proxy-config/', name: 'config' },
          ],
        }),
      ],
      ...POD_SPEC_DEFAULTS,
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      serviceAccountName: 'kube-proxy',
      tolerations: [{ operator: 'Exists' }],
      volumes: [
        HOST_PATH('varlog', '/var/log'),
        HOST_PATH('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
        HOST_PATH('lib-modules', '/lib/modules'),
        { configMap: { defaultMode: 420, name: 'kube-proxy' }, name: 'kubeconfig' },
        { configMap: { defaultMode: 420, name: 'kube-proxy-config' }, name: 'config' },
      ],
    },
  },
  runs: (_n, podCreated) => ({ 'kube-proxy': running(at(podCreated, 4)) }),
};

/** The node where aws-node restarted once at boot, waiting for ipamd (a common, harmless sight). */
const CNI_RESTARTED_ON = '10.0.38.62';

/** How the kubelet probes ipamd, the VPC CNI's IP address manager. */
const IPAMD_HEALTH = [
  '/app/grpc-health-probe',
  '-addr=:50051',
  '-connect-timeout=5s',
  '-rpc-timeout=5s',
];

const AWS_NODE: DaemonSetPlan = {
  name: 'aws-node',
  labels: {
    'app.kubernetes.io/instance': 'aws-vpc-cni',
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/name': 'aws-node',
    'app.kubernetes.io/version': 'v1.18.3',
    'helm.sh/chart': 'aws-vpc-cni-1.18.3',
    'k8s-app': 'aws-node',
  },
  selector: { 'k8s-app': 'aws-node' },
  created: '2025-02-11T09:02:39Z',
  generation: 7,
  revisionHash: '5c8b7d9f46',
  updated: '2026-09-15T08:03:27Z',
  updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '10%' }, type: 'RollingUpdate' },
  template: {
    labels: {
      'app.kubernetes.io/instance': 'aws-vpc-cni',
      'app.kubernetes.io/name': 'aws-node',
      'k8s-app': 'aws-node',
    },
    spec: {
      affinity: NOT_FARGATE_OR_HYBRID,
      containers: [
        container({
          env: [
            { name: 'AWS_VPC_K8S_CNI_LOGLEVEL', value: 'DEBUG' },
            { name: 'CLUSTER_NAME', value: 'demo-eks' },
            { name: 'VPC_ID', value: 'vpc-0b5e2d7c9a41f3e86' },
            { name: 'WARM_ENI_TARGET', value: '1' },
            {
              name: 'MY_NODE_NAME',
              valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } },
            },
            {
              name: 'MY_POD_NAME',
              valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } },
            },
          ],
          image: IMAGES.vpcCni,
          livenessProbe: { ...execProbe(IPAMD_HEALTH, 10, 60), timeoutSeconds: 10 },
          name: 'aws-node',
          ports: [{ containerPort: 61678, hostPort: 61678, name: 'metrics', protocol: 'TCP' }],
          readinessProbe: { ...execProbe(IPAMD_HEALTH, 10, 1), timeoutSeconds: 10 },
          resources: { requests: { cpu: '25m' } },
          securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
          volumeMounts: [
            { mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' },
            { mountPath: '/host/etc/cni/net.d', name: 'cni-net-dir' },
            { mountPath: '/host/var/log/aws-routed-eni', name: 'log-dir' },
            { mountPath: '/var/run/aws-node', name: 'run-dir' },
            { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
          ],
        }),
        container({
          args: [
            '--enable-ipv6=false',
            '--enable-network-policy=false',
            '--enable-cloudwatch-logs=false',
            '--enable-policy-event-logs=false',
            '--log-file=/var/log/aws-routed-eni/network-policy-agent.log',
            '--metrics-bind-addr=:8162',
            '--health-probe-bind-addr=:8163',
            '--conntrack-cache-cleanup-period=300',
          ],
          env: [
            {
              name: 'MY_NODE_NAME',
              valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } },
            },
          ],
          image: IMAGES.networkPolicyAgent,
          name: 'aws-eks-nodeagent',
          resources: { requests: { cpu: '25m' } },
          securityContext: { capabilities: { add: ['NET_ADMIN'] }, privileged: true },
          volumeMounts: [
            { mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' },
            { mountPath: '/sys/fs/bpf', name: 'bpf-pin-path' },
            { mountPath: '/var/log/aws-routed-eni', name: 'log-dir' },
            { mountPath: '/var/run/aws-node', name: 'run-dir' },
          ],
        }),
      ],
      ...POD_SPEC_DEFAULTS,
      hostNetwork: true,
      initContainers: [
        container({
          env: [
            { name: 'DISABLE_TCP_EARLY_DEMUX', value: 'false' },
            { name: 'ENABLE_IPv6', value: 'false' },
          ],
          image: IMAGES.vpcCniInit,
          name: 'aws-vpc-cni-init',
          resources: { requests: { cpu: '25m' } },
          securityContext: { privileged: true },
          volumeMounts: [{ mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' }],
        }),
      ],
      priorityClassName: 'system-node-critical',
      serviceAccountName: 'aws-node',
      terminationGracePeriodSeconds: 10,
      tolerations: [{ operator: 'Exists' }],
      volumes: [
        HOST_PATH('bpf-pin-path', '/sys/fs/bpf'),
        HOST_PATH('cni-bin-dir', '/opt/cni/bin'),
        HOST_PATH('cni-net-dir', '/etc/cni/net.d'),
        HOST_PATH('log-dir', '/var/log/aws-routed-eni', 'DirectoryOrCreate'),
        HOST_PATH('run-dir', '/var/run/aws-node', 'DirectoryOrCreate'),
        HOST_PATH('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
      ],
    },
  },
  runs: (n, podCreated) => {
    const initDone = at(podCreated, 7);
    const restarted = n.ip === CNI_RESTARTED_ON;
    return {
      'aws-vpc-cni-init': { kind: 'completed', startedAt: at(podCreated, 5), finishedAt: initDone },
      'aws-node': restarted
        ? {
            kind: 'running',
            startedAt: at(initDone, 44),
            restarts: 1,
            last: {
              reason: 'Error',
              exitCode: 1,
              startedAt: at(initDone, 1),
              finishedAt: at(initDone, 42),
            },
          }
        : running(at(initDone, 1)),
      'aws-eks-nodeagent': running(at(initDone, 1)),
    };
  },
};

function daemonSetObjects(plan: DaemonSetPlan): { daemonSet: JsonObject; pods: JsonObject[] } {
  const placements = NODES.map((n, index) => ({
    node: n,
    // Pods of nodes that joined later were created at join; the rest when the template changed.
    created: n.created > plan.updated ? at(n.created, 2) : at(plan.updated, index * 17),
  }));
  const daemonSet: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: workloadMeta('kube-system', plan.name, 'DaemonSet', {
      created: plan.created,
      lastWrite:
        placements
          .map((p) => at(p.created, 10))
          .sort()
          .at(-1) ?? plan.updated,
      generation: plan.generation,
      labels: plan.labels,
      annotations: { 'deprecated.daemonset.template.generation': String(plan.generation) },
    }),
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: plan.selector },
      template: templateJson(plan.template),
      updateStrategy: plan.updateStrategy,
    },
    status: {
      currentNumberScheduled: NODES.length,
      desiredNumberScheduled: NODES.length,
      numberAvailable: NODES.length,
      numberMisscheduled: 0,
      numberReady: NODES.length,
      observedGeneration: plan.generation,
      updatedNumberScheduled: NODES.length,
    },
  };
  const owner = ownerOf(daemonSet);
  const pods = placements.map(({ node: n, created }) =>
    podObject({
      namespace: 'kube-system',
      name: `${plan.name}-${nameSuffix(`kube-system/${plan.name}/${n.name}`)}`,
      generateName: `${plan.name}-`,
      labels: {
        ...plan.template.labels,
        'controller-revision-hash': plan.revisionHash,
        'pod-template-generation': String(plan.generation),
      },
      owner,
      node: n,
      created,
      template: plan.template,
      runs: plan.runs(n, created),
      daemonSet: true,
    }),
  );
  return { daemonSet, pods };
}

// ---------------------------------------------------------------------------------------------
// Assembling the files

/** kubectl prints lists as a v1 List with an empty resourceVersion. */
function list(items: JsonObject[]): JsonObject {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

function byName(a: JsonObject, b: JsonObject): number {
  const key = (o: JsonObject) => {
    const meta = o['metadata'] as JsonObject;
    return `${String(meta['namespace'] ?? '')}/${String(meta['name'])}`;
  };
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/** `kubectl version -o json`: struct field order, not sorted. */
const VERSION = {
  clientVersion: {
    major: '1',
    minor: '31',
    gitVersion: 'v1.31.2',
    gitCommit: '5864a4677267e6adeae276ad85882a8714d69d9d',
    gitTreeState: 'clean',
    buildDate: '2024-10-22T20:35:25Z',
    goVersion: 'go1.22.8',
    compiler: 'gc',
    platform: 'darwin/arm64',
  },
  kustomizeVersion: 'v5.4.2',
  serverVersion: {
    major: '1',
    // EKS reports the minor with a trailing "+" (a vendor build).
    minor: '30+',
    gitVersion: 'v1.30.4-eks-a737599',
    gitCommit: 'a737599e1e0e5f2a6c4f5c1fb3fe5e1c0e3d4e2b',
    gitTreeState: 'clean',
    buildDate: '2024-08-26T21:27:41Z',
    goVersion: 'go1.22.5',
    compiler: 'gc',
    platform: 'linux/amd64',
  },
};

/** Every object of the demo cluster, by the file it goes to. */
function demoCluster(): Record<string, JsonObject> {
  const deployments = [COREDNS, CART, WEB].map(deploymentObjects);
  const daemonSets = [AWS_NODE, KUBE_PROXY].map(daemonSetObjects);
  const db = ordersDb();
  const allPods = [
    ...deployments.flatMap((d) => d.pods),
    ...daemonSets.flatMap((d) => d.pods),
    ...db.pods,
  ];
  const podsIn = (namespace: string) =>
    allPods.filter((p) => (p['metadata'] as JsonObject)['namespace'] === namespace).sort(byName);
  const imagesOn = (n: DemoNode) => [
    n.group.os.pause,
    ...(n.group.name === 'ng-old' ? [IMAGES.kubeProxyPrevious] : []),
    ...allPods
      .filter((p) => (p['spec'] as JsonObject)['nodeName'] === n.name)
      .flatMap((p) => [
        ...asObjects((p['status'] as JsonObject)['containerStatuses']),
        ...asObjects((p['status'] as JsonObject)['initContainerStatuses']),
      ])
      .filter((s) => s['imageID'] !== '')
      .map((s) => {
        const image = String(s['image']);
        return Object.keys(IMAGE_SIZES).find((known) => qualified(known) === image) ?? image;
      }),
  ];
  return {
    'version.json': VERSION,
    'nodes.json': list(NODES.map((n) => nodeObject(n, imagesOn(n))).sort(byName)),
    'kube-system-pods.json': list(podsIn('kube-system')),
    'app-pods.json': list(podsIn('shop')),
    // `kubectl get deployments,statefulsets,daemonsets,replicasets -A`: kind by kind, then by name.
    'workloads.json': list([
      ...deployments.map((d) => d.deployment).sort(byName),
      db.statefulSet,
      ...daemonSets.map((d) => d.daemonSet).sort(byName),
      ...deployments.flatMap((d) => d.replicaSets).sort(byName),
    ]),
  };
}

/** Sorts object keys as Go's encoding/json prints maps, and drops absent (undefined) members. */
function canonical(value: Json | undefined): Json | undefined {
  if (Array.isArray(value)) return value.map((v) => canonical(v) ?? null);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) {
    const v = canonical(value[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** The exact text of each file: 2-space JSON and a final newline. */
export function renderDemoCluster(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, content] of Object.entries(demoCluster())) {
    const printed = file === 'version.json' ? content : canonical(content);
    out[file] = `${JSON.stringify(printed, null, 2)}\n`;
  }
  return out;
}

/** The demo must stay small enough to read and to ship in the package. */
const SIZE_BUDGET_BYTES = 400 * 1024;

function main(): void {
  const check = process.argv.includes('--check');
  const files = renderDemoCluster();
  const problems = verifyDemoCluster(
    Object.fromEntries(Object.entries(files).map(([f, text]) => [f, JSON.parse(text) as unknown])),
    Date.parse(COLLECTED_AT),
  );
  const total = Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  if (total > SIZE_BUDGET_BYTES) {
    problems.push(`the files total ${Math.round(total / 1024)} KiB; the budget is 400 KiB`);
  }
  if (check) {
    for (const [file, text] of Object.entries(files)) {
      if (readOrEmpty(join(__dirname, file)) !== text) {
        problems.push(
          `${file} is missing or stale; run: npx tsx examples/demo-cluster/generate.ts`,
        );
      }
    }
  }
  if (problems.length > 0) {
    process.stderr.write(`demo cluster problems:\n- ${problems.join('\n- ')}\n`);
    process.exitCode = 1;
    return;
  }
  if (!check) {
    for (const [file, text] of Object.entries(files)) writeFileSync(join(__dirname, file), text);
  }
  process.stdout.write(
    `${check ? 'checked' : 'wrote'} ${Object.keys(files).length} files (${Math.round(total / 1024)} KiB) in ${__dirname}\n`,
  );
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

if (require.main === module) main();
