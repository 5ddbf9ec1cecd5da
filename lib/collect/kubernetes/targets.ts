/**
 * Which workloads look unhealthy, and the few targeted pod and ReplicaSet lists that read only
 * theirs: what keeps a live read of a big cluster to one pass over its workloads.
 */
import type { Raw } from '../kube-objects';
import { num, str, strMap } from '../kube-objects';

/** A workload whose rollout is not visibly complete and healthy. */
export function looksUnhealthy(w: Raw): boolean {
  const generation = num(w, 'metadata', 'generation');
  const observed = num(w, 'status', 'observedGeneration');
  if (generation !== undefined && observed !== undefined && observed < generation) return true;
  const kind = str(w, 'kind');
  if (kind === 'DaemonSet') {
    const desired = num(w, 'status', 'desiredNumberScheduled') ?? 0;
    return (
      (num(w, 'status', 'numberUnavailable') ?? 0) > 0 ||
      (num(w, 'status', 'updatedNumberScheduled') ?? 0) < desired ||
      (num(w, 'status', 'currentNumberScheduled') ?? 0) < desired ||
      (num(w, 'status', 'numberMisscheduled') ?? 0) > 0
    );
  }
  const replicas = num(w, 'spec', 'replicas') ?? 1;
  if (replicas === 0) return false;
  if (kind === 'StatefulSet') {
    return (
      (num(w, 'status', 'readyReplicas') ?? 0) < replicas ||
      (num(w, 'status', 'updatedReplicas') ?? 0) < replicas ||
      str(w, 'status', 'currentRevision') !== str(w, 'status', 'updateRevision')
    );
  }
  return (
    (num(w, 'status', 'availableReplicas') ?? 0) < replicas ||
    (num(w, 'status', 'updatedReplicas') ?? 0) < replicas ||
    (num(w, 'status', 'replicas') ?? 0) > replicas
  );
}

/** One targeted list: pods or ReplicaSets of some unhealthy workloads in a namespace. */
export interface TargetedRead {
  readonly list: 'pods' | 'replicasets';
  readonly namespace: string;
  readonly selector: string;
}

// Values per `key in (...)` selector: keeps URLs far below proxies' limits (8 KB is common).
const MAX_SET_VALUES = 50;

/**
 * The reads that fetch the pods (and, for Deployments, the ReplicaSets) of `workloads`.
 * Workloads of one namespace whose selectors are one label with the same key share a read,
 * `key in (a,b,…)`, whose answer is exactly the union of theirs: one request instead of one
 * per workload. Other selectors get a read each.
 */
export function targetedReads(
  workloads: readonly Raw[],
  options: { readonly skipPodsIn?: string } = {},
): { reads: TargetedRead[]; notes: string[] } {
  const notes: string[] = [];
  const single = new Map<
    string,
    { namespace: string; key: string; pods: string[]; rs: string[] }
  >();
  const reads: TargetedRead[] = [];
  const add = (list: TargetedRead['list'], namespace: string, selector: string): void => {
    if (list === 'pods' && namespace === options.skipPodsIn) return;
    reads.push({ list, namespace, selector });
  };
  for (const workload of workloads) {
    const namespace = str(workload, 'metadata', 'namespace') ?? 'default';
    const kind = str(workload, 'kind');
    const labels = Object.entries(strMap(workload, 'spec', 'selector', 'matchLabels'));
    const [first] = labels;
    if (!first) {
      notes.push(
        `${kind} ${namespace}/${str(workload, 'metadata', 'name')} has no matchLabels selector; its pods were not read.`,
      );
      continue;
    }
    const [key, value] = first;
    // An empty value cannot stand in a set (`key in (a,)`); it keeps a read of its own.
    if (labels.length > 1 || value === '') {
      const selector = labels.map(([k, v]) => `${k}=${v}`).join(',');
      add('pods', namespace, selector);
      if (kind === 'Deployment') add('replicasets', namespace, selector);
      continue;
    }
    const groupKey = `${namespace}\u0000${key}`;
    const group = single.get(groupKey) ?? { namespace, key, pods: [], rs: [] };
    single.set(groupKey, group);
    group.pods.push(value);
    if (kind === 'Deployment') group.rs.push(value);
  }
  for (const { namespace, key, pods, rs } of single.values()) {
    for (const values of chunks(unique(pods), MAX_SET_VALUES))
      add('pods', namespace, setSelector(key, values));
    for (const values of chunks(unique(rs), MAX_SET_VALUES))
      add('replicasets', namespace, setSelector(key, values));
  }
  return { reads, notes };
}

function setSelector(key: string, values: readonly string[]): string {
  return values.length === 1 ? `${key}=${values[0] ?? ''}` : `${key} in (${values.join(',')})`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
