/**
 * Generates the bundled demo cluster: what `kubectl` prints for an EKS cluster halfway through an
 * upgrade (control plane 1.30, node group ng-old still on kubelet 1.26, ng-new on 1.29, the
 * kube-proxy add-on left at 1.27), with a stuck Deployment rollout and a crash-looping StatefulSet.
 *
 * This file holds the plan of the cluster (its nodes, images and workloads); the objects are
 * built by the factory the tests and benchmarks share (test/support/kube-objects), so the demo
 * shows the same shapes the collectors are tested against.
 *
 * Deterministic: uids, hashes, ids and IPs derive from SHA-256 of fixed seeds, times from fixed
 * instants. Run from the repository root:
 *   npx tsx examples/demo-cluster/generate.ts          rewrite the JSON files
 *   npx tsx examples/demo-cluster/generate.ts --check  fail when they are stale or inconsistent
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Cluster,
  DaemonSetNode,
  DaemonSetPlan,
  DeploymentPlan,
  InstanceType,
  JsonObject,
  NodeImage,
  NodePlan,
  OsImage,
  PodPlacement,
  PodTemplate,
  StatefulSetPlan,
} from '../../test/support/kube-objects';
import {
  asObjects,
  at,
  byNamespacedName,
  canonical,
  container,
  daemonSetObjects,
  deploymentObjects,
  execProbe,
  hostPath,
  httpProbe,
  list,
  nodeObject,
  POD_SPEC_DEFAULTS,
  qualifiedImage,
  running,
  sha256,
  statefulSetObjects,
  versionOutput,
  volumeClaimTemplate,
} from '../../test/support/kube-objects';
import { verifyDemoCluster } from './verify';

/** When the demo's kubectl commands ran; every timestamp in the files lies before it. */
const COLLECTED_AT = '2026-11-21T11:58:00Z';

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

/** The cluster as every object sees it. */
const DEMO: Cluster = { name: 'demo-eks', region: REGION, collectedAt: COLLECTED_AT };

/** An OS image and the pause (sandbox) image its kubelet keeps in the cache. */
interface DemoOsImage extends OsImage {
  readonly pause: string;
}

const AMAZON_LINUX_2: DemoOsImage = {
  osImage: 'Amazon Linux 2',
  kernelVersion: '5.10.215-203.850.amzn2.x86_64',
  containerRuntimeVersion: 'containerd://1.7.11',
  pause: IMAGES.pauseAl2,
  providedNodeIpAnnotation: false,
  ephemeralStorageKi: 20_959_212,
};

const AMAZON_LINUX_2023: DemoOsImage = {
  osImage: 'Amazon Linux 2023.5.20240916',
  kernelVersion: '6.1.109-118.189.amzn2023.x86_64',
  containerRuntimeVersion: 'containerd://1.7.20',
  pause: IMAGES.pauseAl2023,
  providedNodeIpAnnotation: true,
  ephemeralStorageKi: 20_893_676,
};

const M5_XLARGE: InstanceType = { name: 'm5.xlarge', cpu: 4, memoryKi: 15_896_988, maxPods: 58 };
const M6I_XLARGE: InstanceType = { name: 'm6i.xlarge', cpu: 4, memoryKi: 15_901_080, maxPods: 58 };

interface NodeGroup {
  readonly name: string;
  readonly kubeletVersion: string;
  readonly os: DemoOsImage;
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

/** A node of the demo: the factory's node plan, where its pods get their IPs, and its group. */
interface DemoNode extends NodePlan, DaemonSetNode {
  readonly group: NodeGroup;
}

const NODES: readonly DemoNode[] = NODE_GROUPS.flatMap((group) =>
  group.members.map(([ip, zone], index) => ({
    name: `ip-${ip.replace(/\./g, '-')}.${REGION}.compute.internal`,
    ip,
    zone,
    zoneId: ZONE_IDS[zone],
    group,
    nodeGroup: group.name,
    ami: group.ami,
    kubeletVersion: group.kubeletVersion,
    os: group.os,
    instanceType: group.instanceType,
    created: at(group.created, index * 13),
    instanceId: `i-0${sha256(`instance:${ip}`).slice(0, 16)}`,
    podIp: (podKey: string) => podIp(podKey, zone),
  })),
);

/** A node by its IP, so the placement of pods below reads like a scheduler's decisions. */
function node(ip: string): DemoNode {
  const found = NODES.find((n) => n.ip === ip);
  if (!found) throw new Error(`demo cluster has no node with IP ${ip}`);
  return found;
}

/** A secondary IP of the node's subnet, as the VPC CNI hands them to pods. */
function podIp(seed: string, zone: Zone): string {
  const h = sha256(`ip:${seed}`);
  const third = SUBNET_BASE[zone] + (parseInt(h.slice(0, 2), 16) % 32);
  const fourth = 2 + (parseInt(h.slice(2, 4), 16) % 252);
  return `10.0.${third}.${fourth}`;
}

// ---------------------------------------------------------------------------------------------
// Deployments

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
  progressed: { at: '2026-11-21T09:24:05Z', state: 'timedOut' },
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
  progressed: { at: '2026-11-19T16:06:09Z', state: 'complete' },
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
  progressed: { at: '2026-11-20T10:31:58Z', state: 'complete' },
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

const ORDERS_DB_TEMPLATES: Readonly<Record<string, PodTemplate>> = {
  [ORDERS_DB_REVISIONS.current]: postgresTemplate(IMAGES.postgresCurrent, '4Gi'),
  [ORDERS_DB_REVISIONS.update]: postgresTemplate(IMAGES.postgresUpdate, '1Gi'),
};

const ORDERS_DB: StatefulSetPlan = {
  namespace: 'shop',
  name: 'orders-db',
  labels: {
    'app.kubernetes.io/component': 'database',
    'app.kubernetes.io/name': 'orders-db',
    'app.kubernetes.io/part-of': 'shop',
  },
  selector: { 'app.kubernetes.io/name': 'orders-db' },
  created: '2026-03-04T10:15:24Z',
  lastWrite: '2026-11-21T10:41:09Z',
  generation: 9,
  serviceName: 'orders-db',
  currentRevision: ORDERS_DB_REVISIONS.current,
  updateRevision: ORDERS_DB_REVISIONS.update,
  template: (revision) => {
    const template = ORDERS_DB_TEMPLATES[revision];
    if (!template) throw new Error(`orders-db has no revision ${revision}`);
    return template;
  },
  volumeClaimTemplates: [volumeClaimTemplate('data', '50Gi', 'gp3')],
  pods: [
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
  ],
};

// ---------------------------------------------------------------------------------------------
// DaemonSets: kube-proxy (the lagging add-on) and aws-node (the VPC CNI)

/** EKS add-ons run on EC2 nodes only: not on Fargate or hybrid nodes. */
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
  namespace: 'kube-system',
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
        hostPath('varlog', '/var/log'),
        hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
        hostPath('lib-modules', '/lib/modules'),
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
  namespace: 'kube-system',
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
        hostPath('bpf-pin-path', '/sys/fs/bpf'),
        hostPath('cni-bin-dir', '/opt/cni/bin'),
        hostPath('cni-net-dir', '/etc/cni/net.d'),
        hostPath('log-dir', '/var/log/aws-routed-eni', 'DirectoryOrCreate'),
        hostPath('run-dir', '/var/run/aws-node', 'DirectoryOrCreate'),
        hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
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

// ---------------------------------------------------------------------------------------------
// Assembling the files

/** Every object of the demo cluster, by the file it goes to. */
function demoCluster(): Record<string, JsonObject> {
  const deployments = [COREDNS, CART, WEB].map((plan) => deploymentObjects(plan, DEMO));
  const daemonSets = [AWS_NODE, KUBE_PROXY].map((plan) => daemonSetObjects(plan, NODES, DEMO));
  const db = statefulSetObjects(ORDERS_DB, DEMO);
  const allPods = [
    ...deployments.flatMap((d) => d.pods),
    ...daemonSets.flatMap((d) => d.pods),
    ...db.pods,
  ];
  const podsIn = (namespace: string) =>
    allPods
      .filter((p) => (p['metadata'] as JsonObject)['namespace'] === namespace)
      .sort(byNamespacedName);
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
        return Object.keys(IMAGE_SIZES).find((known) => qualifiedImage(known) === image) ?? image;
      }),
  ];
  return {
    // `kubectl version -o json`: struct field order, not sorted. EKS reports the minor with a
    // trailing "+" (a vendor build).
    'version.json': versionOutput('v1.30.4-eks-a737599', {
      minor: '30+',
      clientPlatform: 'darwin/arm64',
    }),
    'nodes.json': list(
      NODES.map((n) => nodeObject(n, nodeImages(imagesOn(n)), DEMO)).sort(byNamespacedName),
    ),
    'kube-system-pods.json': list(podsIn('kube-system')),
    'app-pods.json': list(podsIn('shop')),
    // `kubectl get deployments,statefulsets,daemonsets,replicasets -A`: kind by kind, then by name.
    'workloads.json': list([
      ...deployments.map((d) => d.deployment).sort(byNamespacedName),
      db.statefulSet,
      ...daemonSets.map((d) => d.daemonSet).sort(byNamespacedName),
      ...deployments.flatMap((d) => d.replicaSets).sort(byNamespacedName),
    ]),
  };
}

/** The node's image cache from the images its pods use: each once, with containerd's size. */
function nodeImages(images: readonly string[]): NodeImage[] {
  return [...new Set(images)].map((image) => ({ image, sizeBytes: IMAGE_SIZES[image] ?? 0 }));
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
