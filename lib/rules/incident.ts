/**
 * One incident per workload: which findings belong together (the workload rollout rules on one
 * Deployment, StatefulSet or DaemonSet) and which of them is the headline. Pure, so the CLI
 * report and every notifier group findings the same way.
 */
import { fingerprintText } from './fingerprint';
import type { Subject } from './model';

/**
 * The workload rules, headline first. The most upstream cause leads and what follows from it
 * comes after. A generation mismatch leads: while the controller has not observed the spec,
 * every other status of the workload (progress, replicas, revisions) describes the previous
 * spec, so those findings are stale consequences. Then a stuck rollout, then missing replicas
 * (DaemonSet: pods not scheduled), then an update not rolled out (DaemonSet: misscheduled pods),
 * then crash loops, which the rollout findings already name as their cause.
 */
export const INCIDENT_PRECEDENCE: readonly string[] = [
  'DeploymentGenerationMismatch',
  'StatefulSetGenerationMismatch',
  'DaemonSetGenerationMismatch',
  'DeploymentRolloutStuck',
  'DaemonSetRolloutStuck',
  'DeploymentReplicasMismatch',
  'StatefulSetReplicasMismatch',
  'DaemonSetNotScheduled',
  'StatefulSetUpdateNotRolledOut',
  'DaemonSetMisScheduled',
  'PodCrashLooping',
  // One GitOps app is one incident too (a failing Flux reconcile is at once not Ready, failed and
  // out of sync): the critical impact leads, then the failed sync that explains the drift.
  'GitOpsDegraded',
  'GitOpsSyncFailed',
  'GitOpsOutOfSync',
  'GitOpsSuspended',
];

/** Subject kinds a workload incident gathers findings on (GitOps apps count as workloads here). */
const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Application',
  'Kustomization',
  'HelmRelease',
]);

/** What grouping needs of a finding (a Finding, a ledger item's finding, a reported finding). */
export interface IncidentMember {
  readonly ruleId: string;
  readonly subject: Subject;
  readonly fingerprint: string;
}

/** Whether the finding joins a workload incident rather than standing alone. */
export function joinsWorkloadIncident(member: Omit<IncidentMember, 'fingerprint'>): boolean {
  return INCIDENT_PRECEDENCE.includes(member.ruleId) && WORKLOAD_KINDS.has(member.subject.kind);
}

/**
 * The incident a finding belongs to, as 16 hex digits: for a workload rule on a workload, a
 * stable hash of cluster and workload (never equal to a fingerprint, which hashes a rule id
 * too); for any other finding its own fingerprint, an incident of one.
 */
export function incidentKey(cluster: string, member: IncidentMember): string {
  if (!joinsWorkloadIncident(member)) return member.fingerprint;
  const { kind, namespace, name } = member.subject;
  return fingerprintText(JSON.stringify([cluster, 'incident', kind, namespace ?? '', name]));
}

/** Headline rank of a rule: lower leads; rules outside the precedence after all of it. */
export function incidentRank(ruleId: string): number {
  const at = INCIDENT_PRECEDENCE.indexOf(ruleId);
  return at < 0 ? INCIDENT_PRECEDENCE.length : at;
}

/** Findings of one incident: the headline and the others in precedence order. */
export interface Incident<T> {
  readonly key: string;
  readonly headline: T;
  /** Every member, headline first. */
  readonly members: readonly T[];
}

/**
 * Groups items into incidents, in the order each incident first appears (so a list sorted worst
 * first stays so); members are ordered by precedence, the headline first.
 */
export function groupIncidents<T>(
  items: readonly T[],
  cluster: string,
  memberOf: (item: T) => IncidentMember,
): Incident<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = incidentKey(cluster, memberOf(item));
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups].map(([key, group]) => {
    const members = [...group].sort(
      (a, b) => incidentRank(memberOf(a).ruleId) - incidentRank(memberOf(b).ruleId),
    );
    const [headline] = members;
    if (headline === undefined) throw new Error('an incident has at least one member');
    return { key, headline, members };
  });
}
