/**
 * The live Kubernetes collection: nodes, kube-system pods and every workload list in bounded pages,
 * then targeted reads for unhealthy workloads, built into a ClusterSnapshot.
 */
import type { ClusterSnapshot, ReadFailure } from '../../rules/model';
import { semaphore } from '../../util/concurrency';
import { readFailureOf, SourceError } from '../errors';
import type { ClientStats, KubeTarget, RequestPolicy } from './client';
import { DEFAULT_REQUEST_POLICY, KubeClient } from './client';
import type { KeepItem, ListRequest } from './lists';
import { combineDenials, listAll, ListDeniedError } from './lists';
import type {
  AutoscalerRead,
  DesiredManifests,
  Raw,
  KubeObjects,
  ListKind,
  ListStatus,
} from '../kube-objects';
import {
  GITOPS_LISTS,
  isRecord,
  str,
  slimObject,
  AUTOSCALER_FIELDS,
  project,
  providerOfVersion,
  buildSnapshot,
  perList,
} from '../kube-objects';
import { readDeprecatedApiMetrics } from './deprecated-apis';
import { listGitOps } from './gitops';
import { readEksControlPlane } from './eks-control-plane';
import { looksUnhealthy, targetedReads } from './targets';

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
  /**
   * Read the deprecated APIs called from the API server's /metrics (one GET of a few MB): for
   * clusters without Prometheus, which reads them better (as a rate over the last hour).
   * @default false
   */
  readonly deprecatedApis?: boolean;
  /**
   * Rendered manifests to compare with: the workload lists then keep spec.template, and
   * HorizontalPodAutoscalers are listed too (part `manifests`).
   */
  readonly manifests?: DesiredManifests;
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

  const lists = perList<ListStatus>(() => ({ state: 'missing', reason: 'not listed' }));
  const collected = perList<Raw[]>(() => []);
  // By list, so a message naming several failures names them in a stable order.
  const failures = new Map<ListKind, SourceError>();
  let done = 0;
  const fetchList = async (list: ListKind, req: ListRequest): Promise<void> => {
    try {
      const items = await limit(() => listAll(client, req, slimmer(list, keepTemplates)));
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

  const keepTemplates = options.manifests !== undefined;
  const autoscalers: Promise<AutoscalerRead | undefined> = options.manifests
    ? readAutoscalers(client, limit)
    : Promise.resolve(undefined);
  const eks = providerOfVersion(str(version, 'gitVersion') ?? '') === 'eks';
  const eksControlPlane = eks ? readEksControlPlane(client, limit) : Promise.resolve(undefined);
  const deprecatedApis = options.deprecatedApis
    ? limit(() => readDeprecatedApiMetrics(client))
    : Promise.resolve(undefined);
  // GitOps objects: one list per kind; a controller that is not installed is no failure.
  const fetchGitOps = GITOPS_LISTS.map(async (list) => {
    const result = await listGitOps(client, list, slimmer(list), limit);
    append(collected[list], result.items);
    lists[list] = result.status;
    if (result.status.state === 'collected')
      progress(`listed ${list}: ${result.items.length} (${client.stats.requests} requests)`);
  });
  await Promise.all([
    fetchList('nodes', { resource: 'nodes', group: '' }),
    fetchList('pods', { resource: 'pods', group: '', namespace: 'kube-system' }),
    ...WORKLOAD_LISTS.map((w) => fetchList(w.list, w)),
    ...fetchGitOps,
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
  const deprecated = await deprecatedApis;
  const hpas = await autoscalers;
  const objects: KubeObjects = {
    ...(version ? { version } : {}),
    ...(hpas?.state === 'read' ? { autoscalers: hpas.items } : {}),
    ...dedupe(collected),
  };
  const built = buildSnapshot({
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
    ...(options.manifests ? { manifests: options.manifests } : {}),
    ...(hpas ? { autoscalers: hpas } : {}),
  });
  const snapshot = !deprecated
    ? built
    : 'requests' in deprecated
      ? {
          ...built,
          parts: { ...built.parts, deprecatedApis: { state: 'collected' } as const },
          deprecatedApis: deprecated.requests,
        }
      : {
          ...built,
          parts: {
            ...built.parts,
            deprecatedApis: { state: 'missing', reason: deprecated.problem } as const,
          },
        };
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

/** Keeps of each listed object only what the normalizers read (see NORMALIZED_FIELDS), and pod templates for drift. */
function slimmer(list: ListKind, keepTemplate = false): KeepItem<Raw> {
  return (item, kind, apiVersion) => slimObject(list, item, kind, apiVersion, keepTemplate);
}

/**
 * Every HorizontalPodAutoscaler (`autoscaling/v2`), for whose replicas drift must not compare;
 * a failed list leaves replicas uncompared, with the grant to add, and fails nothing else.
 */
async function readAutoscalers(
  client: KubeClient,
  limit: <T>(task: () => Promise<T>) => Promise<T>,
): Promise<AutoscalerRead> {
  try {
    const items = await limit(() =>
      listAll(
        client,
        { resource: 'horizontalpodautoscalers', group: 'autoscaling', version: 'v2' },
        (item, kind, apiVersion) => ({
          kind: typeof item['kind'] === 'string' ? item['kind'] : kind,
          apiVersion,
          ...(project(item, AUTOSCALER_FIELDS) as Raw),
        }),
      ),
    );
    return { state: 'read', items };
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return {
      state: 'unknown',
      reason: `listing HorizontalPodAutoscalers failed (${error.message}), so replicas were not compared`,
    };
  }
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
