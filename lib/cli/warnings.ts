/** The CLI's stderr warnings for reads that failed while their source answered: what is lost. */
import type {
  ClusterSnapshot,
  Evaluation,
  ReadFailure,
  SourceErrorKind,
  SnapshotPart,
} from '../rules';
import { findRule } from '../rules';

/**
 * What to do about a failed read, by error class, for messages that do not already say it (a 403
 * on a list names the permission to grant; a 500 or a cut-off answer names only the request).
 */
const FIX: Readonly<Partial<Record<SourceErrorKind, string>>> = {
  forbidden:
    "grant skewguard's reader the missing permission (see deploy/rbac/skewguard-reader.yaml)",
  server: "check the server's health (API server, aggregated APIs, load balancer) and run again",
  connection:
    'nothing answered at that address; check the URL and port, the network path and that the server is up',
  timeout: 'the server did not answer in time; check its load and the network path, and run again',
  protocol:
    'the answer was not what the API sends; check for a proxy or load balancer that cuts or rewrites responses',
};

/**
 * What findings lose when a part that no rule needs outright failed: the rules still run, so no
 * coverage entry says it, only this line.
 */
const LOST: Readonly<Partial<Record<SnapshotPart, string>>> = {
  replicasets:
    'rollout findings cannot name the new ReplicaSet or revision, nor tell new pods from old ones',
};

/** The rules a failed read left skipped, and the snapshot parts it left missing. */
interface FailureImpact {
  readonly failure: ReadFailure;
  readonly parts: Set<SnapshotPart>;
  readonly rules: string[];
}

/**
 * One stderr line per distinct failed read (permission denied, server error, timeout, bad answer)
 * that left rules skipped, or findings poorer, while its source answered. Such a run still exits
 * by its findings, so without this line CI would see the gap only in the coverage section or in
 * a finding's details. Parts an input simply lacks (`--from-file` without workloads) or a managed
 * provider hides carry no failure: no line.
 */
export function partialFailureWarnings(
  snapshot: ClusterSnapshot,
  evaluation: Evaluation,
): string[] {
  const impacts = new Map<string, FailureImpact>();
  const impactOf = (failure: ReadFailure): FailureImpact => {
    const key = `${failure.source}\u0000${failure.message}`;
    const impact = impacts.get(key) ?? { failure, parts: new Set(), rules: [] };
    impacts.set(key, impact);
    return impact;
  };
  for (const entry of evaluation.coverage) {
    if (entry.status !== 'skipped') continue;
    for (const part of findRule(entry.ruleId)?.needs ?? []) {
      for (const failure of failuresOf(snapshot, part)) {
        const impact = impactOf(failure);
        if (!impact.rules.includes(entry.ruleId)) impact.rules.push(entry.ruleId);
      }
    }
  }
  // Every failed part, including those no rule needs outright (ReplicaSets only enrich causes).
  for (const part of Object.keys(snapshot.parts) as SnapshotPart[])
    for (const failure of failuresOf(snapshot, part)) impactOf(failure).parts.add(part);

  return [...impacts.values()].map(formatImpact).concat(partialAnswerWarning(snapshot, evaluation));
}

/**
 * One line when a source answered in part (a Prometheus store down behind Thanos, Cortex or
 * Mimir): the rules built on it are `partial`, which a run's exit code alone would not show.
 */
function partialAnswerWarning(snapshot: ClusterSnapshot, evaluation: Evaluation): string[] {
  const why = new Set<string>();
  for (const status of Object.values(snapshot.parts))
    if (status?.state === 'collected') for (const w of status.partial ?? []) why.add(w);
  if (why.size === 0) return [];
  const rules = evaluation.coverage.filter((c) => c.status === 'partial').map((c) => c.ruleId);
  return [
    `skewguard: warning: ${[...why].join('; ')}; checked in part, so their silence proves nothing: ${rules.join(', ') || 'no rule'}; rerun when every store answers\n`,
  ];
}

function formatImpact({ failure, parts, rules }: FailureImpact): string {
  const fix = FIX[failure.kind];
  // A permission message from the collector already says what to grant.
  const advice =
    fix === undefined || (failure.kind === 'forbidden' && /\bgrant\b/.test(failure.message))
      ? ''
      : `; ${fix}`;
  const sorted = [...parts].sort();
  const effects = [
    ...(rules.length > 0 ? [`skipped, not passed: ${rules.join(', ')}`] : []),
    ...sorted.flatMap((part) => LOST[part] ?? []),
  ];
  return (
    `skewguard: warning: ${failure.source} answered, but a read failed (${failure.kind}): ` +
    `${failure.message.replace(/[.\s]+$/, '')}${advice}. Not collected: ${sorted.join(', ')}; ` +
    `${effects.join('; ') || 'no rule was skipped'}\n`
  );
}

/** The failed reads that left `part` missing (none when the input lacks it by design). */
function failuresOf(snapshot: ClusterSnapshot, part: SnapshotPart): readonly ReadFailure[] {
  const status = snapshot.parts[part];
  return status?.state === 'missing' ? (status.failures ?? []) : [];
}
