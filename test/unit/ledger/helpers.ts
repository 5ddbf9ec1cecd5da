/** Small builders for ledger tests: findings, evaluations and stored items, no rules registry. */
import type { CoverageEntry, Evaluation, Finding, Severity } from '../../../lib/rules/model';
import type { LedgerItem } from '../../../lib/ledger';

/** The fixed clock ledger tests start at (epoch ms). */
export const T0 = Date.parse('2026-11-21T12:00:00Z');
/** Milliseconds in a minute, an hour and a day. */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** ISO text of T0 + offset. */
export function at(offsetMs: number): string {
  return new Date(T0 + offsetMs).toISOString();
}

/** A finding of `ruleId` about a Deployment `name`; its fingerprint is `fp-<ruleId>-<name>`. */
export function finding(
  name: string,
  overrides: Partial<Omit<Finding, 'subject' | 'fingerprint'>> = {},
): Finding {
  const ruleId = overrides.ruleId ?? 'RolloutStuck';
  return {
    ruleId,
    severity: 'warning',
    subject: { kind: 'Deployment', namespace: 'shop', name },
    fingerprint: `fp-${ruleId}-${name}`,
    summary: `Deployment shop/${name} is stuck`,
    details: { name, replicas: 3 },
    forSeconds: 0,
    runbookUrl: `https://example.test/runbooks/${ruleId}.md`,
    ...overrides,
  };
}

/** How each rule fared in a run; rules of the findings count as evaluated unless listed. */
export interface CoverageSpec {
  readonly evaluated?: readonly string[];
  readonly skipped?: readonly string[];
  readonly disabled?: readonly string[];
  /** Evaluated on incomplete input (a partial Prometheus answer). */
  readonly partial?: readonly string[];
}

/** An evaluation of `findings`; RolloutStuck and the findings' rules are evaluated by default. */
export function evaluation(findings: readonly Finding[], spec: CoverageSpec = {}): Evaluation {
  const skipped = new Set(spec.skipped ?? []);
  const disabled = new Set(spec.disabled ?? []);
  const partial = new Set(spec.partial ?? []);
  const evaluated = new Set([
    ...(spec.evaluated ?? ['RolloutStuck']),
    ...findings.map((f) => f.ruleId),
  ]);
  const coverage: CoverageEntry[] = [];
  for (const ruleId of evaluated) {
    if (!skipped.has(ruleId) && !disabled.has(ruleId) && !partial.has(ruleId))
      coverage.push({ ruleId, status: 'evaluated' });
  }
  for (const ruleId of skipped)
    coverage.push({ ruleId, status: 'skipped', reason: 'prometheus unreachable' });
  for (const ruleId of disabled) coverage.push({ ruleId, status: 'disabled' });
  for (const ruleId of partial)
    coverage.push({ ruleId, status: 'partial', reason: 'nodes partial: a store did not answer' });
  return { findings, coverage };
}

/** A stored item for `finding(name)`; defaults to firing, notified at T0 − 1 h. */
export function storedItem(
  name: string,
  overrides: Partial<LedgerItem> = {},
  cluster = 'prod',
): LedgerItem {
  const f = finding(name, { ruleId: overrides.ruleId ?? 'RolloutStuck' });
  const severity: Severity = overrides.severity ?? 'warning';
  return {
    type: 'finding',
    pk: cluster,
    sk: f.fingerprint,
    ruleId: f.ruleId,
    severity,
    status: 'firing',
    firstSeen: at(-2 * HOUR),
    lastSeen: at(-5 * MINUTE),
    forSeconds: 0,
    lastNotified: at(-HOUR),
    notifiedStatus: 'firing',
    notifiedSeverity: severity,
    notifyCount: 1,
    version: 3,
    summary: f.summary,
    subject: f.subject,
    details: f.details,
    runbookUrl: f.runbookUrl,
    ...overrides,
  };
}
