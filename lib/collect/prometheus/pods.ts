/** ReplicaSets and problem pods from kube-state-metrics: owners, containers, their states and last terminations. */
import type {
  Condition,
  ContainerInfo,
  ContainerState,
  OwnerRef,
  PodInfo,
  ReplicaSetInfo,
} from '../../rules/model';
import { opt } from '../../util/opt';
import { containerStateOf, workloadOfOwner } from '../kube-objects';
import type { Sample } from './types';
import { ObjectSeries, groupByObject, sanitize } from './series';

/** ReplicaSet → owning Deployment, from kube_replicaset_owner. */
export function readReplicaSetOwners(samples: readonly Sample[]): Map<string, OwnerRef> {
  const owners = new Map<string, OwnerRef>();
  for (const s of samples) {
    if (s.metric['__name__'] !== 'kube_replicaset_owner') continue;
    const { namespace, replicaset, owner_kind: kind, owner_name: name } = s.metric;
    if (!namespace || !replicaset || !kind || !name || kind === '<none>') continue;
    owners.set(`${namespace}/${replicaset}`, { kind, name });
  }
  return owners;
}

export function readReplicaSets(
  samples: readonly Sample[],
  pods: readonly PodInfo[],
): ReplicaSetInfo[] {
  const owners = readReplicaSetOwners(samples);
  const sets: ReplicaSetInfo[] = [];
  for (const [key, group] of groupByObject(samples, 'replicaset')) {
    const [namespace = '', name = ''] = key.split('/');
    const f = new ObjectSeries('kube_replicaset', group);
    const owner = owners.get(key);
    const ready = f.num('status_ready_replicas') ?? 0;
    const images = [
      ...new Set(
        pods
          .filter(
            (p) =>
              p.namespace === namespace && p.owner?.kind === 'ReplicaSet' && p.owner.name === name,
          )
          .flatMap((p) => p.containers.map((c) => c.image))
          .filter((i) => i !== ''),
      ),
    ].sort();
    const hash =
      owner && name.startsWith(`${owner.name}-`) ? name.slice(owner.name.length + 1) : undefined;
    sets.push({
      namespace,
      name,
      ...(owner ? { owner } : {}),
      ...opt(
        'revision',
        f
          .active('annotations')
          .map((m) => m['annotation_deployment_kubernetes_io_revision'])
          .find((v) => v !== undefined && v !== ''),
      ),
      ...opt('podTemplateHash', hash),
      replicas: f.num('spec_replicas') ?? 0,
      readyReplicas: ready,
      // kube-state-metrics has no availableReplicas for ReplicaSets; ready is the closest.
      availableReplicas: ready,
      conditions: [],
      images,
      ...opt('createdAt', f.time('created')),
    });
  }
  // Newest first: without revision annotations the rollout rules take the first as the new one.
  return sets.sort(
    (a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.name.localeCompare(b.name),
  );
}

const POD_PREFIX = 'kube_pod';

export function readPods(
  samples: readonly Sample[],
  rsOwners: ReadonlyMap<string, OwnerRef>,
): PodInfo[] {
  const pods: PodInfo[] = [];
  for (const [key, group] of groupByObject(samples, 'pod')) {
    const [namespace = '', name = ''] = key.split('/');
    const f = new ObjectSeries(POD_PREFIX, group);
    const info = group.find((s) => s.metric['__name__'] === 'kube_pod_info')?.metric;
    const owners = group
      .filter((s) => s.metric['__name__'] === 'kube_pod_owner')
      .map((s) => s.metric)
      .filter((m) => m['owner_kind'] && m['owner_kind'] !== '<none>' && m['owner_name']);
    const ownerLabels = owners.find((m) => m['owner_is_controller'] === 'true') ?? owners[0];
    const owner: OwnerRef | undefined = ownerLabels
      ? { kind: ownerLabels['owner_kind'] ?? '', name: ownerLabels['owner_name'] ?? '' }
      : undefined;
    const workload = workloadOfOwner(namespace, owner, rsOwners);
    const phase = f.label('status_phase', 'phase') ?? 'Unknown';
    const labelSeries = f.active('labels')[0] ?? {};
    const labels: Record<string, string> = {};
    for (const known of [
      'controller-revision-hash',
      'pod-template-generation',
      'pod-template-hash',
    ]) {
      const value = labelSeries[`label_${sanitize(known)}`];
      if (value) labels[known] = value;
    }
    pods.push({
      namespace,
      name,
      ...opt('nodeName', info?.['node'] || undefined),
      phase,
      ...(owner ? { owner } : {}),
      ...(workload ? { workload } : {}),
      labels,
      conditions: podConditions(f),
      containers: containersOf(group, 'kube_pod_container'),
      initContainers: containersOf(group, 'kube_pod_init_container'),
      ...opt('createdAt', f.time('created')),
      ...opt('startTime', f.time('start_time')),
    });
  }
  return pods.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

function podConditions(f: ObjectSeries): Condition[] {
  const status = (v: string | undefined): Condition['status'] | undefined =>
    ({ true: 'True', false: 'False', unknown: 'Unknown' })[v ?? ''] as
      Condition['status'] | undefined;
  const conditions: Condition[] = [];
  const ready = status(f.label('status_ready', 'condition'));
  if (ready) conditions.push({ type: 'Ready', status: ready });
  const scheduled = status(f.label('status_scheduled', 'condition'));
  if (scheduled) {
    conditions.push({
      type: 'PodScheduled',
      status: scheduled,
      ...(scheduled === 'False' && f.num('status_unschedulable') === 1
        ? { reason: 'Unschedulable' }
        : {}),
    });
  }
  return conditions;
}

function containersOf(group: readonly Sample[], family: string): ContainerInfo[] {
  const byContainer = new Map<string, Sample[]>();
  for (const s of group) {
    const name = s.metric['__name__'] ?? '';
    const container = s.metric['container'];
    // `kube_pod_container_` does not prefix `kube_pod_init_container_`, so families stay apart.
    if (!container || !name.startsWith(`${family}_`)) continue;
    const list = byContainer.get(container);
    if (list) list.push(s);
    else byContainer.set(container, [s]);
  }
  return [...byContainer.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, samples]): ContainerInfo => {
      const c = new ObjectSeries(family, samples);
      const lastReason = c.label('status_last_terminated_reason', 'reason');
      const lastExit = c.num('status_last_terminated_exitcode');
      const lastAt = c.time('status_last_terminated_timestamp');
      const last =
        lastReason !== undefined || lastExit !== undefined || lastAt !== undefined
          ? {
              ...opt('reason', lastReason),
              ...opt('exitCode', lastExit),
              ...opt('finishedAt', lastAt),
            }
          : undefined;
      return {
        name,
        image: c.label('info', 'image') ?? '',
        ready: c.num('status_ready') === 1,
        restartCount: c.num('status_restarts_total') ?? 0,
        state: containerState(c),
        ...(last ? { lastTermination: last } : {}),
      };
    });
}

function containerState(c: ObjectSeries): ContainerState {
  const waitingReason = c.label('status_waiting_reason', 'reason');
  const waiting = waitingReason !== undefined || c.num('status_waiting') === 1;
  return containerStateOf({
    ...opt('waiting', waiting ? { reason: waitingReason } : undefined),
    ...opt(
      'running',
      c.num('status_running') === 1 ? { startedAt: c.time('state_started') } : undefined,
    ),
    ...opt(
      'terminated',
      c.num('status_terminated') === 1
        ? opt('reason', c.label('status_terminated_reason', 'reason'))
        : undefined,
    ),
  });
}
