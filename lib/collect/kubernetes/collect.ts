import { Agent } from 'node:https';
import type { ClusterSnapshot, ControlPlaneInstance, ReadFailure } from '../../rules/model';
import { readFailureOf, SourceError } from '../errors';
import type { ClientStats, KubeTarget, RequestPolicy } from './client';
import { DEFAULT_REQUEST_POLICY, KubeClient, KubeHttpError } from './client';
import type { KeepItem, ListRequest } from './lists';
import { combineDenials, listAll, ListDeniedError } from './lists';
import type { Raw } from '../kube-objects/raw';
import { isRecord, num, str, strMap } from '../kube-objects/raw';
import { slimObject } from '../kube-objects/normalize';
import type { KubeObjects, ListKind, ListStatus } from '../kube-objects/snapshot';
import { buildSnapshot } from '../kube-objects/snapshot';

/** Options of one live collection. */
export interface KubernetesCollectOptions {
  readonly cluster: string;
  readonly target: KubeTarget;
  readonly collectedAt: () => string;
  readonly policy?: RequestPolicy;
  /** Requests in flight at once. */
  readonly concurrency?: number;
  /** At most this many unhealthy workloads get their ReplicaSets and pods fetched. */
  readonly maxTargetedWorkloads?: number;
  /** Progress lines for long collections (the CLI shows them on a TTY). */
  readonly onProgress?: (message: string) => void;
}

/** A live collection: the snapshot, the raw objects (for --save-snapshot) and request counters. */
export interface KubernetesCollection {
  readonly snapshot: ClusterSnapshot;
  readonly objects: KubeObjects;
  readonly stats: ClientStats;
}

/**
 * Lists and reads in flight at once: the five lists all start together, and targeted reads
 * overlap. Within kubectl's habits (it pages with limit=500 too) and far below what API
 * Priority and Fairness gives one client.
 */
export const DEFAULT_CONCURRENCY = 6;

const WORKLOAD_LISTS: readonly (ListRequest & { list: ListKind })[] = [
  { list: 'deployments', resource: 'deployments', group: 'apps' },
  { list: 'statefulsets', resource: 'statefulsets', group: 'apps' },
  { list: 'daemonsets', resource: 'daemonsets', group: 'apps' },
];

// The lists every run reads, in the order a message naming several failures names them.
const LIST_ORDER: readonly ListKind[] = ['nodes', 'pods', ...WORKLOAD_LISTS.map((w) => w.list)];

// Kinds of failure on /version that mean the whole API server is out of reach.
const FATAL: ReadonlySet<string> = new Set(['dns', 'tls', 'auth', 'connection', 'timeout']);

/**
 * Reads the live cluster: /version, nodes, kube-system pods, workloads in all namespaces, EKS
 * control-plane metrics when permitted, and — only for workloads that look unhealthy — their
 * ReplicaSets and pods, so big clusters stay cheap. One failing list marks only what needs it
 * as missing; an unreachable or unauthorised server fails the source.
 */
export async function collectFromKubernetes(
  options: KubernetesCollectOptions,
): Promise<KubernetesCollection> {
  const client = new KubeClient(options.target, options.policy ?? DEFAULT_REQUEST_POLICY);
  const limit = semaphore(options.concurrency ?? DEFAULT_CONCURRENCY);
  const progress = options.onProgress ?? (() => undefined);
  const notes: string[] = [];

  let version: Raw | undefined;
  let versionMissingReason: string | undefined;
  let versionFailure: ReadFailure | undefined;
  try {
    const body = await client.getJson('/version');
    if (isRecord(body)) version = body;
  } catch (error) {
    if (error instanceof SourceError && FATAL.has(error.kind)) throw error;
    versionMissingReason = `GET /version failed: ${(error as Error).message}`;
    if (error instanceof SourceError)
      versionFailure = { ...readFailureOf(error), message: versionMissingReason };
  }

  const lists: Record<ListKind, ListStatus> = {
    nodes: { state: 'missing', reason: 'not listed' },
    pods: { state: 'missing', reason: 'not listed' },
    deployments: { state: 'missing', reason: 'not listed' },
    statefulsets: { state: 'missing', reason: 'not listed' },
    daemonsets: { state: 'missing', reason: 'not listed' },
    replicasets: { state: 'missing', reason: 'not listed' },
  };
  const collected: Record<ListKind, Raw[]> = {
    nodes: [],
    pods: [],
    deployments: [],
    statefulsets: [],
    daemonsets: [],
    replicasets: [],
  };
  // By list, so a message naming several failures names them in a stable order.
  const failures = new Map<ListKind, SourceError>();
  let done = 0;
  const fetchList = async (list: ListKind, req: ListRequest): Promise<void> => {
    try {
      const items = await limit(() => listAll(client, req, slimmer(list)));
      append(collected[list], items);
      lists[list] = { state: 'collected' };
      done += 1;
      progress(
        `listed ${req.resource}${req.namespace ? ` in ${req.namespace}` : ''}: ${items.length} (${done} lists, ${client.stats.requests} requests)`,
      );
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      failures.set(list, error);
      lists[list] = { state: 'missing', reason: error.message, failures: [readFailureOf(error)] };
    }
  };

  const eks = /-eks-/.test(str(version, 'gitVersion') ?? '');
  const eksControlPlane = eks ? readEksControlPlane(client, limit) : Promise.resolve(undefined);
  await Promise.all([
    fetchList('nodes', { resource: 'nodes', group: '' }),
    fetchList('pods', { resource: 'pods', group: '', namespace: 'kube-system' }),
    ...WORKLOAD_LISTS.map((w) => fetchList(w.list, w)),
  ]);
  // /version is often readable anonymously, so a bad token shows first on the lists.
  const failed = LIST_ORDER.flatMap((list) => failures.get(list) ?? []);
  const rejected = failed.find((f) => f.kind === 'auth');
  if (rejected) throw rejected;
  const [firstFailed, ...moreFailed] = failed;
  if (firstFailed && failed.length === LIST_ORDER.length)
    throw everyListFailed([firstFailed, ...moreFailed]);

  // Targeted reads: ReplicaSets and pods of workloads that look unhealthy.
  const unhealthy = [
    ...collected.deployments,
    ...collected.statefulsets,
    ...collected.daemonsets,
  ].filter(looksUnhealthy);
  const maxTargeted = options.maxTargetedWorkloads ?? 200;
  if (unhealthy.length > maxTargeted) {
    notes.push(
      `${unhealthy.length} workloads look unhealthy; pods were read for the first ${maxTargeted} only.`,
    );
  }
  // kube-system's pods are listed whole above (and when that list failed, it stays failed).
  const targeted = targetedReads(unhealthy.slice(0, maxTargeted), { skipPodsIn: 'kube-system' });
  notes.push(...targeted.notes);
  // The first failure per list: a failed pod read must not pass for a failed ReplicaSet read.
  const targetedFailures = new Map<'pods' | 'replicasets', SourceError>();
  await Promise.all(
    targeted.reads.map(async (read) => {
      try {
        const items = await limit(() =>
          listAll(
            client,
            {
              resource: read.list,
              group: read.list === 'pods' ? '' : 'apps',
              namespace: read.namespace,
              labelSelector: read.selector,
            },
            slimmer(read.list),
          ),
        );
        append(collected[read.list], items);
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        if (!targetedFailures.has(read.list)) targetedFailures.set(read.list, error);
      }
    }),
  );
  const replicaSetFailure = targetedFailures.get('replicasets');
  lists.replicasets = replicaSetFailure
    ? {
        state: 'missing',
        reason: `reading the ReplicaSets of unhealthy workloads failed: ${replicaSetFailure.message}`,
        failures: [readFailureOf(replicaSetFailure)],
      }
    : { state: 'collected' };
  const podFailure = targetedFailures.get('pods');
  if (podFailure && lists.pods.state === 'collected') {
    // Some pods were read (kube-system), but rules that need pods cannot trust the rest.
    lists.pods = {
      state: 'missing',
      reason: `reading the pods of unhealthy workloads failed: ${podFailure.message}`,
      failures: [readFailureOf(podFailure)],
    };
  }
  if (lists.pods.state === 'collected') {
    notes.push(
      `pods were read in kube-system and for ${Math.min(unhealthy.length, maxTargeted)} workload(s) that look unhealthy, not cluster-wide.`,
    );
  }

  const eksResult = await eksControlPlane;
  const objects: KubeObjects = { ...(version ? { version } : {}), ...dedupe(collected) };
  const snapshot = buildSnapshot({
    cluster: options.cluster,
    collectedAt: options.collectedAt(),
    sources: [{ source: 'kubernetes', status: 'ok' }],
    objects,
    lists,
    ...(versionMissingReason ? { versionMissingReason } : {}),
    ...(versionFailure ? { versionFailure } : {}),
    origin: 'GET /version',
    notes,
    ...(eksResult?.instances.length ? { extraControlPlane: eksResult.instances } : {}),
    ...(eksResult?.problem ? { controlPlaneMissingReason: eksResult.problem } : {}),
  });
  return { snapshot, objects, stats: client.stats };
}

/**
 * The source's error when no list could be read. Denied lists are named together with their
 * grants (a reader without RBAC fails all of them), so one run tells the whole fix.
 */
function everyListFailed(failed: readonly [SourceError, ...SourceError[]]): SourceError {
  const [firstDenied, ...moreDenied] = failed.filter(
    (f): f is ListDeniedError => f instanceof ListDeniedError,
  );
  if (!firstDenied) return failed[0];
  const combined = combineDenials([firstDenied, ...moreDenied]);
  const others = failed.filter((f) => !(f instanceof ListDeniedError)).map((f) => f.message);
  if (others.length === 0) return combined;
  return new SourceError(
    'kubernetes',
    'forbidden',
    [combined.message, ...new Set(others)].join('; '),
    { cause: combined },
  );
}

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

/** Keeps of each listed object only what the normalizers read (see NORMALIZED_FIELDS). */
function slimmer(list: ListKind): KeepItem<Raw> {
  return (item, kind, apiVersion) => slimObject(list, item, kind, apiVersion);
}

/** Appends without spreading: a spread of 100,000 items would overflow the call stack. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** Objects listed twice (a pod of two overlapping selectors) are kept once, by uid. */
function dedupe(lists: Record<ListKind, Raw[]>): Record<ListKind, Raw[]> {
  const out = {} as Record<ListKind, Raw[]>;
  for (const [kind, items] of Object.entries(lists) as [ListKind, Raw[]][]) {
    const seen = new Set<string>();
    out[kind] = items.filter((i) => {
      const key =
        str(i, 'metadata', 'uid') ??
        `${str(i, 'metadata', 'namespace')}/${str(i, 'metadata', 'name')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  return out;
}

const EKS_METRICS: readonly { component: ControlPlaneInstance['component']; path: string }[] = [
  {
    component: 'kube-controller-manager',
    path: '/apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics',
  },
  { component: 'kube-scheduler', path: '/apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics' },
];

/** Reads controller-manager and scheduler versions from EKS's control-plane metrics endpoints. */
async function readEksControlPlane(
  client: KubeClient,
  limit: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<{ instances: ControlPlaneInstance[]; problem?: string }> {
  const instances: ControlPlaneInstance[] = [];
  const problems: string[] = [];
  await Promise.all(
    EKS_METRICS.map(async ({ component, path }) => {
      try {
        const text = await limit(() => client.getText(path));
        const versions = buildInfoVersions(text);
        if (versions.length === 0) problems.push(`${path} has no kubernetes_build_info series`);
        versions.forEach((raw, i) =>
          instances.push({
            component,
            instance: `eks-${component}${versions.length > 1 ? `-${i}` : ''}`,
            version: { raw, source: `GET ${path} kubernetes_build_info` },
          }),
        );
      } catch (error) {
        if (error instanceof KubeHttpError && (error.status === 403 || error.status === 404)) {
          problems.push(
            error.status === 403
              ? `EKS control-plane metrics are not permitted: grant get on metrics.eks.amazonaws.com kcm/metrics and ksh/metrics (see deploy/rbac/skewguard-reader.yaml)`
              : `EKS control-plane metrics endpoints answered 404: this cluster does not serve metrics.eks.amazonaws.com yet (EKS adds it with Kubernetes 1.28 and later platform versions; an older platform version of the same Kubernetes version lacks it until EKS updates the cluster)`,
          );
          return;
        }
        problems.push(`reading ${path} failed: ${(error as Error).message}`);
      }
    }),
  );
  return {
    instances,
    ...(problems.length > 0 ? { problem: [...new Set(problems)].join('; ') } : {}),
  };
}

/** git_version label values of `kubernetes_build_info` samples in Prometheus text format. */
export function buildInfoVersions(text: string): string[] {
  const versions = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('kubernetes_build_info{')) continue;
    const match = /git_version="([^"]*)"/.exec(line);
    if (match?.[1]) versions.add(match[1]);
  }
  return [...versions];
}

/** Limits concurrent async work to `max` at a time. */
export function semaphore(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await fn();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

/** A keep-alive TLS agent that always verifies the server (no insecure mode exists). */
export function verifyingAgent(
  tls: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; servername?: string },
  maxSockets: number,
): Agent {
  return new Agent({ keepAlive: true, maxSockets, rejectUnauthorized: true, ...tls });
}
