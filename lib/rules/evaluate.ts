/** The engine: runs every rule of the registry on a snapshot and records what each decided. */
import type { DataTable } from './data/table';
import { isStale, staleNote, usedNote } from './data/table';
import { fingerprint } from './fingerprint';
import type {
  ClusterSnapshot,
  CoverageEntry,
  Evaluation,
  Finding,
  PartStatus,
  SnapshotPart,
  UnmetInput,
} from './model';
import { OPT_IN_PARTS, PART_SUPPLIERS, severityRank } from './model';
import type { Policy } from './policy';
import type { Rule, RuleContext } from './rule';
import { isPartialResult, isSkip } from './rule';
import { RULES } from './registry';

/**
 * Evaluates every rule of the registry on a snapshot. Pure: the caller passes `now`.
 * A rule whose needed parts are missing, or that cannot decide, or that throws, is
 * recorded as skipped with the reason; it never counts as a pass.
 */
export function evaluate(
  snapshot: ClusterSnapshot,
  policy: Policy,
  now: number,
  rules: readonly Rule[] = RULES,
): Evaluation {
  const scoped = withoutExcludedNamespaces(snapshot, policy.excludedNamespaces);
  const ctx: RuleContext = { cluster: snapshot.cluster, now, policy };
  const findings: Finding[] = [];
  const coverage: CoverageEntry[] = [];
  const tables = new Set<DataTable>();
  for (const rule of rules) {
    const override = policy.rules[rule.id] ?? {};
    if (override.disabled) {
      coverage.push({ ruleId: rule.id, status: 'disabled' });
      continue;
    }
    const unmet = unmetNeeds(scoped, rule.needs);
    if (unmet) {
      coverage.push({ ruleId: rule.id, status: 'skipped', ...unmet });
      continue;
    }
    let result;
    try {
      result = rule.evaluate(scoped, ctx);
    } catch (error) {
      coverage.push({
        ruleId: rule.id,
        status: 'skipped',
        reason: `rule failed: ${errorMessage(error)}`,
      });
      continue;
    }
    if (isSkip(result)) {
      coverage.push({ ruleId: rule.id, status: 'skipped', reason: result.skip });
      continue;
    }
    const list = isPartialResult(result) ? result.findings : result;
    // Incomplete input, from the rule itself or a part read in part, makes the rule partial.
    const partial = [
      ...(isPartialResult(result) ? [result.partial] : []),
      ...partialNeeds(scoped, rule.needs),
    ];
    coverage.push(
      partial.length > 0
        ? { ruleId: rule.id, status: 'partial', reason: partial.join('; ') }
        : { ruleId: rule.id, status: 'evaluated' },
    );
    for (const table of rule.tables ?? []) tables.add(table);
    for (const f of list) {
      findings.push({
        ruleId: rule.id,
        severity: override.severity ?? f.severity ?? rule.severity,
        subject: f.subject,
        fingerprint: fingerprint(snapshot.cluster, rule.id, f.subject),
        summary: f.summary,
        details: f.details,
        ...(f.since !== undefined ? { since: f.since } : {}),
        forSeconds: override.forSeconds ?? f.forSeconds ?? rule.forSeconds,
        runbookUrl: policy.runbookBaseUrl + rule.runbook,
      });
    }
  }
  const notes = tableNotes(tables, now);
  return { findings: sortFindings(findings), coverage, ...(notes.length > 0 ? { notes } : {}) };
}

/** Each table the evaluated rules read, once: its date and sources, then whether it is stale. */
function tableNotes(tables: ReadonlySet<DataTable>, now: number): string[] {
  const used = [...tables];
  return [
    ...used.map(usedNote),
    ...used.filter((t) => isStale(t, now)).map((t) => staleNote(t, now)),
  ];
}

/** Worst first, then by rule id and subject, so output is stable run to run. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.ruleId.localeCompare(b.ruleId) ||
      subjectKey(a).localeCompare(subjectKey(b)),
  );
}

function subjectKey(f: Finding): string {
  return `${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}`;
}

/** Why the needed parts are not all collected, or undefined when they are. */
function unmetNeeds(
  snapshot: ClusterSnapshot,
  needs: readonly SnapshotPart[],
): { reason: string; unmet: UnmetInput[] } | undefined {
  const unmet: UnmetInput[] = [];
  const reasons: string[] = [];
  for (const part of needs) {
    const status: PartStatus | undefined = snapshot.parts[part];
    if (!status && OPT_IN_PARTS.includes(part)) {
      const supplier = PART_SUPPLIERS[part] ?? 'not requested';
      reasons.push(`${part} not requested: ${supplier}`);
      unmet.push({ part, state: 'notRequested', reason: supplier });
    } else if (!status) {
      // Parts no collector fills yet name what would supply them.
      const supplier = PART_SUPPLIERS[part];
      reasons.push(`${part} not collected${supplier ? `: ${supplier}` : ''}`);
      unmet.push({ part, state: 'missing', reason: supplier ?? 'not collected' });
    } else if (status.state === 'missing') {
      reasons.push(`${part} missing: ${status.reason}`);
      unmet.push({ part, state: 'missing', reason: status.reason });
    } else if (status.state === 'notObservable') {
      reasons.push(`${part} not observable: ${status.reason}`);
      unmet.push({ part, state: 'notObservable', reason: status.reason });
    }
  }
  return reasons.length > 0 ? { reason: reasons.join('; '), unmet } : undefined;
}

/** What the needed parts that were read only in part say about it, part by part. */
function partialNeeds(snapshot: ClusterSnapshot, needs: readonly SnapshotPart[]): string[] {
  return needs.flatMap((part) => {
    const status = snapshot.parts[part];
    return status?.state === 'collected' && status.partial
      ? status.partial.map((why) => `${part} partial: ${why}`)
      : [];
  });
}

function withoutExcludedNamespaces(
  snapshot: ClusterSnapshot,
  excluded: readonly string[],
): ClusterSnapshot {
  if (excluded.length === 0) return snapshot;
  const keep = (o: { namespace: string }): boolean => !excluded.includes(o.namespace);
  return {
    ...snapshot,
    workloads: snapshot.workloads.filter(keep),
    replicaSets: snapshot.replicaSets.filter(keep),
    // kube-system pods carry control-plane and kube-proxy versions; only rollout data is scoped.
    pods: snapshot.pods.filter(keep),
    ...(snapshot.gitops ? { gitops: snapshot.gitops.filter(keep) } : {}),
    ...(snapshot.manifests
      ? { manifests: { ...snapshot.manifests, desired: snapshot.manifests.desired.filter(keep) } }
      : {}),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
