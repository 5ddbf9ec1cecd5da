/** Small builders for notification tests: findings, ledger items, transitions and batches. */
import type { LedgerItem, Transition, TransitionKind } from '../../../lib/ledger/types';
import type { NotificationBatch } from '../../../lib/notify/publisher';
import { fingerprint } from '../../../lib/rules/fingerprint';
import type { Finding, Severity, Subject } from '../../../lib/rules/model';

export const CLUSTER = 'prod-eu';
export const RUN_AT = '2024-05-01T12:00:00.000Z';

/** Overrides for one test finding. */
export interface FindingSpec {
  readonly ruleId?: string;
  readonly severity?: Severity;
  readonly subject?: Subject;
  readonly summary?: string;
  readonly details?: Record<string, unknown>;
  readonly since?: string;
  readonly cluster?: string;
}

/** A finding with a real fingerprint. */
export function finding(spec: FindingSpec = {}): Finding {
  const ruleId = spec.ruleId ?? 'DeploymentRolloutStuck';
  const subject = spec.subject ?? { kind: 'Deployment', namespace: 'shop', name: 'web' };
  return {
    ruleId,
    severity: spec.severity ?? 'critical',
    subject,
    fingerprint: fingerprint(spec.cluster ?? CLUSTER, ruleId, subject),
    summary: spec.summary ?? `${subject.kind} ${subject.name} is stuck rolling out.`,
    details: spec.details ?? {},
    ...(spec.since !== undefined ? { since: spec.since } : {}),
    forSeconds: 600,
    runbookUrl: `https://runbooks.example.com/${ruleId}.md`,
  };
}

/** The ledger item a transition of `f` would carry. */
export function item(
  f: Finding,
  kind: TransitionKind,
  overrides: Partial<LedgerItem> = {},
): LedgerItem {
  return {
    type: 'finding',
    pk: CLUSTER,
    sk: f.fingerprint,
    ruleId: f.ruleId,
    severity: f.severity,
    status: kind === 'resolved' ? 'resolved' : 'firing',
    firstSeen: '2024-05-01T08:30:00.000Z',
    lastSeen: RUN_AT,
    ...(f.since !== undefined ? { since: f.since } : {}),
    forSeconds: f.forSeconds,
    ...(kind === 'resolved' ? { resolvedAt: '2024-05-01T11:55:00.000Z' } : {}),
    ...(kind !== 'firing'
      ? { lastNotified: '2024-04-30T12:00:00.000Z', notifiedStatus: 'firing' as const }
      : {}),
    notifyCount: kind === 'firing' ? 0 : 1,
    version: 3,
    summary: f.summary,
    subject: f.subject,
    details: f.details,
    runbookUrl: f.runbookUrl,
    ...overrides,
  };
}

/** A transition of a finding built from `spec`. */
export function transition(kind: TransitionKind, spec: FindingSpec = {}): Transition {
  const f = finding(spec);
  return { kind, finding: f, item: item(f, kind) };
}

/** `count` firing transitions of distinct subjects, alternating severities and rules. */
export function manyTransitions(count: number, kind: TransitionKind = 'firing'): Transition[] {
  const severities: Severity[] = ['critical', 'warning', 'info'];
  return Array.from({ length: count }, (_, i) =>
    transition(kind, {
      ruleId: `Rule${String(i % 40).padStart(2, '0')}VersionSkew`,
      severity: severities[i % 3],
      subject: { kind: 'Deployment', namespace: `team-${i}`, name: `service-${i}` },
      summary: `Deployment team-${i}/service-${i} has not finished rolling out to revision ${i}; 2/5 new pods crash with CrashLoopBackOff and 3/3 old pods still serve traffic.`,
      since: '2024-05-01T08:40:00.000Z',
      details: {
        commands: [
          `kubectl -n team-${i} rollout status deployment/service-${i} --watch=false`,
          `kubectl -n team-${i} describe deployment service-${i}`,
          `kubectl -n team-${i} get replicasets -l app=service-${i} -o wide`,
        ],
      },
    }),
  );
}

/** A batch for the test cluster. */
export function batch(
  transitions: readonly Transition[],
  stillFiring: readonly LedgerItem[] = [],
  cluster = CLUSTER,
): NotificationBatch {
  return { cluster, runAt: RUN_AT, transitions, stillFiring };
}

/** UTF-8 bytes of a string. */
export function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
