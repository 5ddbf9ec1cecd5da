/**
 * The synthetic cluster as the objects the test API server serves, built by the shared
 * kubectl-object factory (test/support/kube-objects) so the collector is measured on the same
 * shapes it is tested on: EKS nodes with their image lists, Deployments with their ReplicaSets,
 * StatefulSets, DaemonSets and every pod, each with the managedFields the API server sends.
 *
 * Statuses, generations, revisions and times agree with what bench/synthetic-metrics.ts writes
 * for the same model, so both sources report the same findings.
 */
import type {
  Cluster,
  ContainerRun,
  DaemonSetNode,
  DaemonSetPlan,
  DeploymentPlan,
  InstanceType,
  JsonObject,
  NodeImage,
  NodePlan,
  PodPlacement,
  PodTemplate,
  StatefulSetPlan,
  WorkloadPlan,
} from '../test/support/kube-objects';
import {
  AL2023_NODE,
  at,
  container,
  daemonSetObjects,
  deploymentObjects,
  httpProbe,
  managedFieldsAdder,
  nodeObject,
  POD_SPEC_DEFAULTS,
  running,
  sha256,
  statefulSetObjects,
} from '../test/support/kube-objects';
import type { ClusterModel, NodeModel, PodModel, WorkloadModel } from './synthetic-cluster';
import {
  daemonSetPodName,
  daemonSetRevision,
  forEachPod,
  newImageOf,
  replicaSetsOf,
  statefulSetRevision,
} from './synthetic-cluster';

// The times synthetic-metrics.ts reports: workloads and nodes created, then the last rollout.
const CREATED = '2026-10-01T08:00:00Z';
const UPDATED = '2026-11-20T08:00:00Z';

const BENCH: Cluster = {
  name: 'bench-eks',
  region: 'eu-west-1',
  // A minute before the bench's checks run (12:00).
  collectedAt: '2026-11-21T11:59:00Z',
};

const withManagedFields = managedFieldsAdder({
  created: CREATED,
  updated: UPDATED,
  heartbeat: '2026-11-21T11:58:40Z',
});

const INSTANCE_TYPE: InstanceType = {
  name: 'm6i.2xlarge',
  cpu: 8,
  memoryKi: 32_386_520,
  maxPods: 58,
};

// What a busy node's image cache looks like: the kubelet reports up to 50 images.
const NODE_IMAGES: readonly NodeImage[] = Array.from({ length: 30 }, (_, i) => ({
  image: `registry.example/team-${i % 40}/svc-${i * 37}:1.4.${i % 9}`,
  sizeBytes: 48_000_000 + i * 1_234_567,
}));

function nodePlan(n: NodeModel): NodePlan & DaemonSetNode {
  return {
    name: n.name,
    ip: n.ip,
    zone: n.zone,
    zoneId: `euw1-az${(n.index % 3) + 1}`,
    nodeGroup: n.nodeGroup,
    ami: 'ami-0c1b2d3e4f5a6b7c8',
    kubeletVersion: n.kubeletVersion,
    os: AL2023_NODE,
    instanceType: INSTANCE_TYPE,
    created: CREATED,
    instanceId: n.instanceId,
    extraLabels: {
      'eks.amazonaws.com/sourceLaunchTemplateId': 'lt-0a1b2c3d4e5f60718',
      'eks.amazonaws.com/sourceLaunchTemplateVersion': '7',
      'topology.ebs.csi.aws.com/zone': n.zone,
    },
    extraAnnotations: {
      'csi.volume.kubernetes.io/nodeid': `{"ebs.csi.aws.com":"${n.instanceId}"}`,
    },
    podIp: (podKey) => `10.1.${n.index & 255}.${parseInt(sha256(`ip:${podKey}`).slice(0, 2), 16)}`,
  };
}

// One template per workload and image: every pod of a revision shares it.
const templates = new Map<string, PodTemplate>();
function templateOf(w: WorkloadModel, image: string): PodTemplate {
  const key = `${w.index}/${image}`;
  let template = templates.get(key);
  if (!template) {
    const daemon = w.kind === 'DaemonSet';
    template = {
      labels: { [w.selectorKey]: w.selectorValue },
      spec: {
        containers: [
          container({
            env: [
              { name: 'LOG_LEVEL', value: 'info' },
              {
                name: 'POD_NAME',
                valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } },
              },
            ],
            image,
            name: w.container,
            ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
            readinessProbe: httpProbe('/healthz', 8080),
            resources: {
              limits: { cpu: '500m', memory: '512Mi' },
              requests: { cpu: '100m', memory: '128Mi' },
            },
          }),
        ],
        ...POD_SPEC_DEFAULTS,
        ...(daemon
          ? {
              priorityClassName: 'system-node-critical',
              serviceAccountName: w.name,
              tolerations: [{ operator: 'Exists' }],
            }
          : {}),
      },
    };
    templates.set(key, template);
  }
  return template;
}

// Stuck pods' containers: crash loops restart every few minutes; image pulls never start.
const LAST_CRASH = {
  reason: 'Error',
  exitCode: 1,
  startedAt: '2026-11-21T11:50:10Z',
  finishedAt: '2026-11-21T11:50:12Z',
};
const POD_RUNNING = running(at(UPDATED, 7));

function runOf(p: PodModel): ContainerRun {
  if (p.state === 'crashLoop')
    return { kind: 'crashLoopBackOff', restarts: p.restarts, last: LAST_CRASH };
  if (p.state === 'imagePull') return { kind: 'imagePullBackOff' };
  return POD_RUNNING;
}

/** What every workload plan of `w` starts with: Helm installed it, with its labels and release. */
function workloadBase(w: WorkloadModel): Omit<WorkloadPlan, 'generation'> {
  return {
    namespace: w.namespace,
    name: w.name,
    labels: {
      [w.selectorKey]: w.selectorValue,
      'app.kubernetes.io/part-of': w.namespace,
      'app.kubernetes.io/managed-by': 'Helm',
    },
    annotations: {
      'meta.helm.sh/release-name': w.name,
      'meta.helm.sh/release-namespace': w.namespace,
    },
    selector: { [w.selectorKey]: w.selectorValue },
    created: CREATED,
  };
}

type Placements = ReadonlyMap<string, readonly (PodPlacement & { readonly revision: string })[]>;

function deploymentPlan(w: WorkloadModel, pods: Placements): DeploymentPlan {
  const stuck = w.health === 'rolloutStuck';
  return {
    ...workloadBase(w),
    generation: stuck ? 5 : 4,
    replicas: w.replicas,
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
    maxReplicas: w.replicas + 1,
    template: (image) => templateOf(w, image),
    // replicaSetsOf lists the current revision first; a plan wants the oldest first.
    revisions: [...replicaSetsOf(w)].reverse().map((rs) => ({
      revision: rs.revision,
      hash: rs.hash,
      image: rs.image,
      created: UPDATED,
      generation: 1,
      pods: pods.get(`ReplicaSet/${rs.namespace}/${rs.name}`) ?? [],
    })),
    availableSince: UPDATED,
    // A stuck rollout is still within its progress deadline, as synthetic-metrics reports it.
    progressed: { at: UPDATED, state: stuck ? 'progressing' : 'complete' },
  };
}

function statefulSetPlan(w: WorkloadModel, pods: Placements): StatefulSetPlan {
  const stuck = w.health === 'updateStuck';
  const currentRevision = statefulSetRevision(w, 1);
  const updateRevision = stuck ? statefulSetRevision(w, 2) : currentRevision;
  return {
    ...workloadBase(w),
    lastWrite: UPDATED,
    generation: stuck ? 2 : 1,
    serviceName: w.name,
    currentRevision,
    updateRevision,
    template: (revision) => templateOf(w, revision === updateRevision ? newImageOf(w) : w.image),
    pods: pods.get(`StatefulSet/${w.namespace}/${w.name}`) ?? [],
  };
}

function daemonSetPlan(w: WorkloadModel, nodes: readonly NodeModel[]): DaemonSetPlan {
  return {
    ...workloadBase(w),
    generation: 3,
    revisionHash: daemonSetRevision(w),
    updated: UPDATED,
    updateStrategy: {
      rollingUpdate: { maxSurge: 0, maxUnavailable: '10%' },
      type: 'RollingUpdate',
    },
    template: templateOf(w, w.image),
    runs: (_node, created) => ({ [w.container]: running(at(created, 4)) }),
    // The model names the pods (synthetic-metrics reports them by the same names).
    podName: (_node, index) => daemonSetPodName(w, nodes[index]!),
  };
}

/** Every object of the cluster, as the test API server takes them. */
export function kubeObjects(model: ClusterModel): unknown[] {
  const nodes = model.nodes.map(nodePlan);
  const placements = new Map<string, (PodPlacement & { readonly revision: string })[]>();
  forEachPod(model, (p) => {
    const owner = `${p.ownerKind}/${p.namespace}/${p.ownerName}`;
    let list = placements.get(owner);
    if (!list) placements.set(owner, (list = []));
    list.push({
      node: nodes[p.node.index]!,
      created: UPDATED,
      run: runOf(p),
      name: p.name,
      revision: p.revisionValue,
    });
  });
  const objects: JsonObject[] = nodes.map((n) => nodeObject(n, NODE_IMAGES, BENCH));
  const pods: JsonObject[] = [];
  for (const w of model.workloads) {
    if (w.kind === 'Deployment') {
      const built = deploymentObjects(deploymentPlan(w, placements), BENCH);
      objects.push(built.deployment, ...built.replicaSets);
      pods.push(...built.pods);
    } else if (w.kind === 'StatefulSet') {
      const built = statefulSetObjects(statefulSetPlan(w, placements), BENCH);
      objects.push(built.statefulSet);
      pods.push(...built.pods);
    } else {
      const built = daemonSetObjects(daemonSetPlan(w, model.nodes), nodes, BENCH);
      objects.push(built.daemonSet);
      pods.push(...built.pods);
    }
  }
  return [...objects, ...pods].map(withManagedFields);
}
