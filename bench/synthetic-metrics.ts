/**
 * The synthetic cluster as the series a Prometheus scraping kube-state-metrics, the kubelets,
 * kube-proxy and the API server holds, written as OpenMetrics text for
 * `promtool tsdb create-blocks-from openmetrics`. Streamed to a file: at L the text is too big
 * for one string. Every family the collector queries is present for every object; pods carry
 * the five families the queries select them by (real kube-state-metrics exports more per pod,
 * so the L figures here understate Prometheus's own work, never overstate it).
 */
import { createWriteStream } from 'node:fs';
import { escapeLabelValue } from '../test/support/openmetrics';
import { uid } from '../test/support/kube-objects';
import type { ClusterModel, PodModel, WorkloadModel } from './synthetic-cluster';
import {
  forEachPod,
  replicaSetsOf,
  SERVER_VERSION,
  statefulSetRevision,
} from './synthetic-cluster';

/** The backfilled window: four samples, 4 minutes apart, ending at the query time. */
export const METRICS_WINDOW = {
  endMs: Date.parse('2026-11-21T12:00:00Z'),
  stepMs: 4 * 60_000,
  samples: 4,
} as const;

const CREATED_EPOCH = Date.parse('2026-10-01T08:00:00Z') / 1000;
const UPDATED_EPOCH = Date.parse('2026-11-20T08:00:00Z') / 1000;
const KUBE_PROXY_BUILD = 'v1.30.3-eks-a737599';

type Labels = Readonly<Record<string, string>>;
/** A constant, or the value at sample index `i` (0 = oldest). */
type Value = number | ((i: number) => number);

/** Buffered OpenMetrics writer with backpressure. */
class OpenMetricsFile {
  private readonly out;
  private buffer = '';
  private readonly stamps: string[];
  samples = 0;

  constructor(file: string) {
    this.out = createWriteStream(file);
    const first = METRICS_WINDOW.endMs - (METRICS_WINDOW.samples - 1) * METRICS_WINDOW.stepMs;
    this.stamps = Array.from({ length: METRICS_WINDOW.samples }, (_, i) =>
      String((first + i * METRICS_WINDOW.stepMs) / 1000),
    );
  }

  /** Starts a family; its series must follow before the next family. */
  family(name: string, type: 'gauge' | 'counter' | 'info' = 'gauge'): void {
    this.buffer += `# TYPE ${name} ${type}\n`;
  }

  /** One series with a sample at every stamp of the window. */
  series(name: string, labels: Labels, value: Value): void {
    const prefix = `${name}{${Object.entries(labels)
      .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
      .join(',')}} `;
    this.stamps.forEach((stamp, i) => {
      this.buffer += `${prefix}${typeof value === 'number' ? value : value(i)} ${stamp}\n`;
    });
    this.samples += this.stamps.length;
  }

  /** Writes the buffer out when it is large, waiting for the stream to drain. */
  async flush(force = false): Promise<void> {
    if (!force && this.buffer.length < 1 << 20) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk))
      await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
  }

  async close(): Promise<void> {
    this.buffer += '# EOF\n';
    await this.flush(true);
    await new Promise<void>((resolve, reject) => {
      this.out.on('error', reject);
      this.out.end(resolve);
    });
  }
}

const ns = (w: WorkloadModel): Labels => ({ namespace: w.namespace });

/** Writes the cluster's series to `file`; returns the number of samples written. */
export async function writeOpenMetrics(model: ClusterModel, file: string): Promise<number> {
  const om = new OpenMetricsFile(file);
  om.family('up');
  om.series('up', { job: 'kube-state-metrics', instance: '10.0.200.5:8080' }, 1);

  om.family('kubernetes_build_info');
  for (const ip of ['10.0.250.10', '10.0.250.11']) {
    om.series(
      'kubernetes_build_info',
      { job: 'apiserver', instance: `${ip}:443`, git_version: SERVER_VERSION },
      1,
    );
  }
  for (const n of model.nodes) {
    om.series(
      'kubernetes_build_info',
      { job: 'kubelet', instance: `${n.ip}:10250`, node: n.name, git_version: n.kubeletVersion },
      1,
    );
    om.series(
      'kubernetes_build_info',
      { job: 'kube-proxy', instance: `${n.ip}:10249`, git_version: KUBE_PROXY_BUILD },
      1,
    );
    await om.flush();
  }
  om.family('kube_node_info');
  for (const n of model.nodes) {
    om.series(
      'kube_node_info',
      {
        node: n.name,
        internal_ip: n.ip,
        kubelet_version: n.kubeletVersion,
        kubeproxy_version: n.kubeletVersion,
        container_runtime_version: 'containerd://1.7.22',
        kernel_version: '6.1.112-122.189.amzn2023.x86_64',
        os_image: 'Amazon Linux 2023.6.20241031',
        provider_id: `aws:///${n.zone}/${n.instanceId}`,
      },
      1,
    );
  }
  om.family('kube_node_labels');
  for (const n of model.nodes) {
    om.series(
      'kube_node_labels',
      {
        node: n.name,
        label_eks_amazonaws_com_nodegroup: n.nodeGroup,
        label_kubernetes_io_arch: 'amd64',
        label_topology_kubernetes_io_zone: n.zone,
      },
      1,
    );
  }
  om.family('kube_node_created');
  for (const n of model.nodes) om.series('kube_node_created', { node: n.name }, CREATED_EPOCH);
  await om.flush();

  await workloadFamilies(om, model);
  await replicaSetFamilies(om, model);
  await podFamilies(om, model);
  await om.close();
  return om.samples;
}

/** One family per field, every workload of the kind in each. */
async function perWorkload(
  om: OpenMetricsFile,
  model: ClusterModel,
  kind: WorkloadModel['kind'],
  fields: readonly (readonly [
    string,
    (w: WorkloadModel) => Value,
    ((w: WorkloadModel) => Labels)?,
  ])[],
): Promise<void> {
  const label = kind.toLowerCase();
  const workloads = model.workloads.filter((w) => w.kind === kind);
  for (const [suffix, value, extra] of fields) {
    const name = `kube_${label}_${suffix}`;
    om.family(name);
    for (const w of workloads) {
      om.series(name, { ...ns(w), [label]: w.name, ...extra?.(w) }, value(w));
      await om.flush();
    }
  }
}

async function workloadFamilies(om: OpenMetricsFile, model: ClusterModel): Promise<void> {
  const stuck = (w: WorkloadModel): boolean => w.health !== 'healthy';
  const ready = (w: WorkloadModel): number => (stuck(w) ? w.replicas - 1 : w.replicas);
  await perWorkload(om, model, 'Deployment', [
    ['metadata_generation', (w) => (stuck(w) ? 5 : 4)],
    ['status_observed_generation', (w) => (stuck(w) ? 5 : 4)],
    ['spec_replicas', (w) => w.replicas],
    ['status_replicas', (w) => w.replicas],
    ['status_replicas_ready', ready],
    ['status_replicas_available', ready],
    ['status_replicas_unavailable', (w) => w.replicas - ready(w)],
    ['status_replicas_updated', (w) => (stuck(w) ? 1 : w.replicas)],
    ['spec_paused', () => 0],
    ['spec_strategy_rollingupdate_max_unavailable', (w) => Math.max(1, Math.floor(w.replicas / 4))],
    ['created', () => CREATED_EPOCH],
    [
      'annotations',
      () => 1,
      (w) => ({ annotation_deployment_kubernetes_io_revision: stuck(w) ? '5' : '4' }),
    ],
  ]);
  // Available and Progressing, as kube-state-metrics reports them: one family, kept contiguous.
  om.family('kube_deployment_status_condition');
  for (const w of model.workloads.filter((x) => x.kind === 'Deployment')) {
    const labels = { ...ns(w), deployment: w.name };
    om.series(
      'kube_deployment_status_condition',
      { ...labels, condition: 'Available', status: 'true', reason: 'MinimumReplicasAvailable' },
      1,
    );
    const reason = stuck(w) ? 'ReplicaSetUpdated' : 'NewReplicaSetAvailable';
    om.series(
      'kube_deployment_status_condition',
      { ...labels, condition: 'Progressing', status: 'true', reason },
      1,
    );
    om.series(
      'kube_deployment_status_condition',
      { ...labels, condition: 'Progressing', status: 'false', reason },
      0,
    );
    await om.flush();
  }
  await perWorkload(om, model, 'StatefulSet', [
    ['metadata_generation', (w) => (stuck(w) ? 2 : 1)],
    ['status_observed_generation', (w) => (stuck(w) ? 2 : 1)],
    ['replicas', (w) => w.replicas],
    ['status_replicas', (w) => w.replicas],
    ['status_replicas_ready', ready],
    ['status_replicas_current', ready],
    ['status_replicas_updated', (w) => (stuck(w) ? 1 : w.replicas)],
    ['status_replicas_available', ready],
    ['status_current_revision', () => 1, (w) => ({ revision: statefulSetRevision(w, 1) })],
    [
      'status_update_revision',
      () => 1,
      (w) => ({ revision: statefulSetRevision(w, stuck(w) ? 2 : 1) }),
    ],
    ['created', () => CREATED_EPOCH],
  ]);
  await perWorkload(om, model, 'DaemonSet', [
    ['metadata_generation', () => 3],
    ['status_observed_generation', () => 3],
    ['status_desired_number_scheduled', (w) => w.replicas],
    ['status_current_number_scheduled', (w) => w.replicas],
    ['status_updated_number_scheduled', (w) => w.replicas],
    ['status_number_available', (w) => w.replicas],
    ['status_number_ready', (w) => w.replicas],
    ['status_number_misscheduled', () => 0],
    ['status_number_unavailable', () => 0],
    ['created', () => CREATED_EPOCH],
  ]);
}

async function replicaSetFamilies(om: OpenMetricsFile, model: ClusterModel): Promise<void> {
  const all = model.workloads.flatMap(replicaSetsOf);
  const families: readonly (readonly [
    string,
    (rs: (typeof all)[number]) => Value,
    ((rs: (typeof all)[number]) => Labels)?,
  ])[] = [
    [
      'owner',
      () => 1,
      (rs) => ({
        owner_kind: 'Deployment',
        owner_name: rs.deployment.name,
        owner_is_controller: 'true',
      }),
    ],
    ['spec_replicas', (rs) => rs.replicas],
    ['status_replicas', (rs) => rs.replicas],
    [
      'status_ready_replicas',
      (rs) => (rs.deployment.health !== 'healthy' && rs.revision === 5 ? 0 : rs.replicas),
    ],
    ['created', () => UPDATED_EPOCH],
    [
      'annotations',
      () => 1,
      (rs) => ({ annotation_deployment_kubernetes_io_revision: String(rs.revision) }),
    ],
  ];
  for (const [suffix, value, extra] of families) {
    const name = `kube_replicaset_${suffix}`;
    om.family(name);
    for (const rs of all) {
      om.series(name, { namespace: rs.namespace, replicaset: rs.name, ...extra?.(rs) }, value(rs));
      await om.flush();
    }
  }
}

async function podFamilies(om: OpenMetricsFile, model: ClusterModel): Promise<void> {
  const pods: PodModel[] = [];
  forEachPod(model, (p) => pods.push(p));
  const key = (p: PodModel): Labels => ({ namespace: p.namespace, pod: p.name });
  const container = (p: PodModel): Labels => ({ ...key(p), container: p.workload.container });
  const each = async (
    name: string,
    type: 'gauge' | 'counter',
    emit: (p: PodModel) => void,
  ): Promise<void> => {
    om.family(name, type);
    for (const p of pods) {
      emit(p);
      await om.flush();
    }
  };
  await each('kube_pod_info', 'gauge', (p) =>
    om.series(
      'kube_pod_info',
      {
        ...key(p),
        node: p.node.name,
        host_ip: p.node.ip,
        created_by_kind: p.ownerKind,
        created_by_name: p.ownerName,
        // The pod object's metadata.uid, as kube-state-metrics reports it.
        uid: uid(`pod:${p.namespace}/${p.name}`),
      },
      1,
    ),
  );
  await each('kube_pod_owner', 'gauge', (p) =>
    om.series(
      'kube_pod_owner',
      { ...key(p), owner_kind: p.ownerKind, owner_name: p.ownerName, owner_is_controller: 'true' },
      1,
    ),
  );
  await each('kube_pod_status_phase', 'gauge', (p) =>
    om.series(
      'kube_pod_status_phase',
      { ...key(p), phase: p.state === 'running' ? 'Running' : 'Pending' },
      1,
    ),
  );
  await each('kube_pod_container_info', 'gauge', (p) =>
    om.series('kube_pod_container_info', { ...container(p), image: p.image }, 1),
  );
  await each('kube_pod_container_status_restarts', 'counter', (p) =>
    om.series('kube_pod_container_status_restarts_total', container(p), (i) =>
      Math.max(0, p.restarts - 3 + i),
    ),
  );
  om.family('kube_pod_container_status_waiting_reason');
  for (const p of pods) {
    if (p.state === 'running') continue;
    om.series(
      'kube_pod_container_status_waiting_reason',
      {
        ...container(p),
        reason: p.state === 'crashLoop' ? 'CrashLoopBackOff' : 'ImagePullBackOff',
      },
      1,
    );
  }
  await om.flush();
}
