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
  timeout: 'the server did not answer in time; check its load and the network path, and run again',
  protocol:
    'the answer was not what the API sends; check for a proxy or load balancer that cuts or rewrites responses',
};

/** The rules a failed read left skipped, and the snapshot parts it left missing. */
interface FailureImpact {
  readonly failure: ReadFailure;
  readonly parts: Set<SnapshotPart>;
  readonly rules: string[];
}

/**
 * One stderr line per distinct failed read (permission denied, server error, timeout, bad answer)
 * that left rules skipped while its source answered. Such a run still exits by its findings, so
 * without this line CI would see the gap only in the coverage section. Parts an input simply lacks
 * (`--from-file` without workloads) or a managed provider hides carry no failure: no line.
 */
export function partialFailureWarnings(
  snapshot: ClusterSnapshot,
  evaluation: Evaluation,
): string[] {
  const impacts = new Map<string, FailureImpact>();
  for (const entry of evaluation.coverage) {
    if (entry.status !== 'skipped') continue;
    for (const part of findRule(entry.ruleId)?.needs ?? []) {
      const status = snapshot.parts[part];
      if (status?.state !== 'missing') continue;
      for (const failure of status.failures ?? []) {
        const key = `${failure.source}\u0000${failure.message}`;
        const impact = impacts.get(key) ?? { failure, parts: new Set(), rules: [] };
        impacts.set(key, impact);
        impact.parts.add(part);
        if (!impact.rules.includes(entry.ruleId)) impact.rules.push(entry.ruleId);
      }
    }
  }
  return [...impacts.values()].map(({ failure, parts, rules }) => {
    const fix = FIX[failure.kind];
    // A permission message from the collector already says what to grant.
    const advice =
      fix === undefined || (failure.kind === 'forbidden' && /\bgrant\b/.test(failure.message))
        ? ''
        : `; ${fix}`;
    return (
      `skewguard: warning: ${failure.source} answered, but a read failed (${failure.kind}): ` +
      `${failure.message.replace(/[.\s]+$/, '')}${advice}. Not collected: ${[...parts].sort().join(', ')}; ` +
      `skipped, not passed: ${rules.join(', ')}\n`
    );
  });
}
