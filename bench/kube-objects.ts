/**
 * The synthetic cluster as kubectl-shaped JSON objects at realistic sizes: EKS nodes with their
 * image lists, pods, workloads and ReplicaSets, each with the managedFields the real API server
 * sends. Bulky parts that are identical between objects (managedFields, image lists, pod
 * specs) are shared by reference: the wire size stays real while the test server's memory
 * stays small enough for 150,000 pods.
 */
import type {
  ClusterModel,
  NodeModel,
  PodModel,
  ReplicaSetModel,
  WorkloadModel,
} from './synthetic-cluster';
import { forEachPod, hashOf, newImageOf, replicaSetsOf, uidOf } from './synthetic-cluster';

type Json = Record<string, unknown>;

const CREATED = '2026-10-01T08:00:00Z';
const UPDATED = '2026-11-20T08:00:00Z';
const HEARTBEAT = '2026-11-21T11:58:40Z';

/** A managedFields entry (what `kubectl get -o json` prints for server-side field tracking). */
function managed(manager: string, apiVersion: string, time: string, fieldsV1: Json): Json {
  return {
    manager,
    operation: 'Update',
    apiVersion,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1,
    ...(manager === 'kubelet' ? { subresource: 'status' } : {}),
  };
}

/** `{ "f:a": {}, "f:b": {} }` for a list of field names. */
function fields(...names: string[]): Json {
  return Object.fromEntries(names.map((n) => [`f:${n}`, {}]));
}

function conditionFields(...types: string[]): Json {
  return Object.fromEntries(
    types.map((t) => [
      `k:{"type":"${t}"}`,
      {
        '.': {},
        ...fields('lastHeartbeatTime', 'lastTransitionTime', 'message', 'reason', 'status', 'type'),
      },
    ]),
  );
}

const NODE_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];

const NODE_MANAGED_FIELDS: readonly Json[] = [
  managed('kubelet', 'v1', HEARTBEAT, {
    'f:metadata': {
      'f:annotations': { '.': {}, ...fields('alpha.kubernetes.io/provided-node-ip') },
      'f:labels': {
        '.': {},
        ...fields(
          'beta.kubernetes.io/arch',
          'beta.kubernetes.io/instance-type',
          'beta.kubernetes.io/os',
          'failure-domain.beta.kubernetes.io/region',
          'failure-domain.beta.kubernetes.io/zone',
          'kubernetes.io/arch',
          'kubernetes.io/hostname',
          'kubernetes.io/os',
          'node.kubernetes.io/instance-type',
          'topology.kubernetes.io/region',
          'topology.kubernetes.io/zone',
        ),
      },
    },
    'f:spec': fields('providerID'),
    'f:status': {
      'f:addresses': {
        '.': {},
        'k:{"type":"Hostname"}': { '.': {}, ...fields('address', 'type') },
        'k:{"type":"InternalDNS"}': { '.': {}, ...fields('address', 'type') },
        'k:{"type":"InternalIP"}': { '.': {}, ...fields('address', 'type') },
      },
      'f:allocatable': fields(
        'cpu',
        'ephemeral-storage',
        'hugepages-1Gi',
        'hugepages-2Mi',
        'memory',
        'pods',
      ),
      'f:capacity': fields(
        'cpu',
        'ephemeral-storage',
        'hugepages-1Gi',
        'hugepages-2Mi',
        'memory',
        'pods',
      ),
      'f:conditions': conditionFields(...NODE_CONDITIONS),
      'f:daemonEndpoints': { 'f:kubeletEndpoint': fields('Port') },
      'f:images': {},
      'f:nodeInfo': fields(
        'architecture',
        'bootID',
        'containerRuntimeVersion',
        'kernelVersion',
        'kubeProxyVersion',
        'kubeletVersion',
        'machineID',
        'operatingSystem',
        'osImage',
        'systemUUID',
      ),
    },
  }),
  managed('kube-controller-manager', 'v1', UPDATED, {
    'f:metadata': { 'f:annotations': fields('node.alpha.kubernetes.io/ttl') },
  }),
  managed('aws-cloud-controller-manager', 'v1', CREATED, {
    'f:metadata': { 'f:labels': fields('k8s.io/cloud-provider-aws', 'topology.k8s.aws/zone-id') },
  }),
];

// What a busy node's image cache looks like: the kubelet reports up to 50 images.
const NODE_IMAGES: readonly Json[] = Array.from({ length: 30 }, (_, i) => {
  const repo = `registry.example/team-${i % 40}/svc-${i * 37}`;
  return {
    names: [`${repo}@sha256:${hashOf(`${repo}@digest`, 64)}`, `${repo}:1.4.${i % 9}`],
    sizeBytes: 48_000_000 + i * 1_234_567,
  };
});

const NODE_CAPACITY: Json = {
  cpu: '8',
  'ephemeral-storage': '104845292Ki',
  'hugepages-1Gi': '0',
  'hugepages-2Mi': '0',
  memory: '32386520Ki',
  pods: '110',
};
const NODE_ALLOCATABLE: Json = {
  ...NODE_CAPACITY,
  cpu: '7910m',
  memory: '31369688Ki',
  pods: '110',
};

const NODE_CONDITION_LIST: readonly Json[] = NODE_CONDITIONS.map((type) => ({
  type,
  status: type === 'Ready' ? 'True' : 'False',
  lastHeartbeatTime: HEARTBEAT,
  lastTransitionTime: CREATED,
  reason: type === 'Ready' ? 'KubeletReady' : `KubeletHasNo${type}`,
  message: type === 'Ready' ? 'kubelet is posting ready status' : `kubelet has no ${type}`,
}));

/** An EKS managed-node-group node, about 11 KB of JSON. */
export function nodeObject(n: NodeModel): Json {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      uid: uidOf(`node/${n.name}`),
      resourceVersion: String(200_000 + n.index),
      creationTimestamp: CREATED,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': 'm6i.2xlarge',
        'beta.kubernetes.io/os': 'linux',
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        'eks.amazonaws.com/nodegroup': n.nodeGroup,
        'eks.amazonaws.com/nodegroup-image': 'ami-0c1b2d3e4f5a6b7c8',
        'eks.amazonaws.com/sourceLaunchTemplateId': 'lt-0a1b2c3d4e5f60718',
        'eks.amazonaws.com/sourceLaunchTemplateVersion': '7',
        'failure-domain.beta.kubernetes.io/region': 'eu-west-1',
        'failure-domain.beta.kubernetes.io/zone': n.zone,
        'k8s.io/cloud-provider-aws': 'a94967527effcefb5f5829f529c0a1b9',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'm6i.2xlarge',
        'topology.ebs.csi.aws.com/zone': n.zone,
        'topology.k8s.aws/zone-id': `euw1-az${(n.index % 3) + 1}`,
        'topology.kubernetes.io/region': 'eu-west-1',
        'topology.kubernetes.io/zone': n.zone,
      },
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': n.ip,
        'csi.volume.kubernetes.io/nodeid': `{"ebs.csi.aws.com":"i-0${hashOf(n.name, 16)}"}`,
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      managedFields: NODE_MANAGED_FIELDS,
    },
    spec: { providerID: `aws:///${n.zone}/i-0${hashOf(n.name, 16)}` },
    status: {
      addresses: [
        { type: 'InternalIP', address: n.ip },
        { type: 'InternalDNS', address: n.name },
        { type: 'Hostname', address: n.name },
      ],
      allocatable: NODE_ALLOCATABLE,
      capacity: NODE_CAPACITY,
      conditions: NODE_CONDITION_LIST,
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: NODE_IMAGES,
      nodeInfo: {
        architecture: 'amd64',
        bootID: uidOf(`boot/${n.name}`),
        containerRuntimeVersion: 'containerd://1.7.22',
        kernelVersion: '6.1.112-122.189.amzn2023.x86_64',
        kubeProxyVersion: n.kubeletVersion,
        kubeletVersion: n.kubeletVersion,
        machineID: hashOf(`machine/${n.name}`, 32),
        operatingSystem: 'linux',
        osImage: 'Amazon Linux 2023.6.20241031',
        systemUUID: uidOf(`sys/${n.name}`),
      },
    },
  };
}

const POD_MANAGED_FIELDS: readonly Json[] = [
  managed('kube-controller-manager', 'v1', UPDATED, {
    'f:metadata': {
      'f:generateName': {},
      'f:labels': { '.': {}, ...fields('app', 'pod-template-hash') },
      'f:ownerReferences': { '.': {}, 'k:{"uid":"…"}': {} },
    },
    'f:spec': {
      'f:containers': {
        'k:{"name":"app"}': {
          '.': {},
          ...fields('image', 'imagePullPolicy', 'name', 'terminationMessagePath'),
          'f:env': { '.': {}, 'k:{"name":"LOG_LEVEL"}': { '.': {}, ...fields('name', 'value') } },
          'f:ports': {
            '.': {},
            'k:{"containerPort":8080,"protocol":"TCP"}': {
              '.': {},
              ...fields('containerPort', 'name', 'protocol'),
            },
          },
          'f:readinessProbe': {
            '.': {},
            'f:httpGet': { '.': {}, ...fields('path', 'port', 'scheme') },
            ...fields('periodSeconds', 'timeoutSeconds'),
          },
          'f:resources': {
            '.': {},
            'f:limits': { '.': {}, ...fields('cpu', 'memory') },
            'f:requests': { '.': {}, ...fields('cpu', 'memory') },
          },
        },
      },
      ...fields(
        'dnsPolicy',
        'enableServiceLinks',
        'restartPolicy',
        'schedulerName',
        'securityContext',
        'serviceAccount',
        'serviceAccountName',
        'terminationGracePeriodSeconds',
      ),
    },
  }),
  managed('kubelet', 'v1', UPDATED, {
    'f:status': {
      'f:conditions': conditionFields(
        'ContainersReady',
        'Initialized',
        'PodReadyToStartContainers',
        'PodScheduled',
        'Ready',
      ),
      ...fields('containerStatuses', 'hostIP', 'hostIPs', 'phase', 'podIP', 'podIPs', 'startTime'),
    },
  }),
];

const TOLERATIONS: readonly Json[] = [
  {
    key: 'node.kubernetes.io/not-ready',
    operator: 'Exists',
    effect: 'NoExecute',
    tolerationSeconds: 300,
  },
  {
    key: 'node.kubernetes.io/unreachable',
    operator: 'Exists',
    effect: 'NoExecute',
    tolerationSeconds: 300,
  },
];
const DAEMON_TOLERATIONS: readonly Json[] = [
  { operator: 'Exists' },
  ...[
    'disk-pressure',
    'memory-pressure',
    'pid-pressure',
    'unschedulable',
    'network-unavailable',
  ].map((t) => ({ key: `node.kubernetes.io/${t}`, operator: 'Exists', effect: 'NoSchedule' })),
  ...TOLERATIONS.map((t) => ({ key: t['key'], operator: 'Exists', effect: 'NoExecute' })),
];

/** The container spec of a workload's pod template (shared by all its pods of one image). */
function containerSpec(name: string, image: string): Json {
  return {
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      {
        name: 'POD_NAME',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } },
      },
    ],
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    readinessProbe: {
      httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    },
    resources: {
      limits: { cpu: '500m', memory: '512Mi' },
      requests: { cpu: '100m', memory: '128Mi' },
    },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    volumeMounts: [
      {
        name: 'kube-api-access',
        readOnly: true,
        mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
      },
    ],
  };
}

const SERVICE_ACCOUNT_VOLUME: Json = {
  name: 'kube-api-access',
  projected: {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [
            { path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
          ],
        },
      },
    ],
  },
};

// Pod specs differ per pod only in nodeName; the rest is shared per (workload, image).
const specCache = new Map<string, Json>();
function podSpecBase(w: WorkloadModel, image: string): Json {
  const key = `${w.index}/${image}`;
  let spec = specCache.get(key);
  if (!spec) {
    spec = {
      containers: [containerSpec(w.container, image)],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: w.kind === 'DaemonSet' ? 2000001000 : 0,
      ...(w.kind === 'DaemonSet' ? { priorityClassName: 'system-node-critical' } : {}),
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: w.kind === 'DaemonSet' ? w.name : 'default',
      serviceAccountName: w.kind === 'DaemonSet' ? w.name : 'default',
      terminationGracePeriodSeconds: 30,
      tolerations: w.kind === 'DaemonSet' ? DAEMON_TOLERATIONS : TOLERATIONS,
      volumes: [SERVICE_ACCOUNT_VOLUME],
    };
    specCache.set(key, spec);
  }
  return spec;
}

function podConditions(ready: boolean): Json[] {
  return [
    'PodReadyToStartContainers',
    'Initialized',
    'Ready',
    'ContainersReady',
    'PodScheduled',
  ].map((type) => {
    const holds =
      ready ||
      type === 'Initialized' ||
      type === 'PodScheduled' ||
      type === 'PodReadyToStartContainers';
    return {
      type,
      status: holds ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: UPDATED,
      ...(holds
        ? {}
        : { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' }),
    };
  });
}
const READY_CONDITIONS = podConditions(true);
const NOT_READY_CONDITIONS = podConditions(false);

function containerState(p: PodModel): Json {
  if (p.state === 'crashLoop') {
    return {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off 5m0s restarting failed container=${p.workload.container} pod=${p.name}`,
      },
    };
  }
  if (p.state === 'imagePull') {
    return {
      waiting: {
        reason: 'ImagePullBackOff',
        message: `Back-off pulling image "${p.image}"`,
      },
    };
  }
  return { running: { startedAt: UPDATED } };
}

/** A pod with its spec and kubelet status, about 6 KB of JSON. */
export function podObject(p: PodModel): Json {
  const w = p.workload;
  const running = p.state === 'running';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      generateName: p.ownerKind === 'StatefulSet' ? `${w.name}-` : p.name.slice(0, -5),
      namespace: p.namespace,
      uid: uidOf(`pod/${p.namespace}/${p.name}`),
      resourceVersion: String(300_000 + (p.node.index % 1000)),
      creationTimestamp: UPDATED,
      labels: {
        [w.selectorKey]: w.selectorValue,
        [p.revisionLabel]: p.revisionValue,
        ...(p.ownerKind === 'DaemonSet' ? { 'pod-template-generation': '3' } : {}),
        ...(p.ownerKind === 'StatefulSet' ? { 'statefulset.kubernetes.io/pod-name': p.name } : {}),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: p.ownerKind,
          name: p.ownerName,
          uid: uidOf(`${p.ownerKind}/${p.namespace}/${p.ownerName}`),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: POD_MANAGED_FIELDS,
    },
    spec: { ...podSpecBase(w, p.image), nodeName: p.node.name },
    status: {
      phase: running ? 'Running' : 'Pending',
      conditions: running ? READY_CONDITIONS : NOT_READY_CONDITIONS,
      hostIP: p.node.ip,
      hostIPs: [{ ip: p.node.ip }],
      podIP: `10.1.${p.node.index & 255}.${(p.name.length * 7) & 255}`,
      startTime: UPDATED,
      qosClass: 'Burstable',
      containerStatuses: [
        {
          name: w.container,
          image: p.image,
          imageID: running ? `${p.image.replace(/:[^:]+$/, '')}@sha256:${hashOf(p.image, 64)}` : '',
          ready: running,
          restartCount: p.restarts,
          started: running,
          state: containerState(p),
          ...(p.state === 'crashLoop'
            ? {
                lastState: {
                  terminated: {
                    exitCode: 1,
                    reason: 'Error',
                    startedAt: '2026-11-21T11:50:10Z',
                    finishedAt: '2026-11-21T11:50:12Z',
                    containerID: `containerd://${hashOf(p.name, 64)}`,
                  },
                },
              }
            : { lastState: {} }),
          ...(running ? { containerID: `containerd://${hashOf(p.name, 64)}` } : {}),
        },
      ],
    },
  };
}

function workloadManagedFields(kind: string): readonly Json[] {
  return [
    managed('helm', 'apps/v1', CREATED, {
      'f:metadata': {
        'f:annotations': {
          '.': {},
          ...fields('meta.helm.sh/release-name', 'meta.helm.sh/release-namespace'),
        },
        'f:labels': {
          '.': {},
          ...fields('app', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of'),
        },
      },
      'f:spec': {
        ...fields('progressDeadlineSeconds', 'replicas', 'revisionHistoryLimit', 'selector'),
        'f:strategy': {
          'f:rollingUpdate': { '.': {}, ...fields('maxSurge', 'maxUnavailable') },
          'f:type': {},
        },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, ...fields('app') } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': {
                '.': {},
                ...fields(
                  'image',
                  'imagePullPolicy',
                  'name',
                  'terminationMessagePath',
                  'terminationMessagePolicy',
                ),
                'f:env': {
                  '.': {},
                  'k:{"name":"LOG_LEVEL"}': { '.': {}, ...fields('name', 'value') },
                },
                'f:resources': {
                  '.': {},
                  'f:limits': { '.': {}, ...fields('cpu', 'memory') },
                  'f:requests': { '.': {}, ...fields('cpu', 'memory') },
                },
              },
            },
            ...fields(
              'dnsPolicy',
              'restartPolicy',
              'schedulerName',
              'securityContext',
              'terminationGracePeriodSeconds',
            ),
          },
        },
      },
    }),
    managed('kube-controller-manager', 'apps/v1', UPDATED, {
      'f:metadata': {
        'f:annotations': { '.': {}, ...fields('deployment.kubernetes.io/revision') },
      },
      'f:status': {
        'f:conditions': conditionFields('Available', 'Progressing'),
        ...fields(
          'availableReplicas',
          'observedGeneration',
          'readyReplicas',
          'replicas',
          'updatedReplicas',
        ),
      },
      ...(kind === 'Deployment' ? {} : { subresource: 'status' }),
    }),
  ];
}
const MANAGED_BY_KIND = new Map(
  ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].map((k) => [
    k,
    workloadManagedFields(k),
  ]),
);

function templateOf(w: WorkloadModel, image: string, extraLabels: Json = {}): Json {
  return {
    metadata: { labels: { [w.selectorKey]: w.selectorValue, ...extraLabels } },
    spec: {
      containers: [containerSpec(w.container, image)],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
    },
  };
}

function workloadMetadata(w: WorkloadModel, kind: string, generation: number): Json {
  return {
    name: w.name,
    namespace: w.namespace,
    uid: uidOf(`${kind}/${w.namespace}/${w.name}`),
    generation,
    resourceVersion: String(100_000 + w.index),
    creationTimestamp: CREATED,
    labels: {
      [w.selectorKey]: w.selectorValue,
      'app.kubernetes.io/part-of': w.namespace,
      'app.kubernetes.io/managed-by': 'Helm',
    },
    annotations: {
      ...(kind === 'Deployment'
        ? { 'deployment.kubernetes.io/revision': w.health === 'healthy' ? '4' : '5' }
        : {}),
      'meta.helm.sh/release-name': w.name,
      'meta.helm.sh/release-namespace': w.namespace,
    },
    managedFields: MANAGED_BY_KIND.get(kind),
  };
}

/** A Deployment; a stuck one has rolled one new pod that never becomes ready. */
export function deploymentObject(w: WorkloadModel): Json {
  const stuck = w.health === 'rolloutStuck';
  const [current] = replicaSetsOf(w);
  const ready = stuck ? w.replicas - 1 : w.replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: workloadMetadata(w, 'Deployment', stuck ? 5 : 4),
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { [w.selectorKey]: w.selectorValue } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      template: templateOf(w, newImageOf(w)),
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
    },
    status: {
      observedGeneration: stuck ? 5 : 4,
      replicas: w.replicas,
      updatedReplicas: stuck ? 1 : w.replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(stuck ? { unavailableReplicas: 1 } : {}),
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
          lastUpdateTime: UPDATED,
          lastTransitionTime: UPDATED,
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: stuck ? 'ReplicaSetUpdated' : 'NewReplicaSetAvailable',
          message: stuck
            ? `ReplicaSet "${current?.name ?? w.name}" is progressing.`
            : `ReplicaSet "${current?.name ?? w.name}" has successfully progressed.`,
          lastUpdateTime: UPDATED,
          lastTransitionTime: CREATED,
        },
      ],
    },
  };
}

/** A StatefulSet; a stuck one has updated its highest ordinal to an image that cannot be pulled. */
export function statefulSetObject(w: WorkloadModel): Json {
  const stuck = w.health === 'updateStuck';
  const current = `${w.name}-${hashOf(`${w.namespace}/${w.name}/1`)}`;
  const update = stuck ? `${w.name}-${hashOf(`${w.namespace}/${w.name}/2`)}` : current;
  const ready = stuck ? w.replicas - 1 : w.replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: workloadMetadata(w, 'StatefulSet', stuck ? 2 : 1),
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { [w.selectorKey]: w.selectorValue } },
      serviceName: w.name,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      template: templateOf(w, newImageOf(w)),
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      revisionHistoryLimit: 10,
    },
    status: {
      observedGeneration: stuck ? 2 : 1,
      replicas: w.replicas,
      readyReplicas: ready,
      currentReplicas: stuck ? w.replicas - 1 : w.replicas,
      updatedReplicas: stuck ? 1 : w.replicas,
      availableReplicas: ready,
      currentRevision: current,
      updateRevision: update,
      collisionCount: 0,
    },
  };
}

/** A DaemonSet with one ready pod per node. */
export function daemonSetObject(w: WorkloadModel): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: workloadMetadata(w, 'DaemonSet', 3),
    spec: {
      selector: { matchLabels: { [w.selectorKey]: w.selectorValue } },
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 0, maxUnavailable: '10%' },
      },
      template: templateOf(w, w.image),
      revisionHistoryLimit: 10,
    },
    status: {
      observedGeneration: 3,
      desiredNumberScheduled: w.replicas,
      currentNumberScheduled: w.replicas,
      updatedNumberScheduled: w.replicas,
      numberAvailable: w.replicas,
      numberReady: w.replicas,
      numberMisscheduled: 0,
    },
  };
}

/** A ReplicaSet of a Deployment revision. */
export function replicaSetObject(rs: ReplicaSetModel): Json {
  const w = rs.deployment;
  const broken = w.health === 'rolloutStuck' && rs.revision === 5;
  const ready = broken ? 0 : rs.replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: rs.name,
      namespace: rs.namespace,
      uid: uidOf(`ReplicaSet/${rs.namespace}/${rs.name}`),
      generation: 1,
      resourceVersion: String(150_000 + w.index),
      creationTimestamp: UPDATED,
      labels: { [w.selectorKey]: w.selectorValue, 'pod-template-hash': rs.hash },
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(w.replicas),
        'deployment.kubernetes.io/max-replicas': String(w.replicas + 1),
        'deployment.kubernetes.io/revision': String(rs.revision),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: w.name,
          uid: uidOf(`Deployment/${w.namespace}/${w.name}`),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: MANAGED_BY_KIND.get('ReplicaSet'),
    },
    spec: {
      replicas: rs.replicas,
      selector: { matchLabels: { [w.selectorKey]: w.selectorValue, 'pod-template-hash': rs.hash } },
      template: templateOf(w, rs.image, { 'pod-template-hash': rs.hash }),
    },
    status: {
      observedGeneration: 1,
      replicas: rs.replicas,
      fullyLabeledReplicas: rs.replicas,
      readyReplicas: ready,
      availableReplicas: ready,
    },
  };
}

/** Every object of the cluster, as the test API server takes them. */
export function kubeObjects(model: ClusterModel): unknown[] {
  const objects: unknown[] = model.nodes.map(nodeObject);
  for (const w of model.workloads) {
    if (w.kind === 'Deployment') {
      objects.push(deploymentObject(w));
      for (const rs of replicaSetsOf(w)) objects.push(replicaSetObject(rs));
    } else if (w.kind === 'StatefulSet') {
      objects.push(statefulSetObject(w));
    } else {
      objects.push(daemonSetObject(w));
    }
  }
  forEachPod(model, (p) => objects.push(podObject(p)));
  return objects;
}
