/**
 * Between the query rounds of the Prometheus collector: who the offenders are, which
 * ReplicaSets and pods to read next, and the final outcome per query, filtered to exactly the
 * offenders (narrowed selectors match by name, so they may also match namesakes elsewhere).
 */
import type { SourceError } from '../errors';
import type { Sample, QueryOutcome } from './types';
import type { KindSpec } from './kinds';
import type { Offenders, PodTargets, QueryId } from './queries';
import { CLUSTER_LABELS } from './selector';
import { KIND_LABEL, PRESENCE_FAMILIES, PROBE_LABEL, kindQueryIds, objectKey } from './queries';
import { KINDS } from './kinds';

type Outcomes = Partial<Record<QueryId, QueryOutcome>>;
type Kind = KindSpec['kind'];

/** The offenders of round one, and why they are unknown when a query failed. */
export interface FoundOffenders {
  readonly found: Offenders;
  readonly workloadsError?: SourceError;
  readonly problemPodsError?: SourceError;
}

/** Reads the offending workloads and problem pods out of round one. */
export function offendersOf(outcomes: Outcomes): FoundOffenders {
  const workloads: Record<Kind, Set<string>> = {
    Deployment: new Set(),
    StatefulSet: new Set(),
    DaemonSet: new Set(),
  };
  const offending = outcomes.offending;
  if (offending?.ok) {
    for (const { metric } of offending.samples) {
      const kind = KINDS.find((k) => k.kind === metric[KIND_LABEL]);
      const name = kind ? metric[kind.label] : undefined;
      if (kind && name !== undefined)
        workloads[kind.kind].add(objectKey(metric['namespace'] ?? '', name));
    }
  }
  const problem = outcomes.problemPods;
  const problemPods = new Set(
    problem?.ok
      ? problem.samples.map((s) => objectKey(s.metric['namespace'] ?? '', s.metric['pod'] ?? ''))
      : [],
  );
  return {
    found: { workloads, problemPods },
    ...(offending && !offending.ok ? { workloadsError: offending.error } : {}),
    ...(problem && !problem.ok ? { problemPodsError: problem.error } : {}),
  };
}

/** kube-state-metrics families with no series now, whose last sighting round two asks for. */
export function absentFamilies(presence: QueryOutcome | undefined): string[] {
  if (!presence?.ok) return [];
  const counts = new Map(presence.samples.map((s) => [s.metric[PROBE_LABEL] ?? '', s.value]));
  return PRESENCE_FAMILIES.filter(({ metric }) => !((counts.get(`now:${metric}`) ?? 0) > 0)).map(
    ({ metric }) => metric,
  );
}

/** Pod targets plus the owner references (`Kind ns/name`) whose pods are kept. */
export type Targets = PodTargets & { readonly ownerRefs: ReadonlySet<string> };

/** The ReplicaSets and pods round three reads, from the offenders and the owners query. */
export function podTargetsOf(offenders: Offenders, owners: QueryOutcome | undefined): Targets {
  const replicaSets = new Set<string>();
  const podOwners = new Set<string>();
  const ownerRefs = new Set<string>();
  const addOwner = (kind: Kind | 'ReplicaSet', key: string): void => {
    podOwners.add(key);
    ownerRefs.add(`${kind} ${key}`);
  };
  for (const sample of owners?.ok ? owners.samples : []) {
    const m = sample.metric;
    const namespace = m['namespace'] ?? '';
    if (m['__name__'] === 'kube_replicaset_owner') {
      const deployment = objectKey(namespace, m['owner_name'] ?? '');
      const rs = objectKey(namespace, m['replicaset'] ?? '');
      if (offenders.workloads.Deployment.has(deployment)) {
        replicaSets.add(rs);
        addOwner('ReplicaSet', rs);
      }
    } else if (m['__name__'] === 'kube_pod_owner' && m['owner_kind'] === 'ReplicaSet') {
      if (offenders.problemPods.has(objectKey(namespace, m['pod'] ?? '')))
        replicaSets.add(objectKey(namespace, m['owner_name'] ?? ''));
    }
  }
  for (const kind of ['StatefulSet', 'DaemonSet'] as const)
    for (const key of offenders.workloads[kind]) addOwner(kind, key);
  return { replicaSets, pods: offenders.problemPods, podOwners, ownerRefs };
}

const EMPTY: QueryOutcome = { ok: true, samples: [], warnings: [] };

/**
 * Gives every query the builder reads its final outcome: filtered to the offenders, empty when
 * there was nothing to read, or failed with the error of the round it depended on.
 */
export function settleNarrowedOutcomes(
  outcomes: Outcomes,
  offenders: FoundOffenders,
  targets: Targets,
): void {
  const { found } = offenders;
  for (const kind of KINDS) {
    const keys = found.workloads[kind.kind];
    const ofKind = (s: Sample): boolean =>
      keys.has(objectKey(s.metric['namespace'] ?? '', s.metric[kind.label] ?? ''));
    for (const id of Object.values(kindQueryIds(kind.kind))) {
      outcomes[id] = offenders.workloadsError
        ? { ok: false, error: offenders.workloadsError }
        : filtered(outcomes[id], ofKind);
    }
  }
  const prerequisite =
    offenders.workloadsError ??
    offenders.problemPodsError ??
    (outcomes.owners && !outcomes.owners.ok ? outcomes.owners.error : undefined);
  if (prerequisite) {
    outcomes.replicasets = { ok: false, error: prerequisite };
    outcomes.pods = { ok: false, error: prerequisite };
  } else {
    outcomes.replicasets = filtered(outcomes.replicasets, (s) =>
      targets.replicaSets.has(objectKey(s.metric['namespace'] ?? '', s.metric['replicaset'] ?? '')),
    );
    outcomes.pods = keepPods(outcomes.pods, targets);
  }
  const presence = outcomes.presence;
  const seen = outcomes.seen;
  if (presence?.ok && seen?.ok) {
    outcomes.presence = { ...presence, samples: [...presence.samples, ...seen.samples] };
  }
}

function filtered(outcome: QueryOutcome | undefined, keep: (s: Sample) => boolean): QueryOutcome {
  if (!outcome) return EMPTY;
  return outcome.ok ? { ...outcome, samples: outcome.samples.filter(keep) } : outcome;
}

/** Pods read by name, or whose kube_pod_owner series names one of the wanted owners. */
function keepPods(outcome: QueryOutcome | undefined, targets: Targets): QueryOutcome {
  if (!outcome?.ok) return outcome ?? EMPTY;
  const wanted = new Set<string>(targets.pods);
  for (const { metric: m } of outcome.samples) {
    if (m['__name__'] !== 'kube_pod_owner') continue;
    const owner = `${m['owner_kind'] ?? ''} ${objectKey(m['namespace'] ?? '', m['owner_name'] ?? '')}`;
    if (targets.ownerRefs.has(owner)) wanted.add(objectKey(m['namespace'] ?? '', m['pod'] ?? ''));
  }
  return {
    ...outcome,
    samples: outcome.samples.filter((s) =>
      wanted.has(objectKey(s.metric['namespace'] ?? '', s.metric['pod'] ?? '')),
    ),
  };
}

/**
 * The clusters the version inventory spans, per cluster label, when it spans more than one:
 * several clusters' series read as one would mix their versions and fire false skew findings.
 */
export function mixedClusters(
  versions: QueryOutcome | undefined,
): { readonly label: string; readonly values: readonly string[] } | undefined {
  if (!versions?.ok) return undefined;
  for (const label of CLUSTER_LABELS) {
    const values = new Set<string>();
    for (const { metric } of versions.samples) {
      const value = metric[label];
      if (value) values.add(value);
    }
    if (values.size > 1) return { label, values: [...values].sort() };
  }
  return undefined;
}
