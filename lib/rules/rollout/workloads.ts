/** A workload's rollout as the rules see it: its pods, target revision, old pods still serving. */
import type {
  ClusterSnapshot,
  Condition,
  DaemonSetInfo,
  DeploymentInfo,
  PodInfo,
  ReplicaSetInfo,
  RolloutCondition,
  StatefulSetInfo,
  Subject,
  Workload,
} from '../model';
import { isFinished, isPodReady } from './pods';

/** The pod label the StatefulSet and DaemonSet controllers stamp with the pod's revision. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** The (deprecated, still set) DaemonSet pod label counting template changes. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** The workloads of one kind, in snapshot order. */
export function workloadsOfKind<K extends Workload['kind']>(
  snapshot: ClusterSnapshot,
  kind: K,
): Extract<Workload, { kind: K }>[] {
  return snapshot.workloads.filter((w): w is Extract<Workload, { kind: K }> => w.kind === kind);
}

/** `{kind, namespace, name}` of a workload, as finding subject. */
export function subjectOf(workload: Workload): Subject {
  return { kind: workload.kind, namespace: workload.namespace, name: workload.name };
}

/** `shop/web`. */
export function qualifiedName(workload: { namespace: string; name: string }): string {
  return `${workload.namespace}/${workload.name}`;
}

/** Whether the snapshot holds a part (pods, replicasets) in full. */
export function collected(snapshot: ClusterSnapshot, part: 'pods' | 'replicasets'): boolean {
  return snapshot.parts[part]?.state === 'collected';
}

/** Why a part is not usable, in words for `details`. */
export function notCollectedReason(
  snapshot: ClusterSnapshot,
  part: 'pods' | 'replicasets',
): string {
  const status = snapshot.parts[part];
  if (!status) return `${part} were not collected`;
  if (status.state === 'collected') return '';
  return `${part} were not collected (${status.reason})`;
}

/**
 * How many pods the workload's own status counts, at least. A snapshot that holds none of them
 * did not read them (a file without that namespace's pods, a targeted read that failed or was
 * capped), which is not the same as a workload without pods.
 */
export function statusPodCount(workload: Workload): number {
  switch (workload.kind) {
    case 'Deployment':
      return Math.max(workload.updatedReplicas, workload.readyReplicas, workload.availableReplicas);
    case 'StatefulSet': {
      // currentReplicas and updatedReplicas count the same pods once both revisions are equal.
      const split =
        workload.currentRevision !== undefined &&
        workload.updateRevision !== undefined &&
        workload.currentRevision !== workload.updateRevision;
      const byRevision = split
        ? workload.currentReplicas + workload.updatedReplicas
        : Math.max(workload.currentReplicas, workload.updatedReplicas);
      return Math.max(byRevision, workload.readyReplicas, workload.availableReplicas);
    }
    case 'DaemonSet':
      return Math.max(
        workload.currentNumberScheduled + workload.numberMisscheduled,
        workload.numberReady,
        workload.numberAvailable,
      );
  }
}

/**
 * What to do about pods the snapshot lacks: from saved kubectl output, add the namespace's pods;
 * from a live or Prometheus read (which fetch pods only where something looks wrong), look at them.
 */
function podsReadHint(snapshot: ClusterSnapshot, namespace: string): string {
  const fromFiles = snapshot.sources.some((s) => s.source === 'files' && s.status === 'ok');
  return fromFiles
    ? `add \`kubectl get pods -n ${namespace} -o json\` output`
    : `run \`kubectl get pods -n ${namespace}\` to see them`;
}

/**
 * Why the snapshot has no pods of a workload whose status counts some: the namespace has no pods
 * at all in the snapshot, or just none of this workload's.
 */
function podsNotReadReason(snapshot: ClusterSnapshot, workload: Workload, counted: number): string {
  const { namespace } = workload;
  const hint = podsReadHint(snapshot, namespace);
  if (!snapshot.pods.some((p) => p.namespace === namespace))
    return `pods in namespace ${namespace} were not read (the snapshot has none; ${hint})`;
  return `pods of ${qualifiedName(workload)} were not read (the snapshot has none of the ${counted} its status counts; ${hint})`;
}

/** The first condition of a type, if any. */
export function conditionOf(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

function selectorMatches(selector: Readonly<Record<string, string>>, pod: PodInfo): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => pod.labels[k] === v);
}

/**
 * The pods of a workload: those whose resolved workload is it, or — when the collector could not
 * resolve the owner (ReplicaSets missing) — those its selector matches under a fitting owner kind.
 */
export function podsOf(snapshot: ClusterSnapshot, workload: Workload): PodInfo[] {
  const ownerKind = workload.kind === 'Deployment' ? 'ReplicaSet' : workload.kind;
  return snapshot.pods.filter((pod) => {
    if (pod.namespace !== workload.namespace) return false;
    if (pod.workload)
      return pod.workload.kind === workload.kind && pod.workload.name === workload.name;
    if (pod.owner?.kind !== ownerKind) return false;
    if (workload.kind !== 'Deployment') return pod.owner.name === workload.name;
    return selectorMatches(workload.selector, pod);
  });
}

/** The ReplicaSets a Deployment controls. */
export function replicaSetsOf(snapshot: ClusterSnapshot, d: DeploymentInfo): ReplicaSetInfo[] {
  return snapshot.replicaSets.filter(
    (rs) =>
      rs.namespace === d.namespace && rs.owner?.kind === 'Deployment' && rs.owner.name === d.name,
  );
}

function revisionNumber(rs: ReplicaSetInfo): number {
  const n = Number(rs.revision);
  return Number.isFinite(n) ? n : -1;
}

/** The new ReplicaSet: the one at the Deployment's revision, else the highest revision. */
export function newReplicaSetOf(
  d: DeploymentInfo,
  replicaSets: readonly ReplicaSetInfo[],
): ReplicaSetInfo | undefined {
  const exact = replicaSets.find((rs) => rs.revision !== undefined && rs.revision === d.revision);
  if (exact) return exact;
  return [...replicaSets].sort((a, b) => revisionNumber(b) - revisionNumber(a))[0];
}

/** Ready and total counts of the pods that still run an older revision. */
export interface OldServing {
  readonly ready: number;
  readonly total: number;
}

/** What is known about a workload's rollout: target revision and which pods run it. */
export interface RolloutView {
  readonly workload: Workload;
  /** Label of the target revision: `7` for a Deployment, the revision hash otherwise. */
  readonly revision?: string;
  readonly newReplicaSet?: ReplicaSetInfo;
  /** All live pods of the workload; undefined when pods were not collected. */
  readonly pods?: readonly PodInfo[];
  /** Pods of the target revision; undefined when they cannot be told apart from older ones. */
  readonly newPods?: readonly PodInfo[];
  readonly oldPods?: readonly PodInfo[];
  readonly oldServing?: OldServing;
  /** A ReplicaFailure=True condition: the controller cannot create pods. */
  readonly createFailure?: { readonly on: string; readonly condition: Condition };
  /** What could not be looked at, for `details`. */
  readonly limitations: readonly string[];
  /** Why the workload's pods are not in the snapshot, when `pods` is undefined. */
  readonly podsNotRead?: string;
}

function servingOf(pods: readonly PodInfo[]): OldServing {
  return { ready: pods.filter(isPodReady).length, total: pods.length };
}

/**
 * The workload's live pods, or — undefined — why they were not read, also added to `limitations`.
 */
function readPods(
  snapshot: ClusterSnapshot,
  workload: Workload,
  limitations: string[],
): { pods?: PodInfo[]; podsNotRead?: string } {
  let podsNotRead: string | undefined;
  if (!collected(snapshot, 'pods')) podsNotRead = notCollectedReason(snapshot, 'pods');
  const pods = podsNotRead === undefined ? podsOf(snapshot, workload) : [];
  const counted = statusPodCount(workload);
  if (podsNotRead === undefined && pods.length === 0 && counted > 0)
    podsNotRead = podsNotReadReason(snapshot, workload, counted);
  if (podsNotRead === undefined) return { pods: pods.filter((p) => !isFinished(p)) };
  limitations.push(podsNotRead);
  return { podsNotRead };
}

/** The rollout of a Deployment: new ReplicaSet, its pods, old pods still serving, create failures. */
export function deploymentRollout(snapshot: ClusterSnapshot, d: DeploymentInfo): RolloutView {
  const limitations: string[] = [];
  const rsKnown = collected(snapshot, 'replicasets');
  if (!rsKnown) limitations.push(notCollectedReason(snapshot, 'replicasets'));
  const owned = rsKnown ? replicaSetsOf(snapshot, d) : [];
  const newRs = newReplicaSetOf(d, owned);
  const { pods, podsNotRead } = readPods(snapshot, d, limitations);
  const isNew = (p: PodInfo): boolean =>
    newRs !== undefined && p.owner?.kind === 'ReplicaSet' && p.owner.name === newRs.name;
  const newPods = pods && newRs ? pods.filter(isNew) : undefined;
  const oldPods = pods && newRs ? pods.filter((p) => !isNew(p)) : undefined;
  let oldServing: OldServing | undefined;
  if (oldPods) oldServing = servingOf(oldPods);
  else if (newRs) {
    const old = owned.filter((rs) => rs !== newRs);
    oldServing = {
      ready: old.reduce((n, rs) => n + rs.readyReplicas, 0),
      total: old.reduce((n, rs) => n + rs.replicas, 0),
    };
  }
  const rsFailure = newRs && conditionOf(newRs.conditions, 'ReplicaFailure');
  const dFailure = conditionOf(d.conditions, 'ReplicaFailure');
  const createFailure =
    rsFailure?.status === 'True' && newRs
      ? { on: `ReplicaSet ${newRs.name}`, condition: rsFailure }
      : dFailure?.status === 'True'
        ? { on: newRs ? `ReplicaSet ${newRs.name}` : `Deployment ${d.name}`, condition: dFailure }
        : undefined;
  const revision = d.revision ?? newRs?.revision;
  return {
    workload: d,
    ...(revision !== undefined ? { revision } : {}),
    ...(newRs ? { newReplicaSet: newRs } : {}),
    ...(pods ? { pods } : {}),
    ...(newPods ? { newPods } : {}),
    ...(oldPods ? { oldPods } : {}),
    ...(oldServing ? { oldServing } : {}),
    ...(createFailure ? { createFailure } : {}),
    limitations,
    ...(podsNotRead !== undefined ? { podsNotRead } : {}),
  };
}

/** Splits pods by the revision hash label into the target revision and older ones. */
function byRevision(
  workload: StatefulSetInfo | DaemonSetInfo,
  read: { pods?: readonly PodInfo[]; podsNotRead?: string },
  revision: string | undefined,
  limitations: string[],
): RolloutView {
  const { pods } = read;
  if (!pods) {
    return {
      workload,
      ...(revision !== undefined ? { revision } : {}),
      limitations,
      ...(read.podsNotRead !== undefined ? { podsNotRead: read.podsNotRead } : {}),
    };
  }
  if (revision === undefined) {
    limitations.push(
      `the target revision is unknown, so new and old pods of ${qualifiedName(workload)} cannot be told apart`,
    );
    return { workload, pods, limitations };
  }
  // A pod without the revision label (Prometheus without kube_pod_labels, a hand-made pod) is
  // neither new nor old: counting it as old would report pods serving the old revision that
  // may run the new one. The status counts still say how far the update got.
  const labelled = pods.filter((p) => p.labels[REVISION_HASH_LABEL] !== undefined);
  const unknown = pods.length - labelled.length;
  if (unknown > 0)
    limitations.push(
      `${unknown} of ${pods.length} pods of ${qualifiedName(workload)} carry no ${REVISION_HASH_LABEL} label, so their revision is unknown${labelled.length === 0 ? '; the updated and current counts come from its status' : ''}`,
    );
  const newPods = labelled.filter((p) => p.labels[REVISION_HASH_LABEL] === revision);
  const oldPods = labelled.filter((p) => p.labels[REVISION_HASH_LABEL] !== revision);
  return {
    workload,
    revision,
    pods,
    newPods,
    oldPods,
    oldServing: servingOf(oldPods),
    limitations,
  };
}

/** The rollout of a StatefulSet: pods at status.updateRevision are new. */
export function statefulSetRollout(snapshot: ClusterSnapshot, s: StatefulSetInfo): RolloutView {
  const limitations: string[] = [];
  return byRevision(s, readPods(snapshot, s, limitations), s.updateRevision, limitations);
}

/**
 * The rollout of a DaemonSet. Its status has no update revision, so unless the collector filled
 * one in, the newest revision is the hash of the pods with the highest pod-template-generation.
 */
export function daemonSetRollout(snapshot: ClusterSnapshot, ds: DaemonSetInfo): RolloutView {
  const limitations: string[] = [];
  const read = readPods(snapshot, ds, limitations);
  const { pods } = read;
  if (ds.updateRevision === undefined && ds.updatedNumberScheduled === 0 && pods) {
    // No pod runs the new template yet, so every pod found is an old one.
    return {
      workload: ds,
      pods,
      newPods: [],
      oldPods: pods,
      oldServing: servingOf(pods),
      limitations,
    };
  }
  return byRevision(ds, read, ds.updateRevision ?? newestDaemonRevision(pods ?? []), limitations);
}

function newestDaemonRevision(pods: readonly PodInfo[]): string | undefined {
  let best: { generation: number; hash: string } | undefined;
  for (const pod of pods) {
    const hash = pod.labels[REVISION_HASH_LABEL];
    const generation = Number(pod.labels[TEMPLATE_GENERATION_LABEL]);
    if (hash === undefined || !Number.isFinite(generation)) continue;
    if (!best || generation > best.generation) best = { generation, hash };
  }
  return best?.hash;
}

/**
 * When a condition began: the source's history (Prometheus `conditionSince`) when it has one,
 * else what the object's timestamps tell.
 */
export function sinceFrom(
  workload: Workload,
  condition: RolloutCondition,
  derived: string | undefined,
): { since?: string } {
  const since = workload.conditionSince?.[condition] ?? derived;
  return since === undefined ? {} : { since };
}
