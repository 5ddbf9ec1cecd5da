/**
 * Turns the answers of the Prometheus query set into the same ClusterSnapshot the Kubernetes
 * collectors build: versions per instance and node with provenance, offending workloads with
 * `conditionSince` from history, problem pods, and `metricsMissing` for absent or stale series.
 * Pure: no I/O, no clock.
 */
import type {
  ClusterSnapshot,
  ContainerInfo,
  MissingMetric,
  PartStatus,
  PodInfo,
  SnapshotPart,
  VersionHistory,
  Workload,
} from '../../rules/model';
import { readFailureOf } from '../errors';
import { detectedPlatform } from '../kube-objects/provider';
import { missingMetricsFor } from '../merge';
import type { PrometheusSnapshotInput } from './snapshot-input';
import { readDeprecatedApis } from './deprecated-apis';
import { readCrashLoopHistory, readVersionHistory } from './history';
import type { Sample } from './types';
import type { QueryId } from './queries';
import { kindQueryIds } from './queries';
import { KINDS } from './kinds';
import { readPods, readReplicaSetOwners, readReplicaSets } from './pods';
import { readPresence } from './presence';
import { COLLECTED } from './series';
import { assignVersionParts, nodesOf, readVersions } from './versions';
import { readWorkloads } from './workloads';

/** Builds the snapshot from the query outcomes; parts whose queries failed are marked missing. */
export function buildPrometheusSnapshot(input: PrometheusSnapshotInput): ClusterSnapshot {
  const notes: string[] = [];
  const samples = (id: QueryId): readonly Sample[] | undefined => {
    const outcome = input.outcomes[id];
    return outcome?.ok ? outcome.samples : undefined;
  };
  const failure = (id: QueryId): string => {
    const outcome = input.outcomes[id];
    if (!outcome) return `the ${id} query was not run`;
    return outcome.ok ? '' : `the ${id} query failed: ${outcome.error.message}`;
  };
  for (const [id, outcome] of Object.entries(input.outcomes)) {
    if (outcome.ok) {
      for (const w of outcome.warnings) notes.push(`Prometheus warned on the ${id} query: ${w}`);
    }
  }
  const evaluatedAt = Math.min(
    Date.parse(input.collectedAt),
    ...Object.values(input.outcomes).flatMap((o) =>
      o.ok && o.evaluatedAt !== undefined ? [o.evaluatedAt] : [],
    ),
  );

  const ksm = readPresence(samples('presence'), failure('presence'), input);
  const versions = samples('versions');
  const inv = versions
    ? readVersions(versions, samples('systemPods') ?? [], input.jobs, notes)
    : undefined;
  if (!samples('systemPods'))
    notes.push(`${failure('systemPods')}; kube-system pod images were not read.`);

  const parts: Partial<Record<SnapshotPart, PartStatus>> = { sources: COLLECTED };
  const missing: MissingMetric[] = [...ksm.missing];
  // Parts fed by kube-state-metrics: missing when it is, or when their query failed.
  const ksmPart = (part: SnapshotPart, ...queries: QueryId[]): PartStatus => {
    const problem = ksm.problems.get(part);
    if (problem && input.outcomes.presence?.ok === false) return missingPart('presence');
    if (problem) return { state: 'missing', reason: problem };
    const failed = queries.find((id) => !samples(id));
    return failed ? missingPart(failed) : COLLECTED;
  };
  // A failed query (not an absent family) carries its error, so the CLI can warn about it.
  const missingPart = (id: QueryId): PartStatus => {
    const outcome = input.outcomes[id];
    return {
      state: 'missing',
      reason: failure(id),
      ...(outcome && !outcome.ok ? { failures: [readFailureOf(outcome.error)] } : {}),
    };
  };

  parts.replicasets = ksmPart('replicasets', 'replicasets');
  const rsOwners = readReplicaSetOwners(samples('replicasets') ?? []);
  const pods = withCrashLoopHistory(
    readPods(samples('pods') ?? [], rsOwners),
    input,
    evaluatedAt,
    notes,
  );
  parts.pods = ksmPart('pods', 'pods');
  const workloads: Workload[] = [];
  for (const kind of KINDS) {
    const ids = kindQueryIds(kind.kind);
    parts[kind.part] = ksmPart(kind.part, ids.fields);
    const fields = samples(ids.fields);
    if (!fields || parts[kind.part]?.state !== 'collected') continue;
    const since = samples(ids.since);
    if (!since) notes.push(`${failure(ids.since)}; when ${kind.kind} conditions began is unknown.`);
    workloads.push(...readWorkloads(kind, fields, since ?? [], input.settings, evaluatedAt));
  }
  if (parts.pods.state === 'collected') {
    notes.push(
      'Prometheus: pods were read where a container waits in an error state or restarts, and for workloads whose rollout looks unhealthy; only those workloads are listed.',
    );
  }

  if (!inv) {
    for (const part of ['apiserver', 'controlPlane', 'etcd', 'nodes', 'kubeProxy'] as const)
      parts[part] = missingPart('versions');
  } else {
    assignVersionParts(parts, missing, inv, ksm, input);
  }

  // Whose support calendar applies is known once the apiserver's version is.
  if (parts.apiserver?.state === 'collected') parts.platform = COLLECTED;
  const deprecated = samples('deprecatedApis');
  const deprecatedReading = deprecated ? readDeprecatedApis(deprecated) : undefined;
  parts.deprecatedApis = !deprecatedReading
    ? missingPart('deprecatedApis')
    : deprecatedReading.scraped
      ? COLLECTED
      : {
          state: 'missing',
          reason: `the API server's own metrics are not in Prometheus (no kubernetes_build_info of a job matching ${input.jobs.apiserver}): scrape the API server's /metrics (kube-prometheus-stack's apiserver job does), or on EKS let skewguard read the upgrade insights`,
        };

  markPartial(parts, input.outcomes);
  return {
    cluster: input.cluster,
    collectedAt: input.collectedAt,
    sources: [{ source: 'prometheus', status: 'ok' }],
    ...(deprecatedReading?.scraped ? { deprecatedApis: deprecatedReading.requests } : {}),
    parts,
    ...(inv?.provider ? { provider: inv.provider } : {}),
    ...(parts.apiserver?.state === 'collected'
      ? { platform: detectedPlatform(inv?.provider) }
      : {}),
    ...versionHistoryOf(input, evaluatedAt, notes),
    controlPlane: inv?.controlPlane ?? [],
    nodes: inv ? nodesOf(inv, parts.nodes?.state === 'collected', notes) : [],
    workloads,
    replicaSets: readReplicaSets(samples('replicasets') ?? [], pods),
    pods,
    notes: [...notes, ...ksm.notes],
    // kubelet build info stands in for kube_node_info, pod images for build info.
    ...missingMetricsFor(missing, parts),
  };
}

/** The version history, when the collection read it; a failed read is a note, never a date. */
function versionHistoryOf(
  input: PrometheusSnapshotInput,
  evaluatedAt: number,
  notes: string[],
): { versionHistory?: VersionHistory } {
  const window = input.history?.versions;
  const outcome = input.outcomes.versionsSince;
  if (!window || !outcome) return {};
  if (!outcome.ok) {
    notes.push(
      `the versionsSince query failed: ${outcome.error.message}; version skew findings wait out their \`for\` in the ledger instead of being dated from history.`,
    );
    return {};
  }
  return { versionHistory: readVersionHistory(outcome.samples, window, evaluatedAt) };
}

/** The pods with `crashLoopSince` on each container whose loop the history dates. */
function withCrashLoopHistory(
  pods: PodInfo[],
  input: PrometheusSnapshotInput,
  evaluatedAt: number,
  notes: string[],
): PodInfo[] {
  const window = input.history?.crashLoop;
  const outcome = input.outcomes.podsSince;
  if (!window || !outcome) return pods;
  if (!outcome.ok) {
    notes.push(
      `the podsSince query failed: ${outcome.error.message}; crash loops wait out their \`for\` in the ledger instead of being dated from history.`,
    );
    return pods;
  }
  const runs = readCrashLoopHistory(outcome.samples, window, evaluatedAt);
  const dated = (pod: PodInfo, c: ContainerInfo): ContainerInfo => {
    const since = runs.get(`${pod.namespace}/${pod.name}/${c.name}`);
    return since === undefined ? c : { ...c, crashLoopSince: since };
  };
  return pods.map((pod) => ({
    ...pod,
    containers: pod.containers.map((c) => dated(pod, c)),
    initContainers: pod.initContainers.map((c) => dated(pod, c)),
  }));
}

/** The queries each part is built from, for marking parts read from a partial answer. */
function queriesOf(part: SnapshotPart): QueryId[] {
  const kind = KINDS.find((k) => k.part === part);
  if (kind) {
    const ids = kindQueryIds(kind.kind);
    return ['presence', ids.fields, ids.since];
  }
  switch (part) {
    case 'replicasets':
      return ['presence', 'replicasets'];
    case 'pods':
      return ['presence', 'pods'];
    case 'apiserver':
    case 'controlPlane':
    case 'etcd':
    case 'nodes':
    case 'kubeProxy':
    case 'platform':
      return ['versions', 'systemPods'];
    case 'deprecatedApis':
      return ['deprecatedApis'];
    default:
      return [];
  }
}

/**
 * A collected part whose query came back partial (the server said a store did not answer) is
 * collected in part: its rules still report what they see, but their silence resolves nothing.
 */
function markPartial(
  parts: Partial<Record<SnapshotPart, PartStatus>>,
  outcomes: PrometheusSnapshotInput['outcomes'],
): void {
  for (const [part, status] of Object.entries(parts) as [SnapshotPart, PartStatus][]) {
    if (status.state !== 'collected') continue;
    const warned = queriesOf(part).flatMap((id) => {
      const outcome = outcomes[id];
      return outcome?.ok && outcome.serverWarnings
        ? outcome.serverWarnings.map((w) => `Prometheus answered the ${id} query in part (${w})`)
        : [];
    });
    if (warned.length > 0) parts[part] = { state: 'collected', partial: [...new Set(warned)] };
  }
}
