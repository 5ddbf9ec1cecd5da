/**
 * Pure reconciliation of one run's evaluation with the stored ledger: which items change and
 * which notifications are owed. No I/O and no clock; `now` is epoch milliseconds.
 */
import type { CoverageEntry, Evaluation, Finding, Severity } from '../rules/model';
import { severityRank } from '../rules/model';
import { materialState } from '../rules/resolved';
import type { HeldNotice, HoldFor, LedgerItem, Transition, TransitionKind } from './types';
import { LedgerError } from './types';
import { clip, fitDetails } from '../util/fit-details';

/** Timing the ledger applies; all values in seconds. */
export interface ReconcileOptions {
  /** How often a still-firing finding is notified again, per severity (`Infinity`: never). */
  readonly repeatIntervalSeconds: Readonly<Record<Severity, number>>;
  /** How long a resolved item is kept (so a flap within it is recognised) before it expires. */
  readonly resolvedTtlSeconds: number;
}

/** Options as a caller may give them: any field may be left to its default. */
export interface ReconcileOptionsInput {
  readonly repeatIntervalSeconds?: Readonly<Partial<Record<Severity, number>>>;
  readonly resolvedTtlSeconds?: number;
}

const DAY = 86_400;

/** Defaults: repeat every 24 h at every severity, keep resolved items 7 days. */
export const DEFAULT_RECONCILE_OPTIONS: ReconcileOptions = {
  repeatIntervalSeconds: { critical: DAY, warning: DAY, info: DAY },
  resolvedTtlSeconds: 7 * DAY,
};

/** Fills defaults and rejects negative or non-numeric durations, naming the option. */
export function reconcileOptions(input: ReconcileOptionsInput = {}): ReconcileOptions {
  const repeat = { ...DEFAULT_RECONCILE_OPTIONS.repeatIntervalSeconds };
  for (const severity of Object.keys(repeat) as Severity[]) {
    const value = input.repeatIntervalSeconds?.[severity];
    if (value !== undefined)
      repeat[severity] = checkDuration(`repeatIntervalSeconds.${severity}`, value);
  }
  const ttl = input.resolvedTtlSeconds ?? DEFAULT_RECONCILE_OPTIONS.resolvedTtlSeconds;
  return {
    repeatIntervalSeconds: repeat,
    resolvedTtlSeconds: checkDuration('resolvedTtlSeconds', ttl),
  };
}

/** Checks one duration option: a number of seconds ≥ 0 (Infinity allowed). */
export function checkDuration(name: string, value: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new LedgerError(
      'options',
      `ledger option ${name} is ${String(value)}; give a number of seconds ≥ 0 ` +
        '(Infinity to turn it off)',
    );
  }
  return value;
}

/** One conditional write the run wants to make. */
export type LedgerWrite =
  | { readonly op: 'put'; readonly item: LedgerItem; readonly expectedVersion: number | undefined }
  | {
      readonly op: 'delete';
      readonly pk: string;
      readonly sk: string;
      readonly expectedVersion: number;
    };

/** What a run changes: the writes, the notifications owed, and the items as they will be. */
export interface Reconciliation {
  readonly writes: readonly LedgerWrite[];
  /** Each transition's item is the item of a `put` in `writes`. */
  readonly transitions: readonly Transition[];
  /** The cluster's finding items once the writes are applied (deleted ones left out). */
  readonly items: readonly LedgerItem[];
  /** Notices owed but held by a silence or maintenance window (not in `transitions`). */
  readonly held: readonly HeldNotice[];
}

/**
 * Reconciles stored finding items with a run's evaluation.
 * - A new condition is `pending` until it has held `forSeconds` (from `since` when the rule knows
 *   it, else from `firstSeen`), then `firing`, which owes a `firing` notice.
 * - A firing item owes `firing` again when its severity changed, `repeat` once its severity's
 *   repeat interval has passed since `lastNotified`.
 * - An item absent from a run in which its rule was evaluated resolves; it owes `resolved` only
 *   when people were told it fired. Skipped, disabled or unlisted rules leave items untouched.
 * - A resolved (or expired) item that returns starts a new episode as `pending`; one whose
 *   resolved notice was never delivered simply keeps firing, since people never heard it end.
 * - Items claimed by a run whose claim has not lapsed are left to that run.
 * - A notice `hold` holds (silence, maintenance window) is not owed this run: the item is written
 *   as usual but neither claimed nor marked notified, so the first run after the hold owes it.
 */
export function reconcile(
  cluster: string,
  stored: readonly LedgerItem[],
  evaluation: Evaluation,
  now: number,
  options: ReconcileOptions = DEFAULT_RECONCILE_OPTIONS,
  hold: HoldFor = () => undefined,
): Reconciliation {
  const findings = firstPerFingerprint(evaluation.findings);
  const coverage = new Map<string, CoverageEntry['status']>(
    evaluation.coverage.map((c) => [c.ruleId, c.status]),
  );
  const storedKeys = new Set(stored.map((item) => item.sk));
  const outcomes: Outcome[] = [];
  for (const item of stored) {
    const finding = findings.get(item.sk);
    outcomes.push(
      finding
        ? seen(cluster, item, finding, now, options)
        : unseen(item, coverage.get(item.ruleId), now, options),
    );
  }
  for (const finding of findings.values()) {
    if (!storedKeys.has(finding.fingerprint))
      outcomes.push(seen(cluster, undefined, finding, now, options));
  }

  const writes: LedgerWrite[] = [];
  const transitions: Transition[] = [];
  const items: LedgerItem[] = [];
  const held: HeldNotice[] = [];
  for (const outcome of outcomes) {
    const { transition } = outcome;
    const heldBy = transition ? hold(transition.item) : undefined;
    if (transition && heldBy) {
      held.push({ kind: transition.kind, item: transition.item, hold: heldBy });
      // A resolution decided earlier changes nothing while held: skip the no-op write.
      if (outcome.write && !(transition.kind === 'resolved' && outcome.unchanged))
        writes.push(outcome.write);
    } else {
      if (outcome.write) writes.push(outcome.write);
      if (transition) transitions.push(transition);
    }
    if (outcome.item)
      items.push(heldBy && outcome.unchanged && outcome.before ? outcome.before : outcome.item);
  }
  transitions.sort(
    (a, b) =>
      severityRank(b.item.severity) - severityRank(a.item.severity) ||
      a.item.ruleId.localeCompare(b.item.ruleId) ||
      a.item.sk.localeCompare(b.item.sk),
  );
  return { writes, transitions, items, held };
}

/**
 * Largest `details` JSON a ledger item keeps. DynamoDB rejects items over 400 KB, and node-skew
 * findings list every node (≈ 8,000 names reach it); the notices of this run still get the full
 * finding, only what is stored (and a later resolved notice) is cut.
 */
export const MAX_LEDGER_DETAILS_BYTES = 64 * 1024;

/** A summary is one line; this only keeps a runaway one from filling the item. */
const MAX_LEDGER_SUMMARY_LENGTH = 4000;

/** The details a ledger item stores: big arrays become `{ truncated, count, first }`. */
export function ledgerDetails(
  details: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  return fitDetails(details, MAX_LEDGER_DETAILS_BYTES).details;
}

/** Rebuilds the last finding an item saw, for a resolved notice. */
export function findingOf(item: LedgerItem): Finding {
  return {
    ruleId: item.ruleId,
    severity: item.severity,
    subject: item.subject,
    fingerprint: item.sk,
    summary: item.summary,
    details: item.details,
    ...(item.since !== undefined ? { since: item.since } : {}),
    forSeconds: item.forSeconds,
    runbookUrl: item.runbookUrl,
  };
}

/** Whether another run holds a claim on the item that has not lapsed. */
export function isClaimed(item: LedgerItem, now: number): boolean {
  if (item.claimId === undefined || item.claimExpiresAt === undefined) return false;
  const until = Date.parse(item.claimExpiresAt);
  return Number.isFinite(until) && until > now;
}

/** Whether the item's TTL has passed (DynamoDB TTL deletes lazily, dynalite never). */
export function isExpired(item: { readonly expiresAt?: number }, now: number): boolean {
  return item.expiresAt !== undefined && item.expiresAt * 1000 <= now;
}

/** ISO-8601 text of an epoch-milliseconds time. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** Epoch seconds, the unit of DynamoDB TTL attributes. */
export function epochSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

interface Outcome {
  readonly write?: LedgerWrite;
  readonly transition?: Transition;
  /** The item after the run; undefined when deleted. */
  readonly item?: LedgerItem;
  /** The write only re-carries a notice owed since an earlier run (nothing else changed). */
  readonly unchanged?: boolean;
  /** The stored item, for an `unchanged` outcome whose write a hold skips. */
  readonly before?: LedgerItem;
}

/** The finding is present this run. */
function seen(
  cluster: string,
  before: LedgerItem | undefined,
  finding: Finding,
  now: number,
  options: ReconcileOptions,
): Outcome {
  if (before && isClaimed(before, now)) return { item: before };
  const continuing =
    before !== undefined &&
    !isExpired(before, now) &&
    (before.status !== 'resolved' || owesResolved(before));
  const base: LedgerItem = continuing
    ? before
    : {
        type: 'finding',
        pk: cluster,
        sk: finding.fingerprint,
        ruleId: finding.ruleId,
        severity: finding.severity,
        status: 'pending',
        firstSeen: isoTime(now),
        lastSeen: isoTime(now),
        forSeconds: finding.forSeconds,
        notifyCount: 0,
        version: before?.version ?? 0,
        summary: finding.summary,
        subject: finding.subject,
        details: finding.details,
        runbookUrl: finding.runbookUrl,
      };
  const alreadyFiring = continuing && base.status !== 'pending';
  const status = alreadyFiring || heldLongEnough(base, finding, now) ? 'firing' : 'pending';
  const item: LedgerItem = withoutUndefined({
    type: 'finding',
    pk: base.pk,
    sk: base.sk,
    ruleId: finding.ruleId,
    severity: finding.severity,
    status,
    firstSeen: base.firstSeen,
    lastSeen: isoTime(now),
    since: finding.since,
    forSeconds: finding.forSeconds,
    lastNotified: base.lastNotified,
    notifiedStatus: base.notifiedStatus,
    notifiedSeverity: base.notifiedSeverity,
    notifiedSeverities: base.notifiedSeverities,
    state: materialState(finding),
    notifiedState: base.notifiedState,
    notifyCount: base.notifyCount,
    version: base.version + 1,
    summary: clip(finding.summary, MAX_LEDGER_SUMMARY_LENGTH),
    subject: finding.subject,
    details: ledgerDetails(finding.details),
    runbookUrl: finding.runbookUrl,
  });
  const write: LedgerWrite = { op: 'put', item, expectedVersion: before?.version };
  const kind = status === 'firing' ? owedWhileFiring(item, now, options) : undefined;
  return { write, item, ...(kind ? { transition: { kind, finding, item } } : {}) };
}

/** The finding is absent this run. */
function unseen(
  before: LedgerItem,
  ruleCoverage: CoverageEntry['status'] | undefined,
  now: number,
  options: ReconcileOptions,
): Outcome {
  if (isClaimed(before, now)) return { item: before };
  if (isExpired(before, now)) return { write: deleteOf(before) };
  if (before.status === 'resolved') {
    if (!owesResolved(before)) return { item: before };
    // The resolution was decided by an earlier run; only its notice is still owed.
    const item = withoutUndefined({ ...before, ...noClaim, version: before.version + 1 });
    return { ...resolvedOutcome(before, item), unchanged: true, before };
  }
  // A rule that was not evaluated cannot tell whether the condition still holds.
  if (ruleCoverage !== 'evaluated') return { item: before };
  if (before.status === 'pending') return { write: deleteOf(before) };
  const owed = owesResolved(before);
  const item: LedgerItem = withoutUndefined({
    ...before,
    ...noClaim,
    status: 'resolved',
    resolvedAt: isoTime(now),
    version: before.version + 1,
    // An owed notice keeps the item alive (TTL would delete it); ledger.ts sets expiry on confirm.
    expiresAt: owed ? undefined : epochSeconds(now) + options.resolvedTtlSeconds,
  });
  if (!owed) return { write: { op: 'put', item, expectedVersion: before.version }, item };
  return resolvedOutcome(before, item);
}

function resolvedOutcome(before: LedgerItem, item: LedgerItem): Outcome {
  return {
    write: { op: 'put', item, expectedVersion: before.version },
    item,
    transition: { kind: 'resolved', finding: findingOf(before), item },
  };
}

const noClaim = { claimId: undefined, claimExpiresAt: undefined, expiresAt: undefined };

function deleteOf(item: LedgerItem): LedgerWrite {
  return { op: 'delete', pk: item.pk, sk: item.sk, expectedVersion: item.version };
}

/** People were told the finding fired and have not been told it resolved. */
function owesResolved(item: LedgerItem): boolean {
  return item.notifiedStatus === 'firing';
}

/**
 * What a firing item owes: a first, re-severitied or materially changed `firing`, a due
 * `repeat`, or nothing.
 */
function owedWhileFiring(
  item: LedgerItem,
  now: number,
  options: ReconcileOptions,
): TransitionKind | undefined {
  if (item.notifiedStatus !== 'firing' || item.notifiedSeverity !== item.severity) return 'firing';
  if (changedSinceNotified(item)) return 'firing';
  const last = item.lastNotified === undefined ? Number.NaN : Date.parse(item.lastNotified);
  // A firing notice without a readable time is treated as long ago: repeat rather than go quiet.
  if (!Number.isFinite(last)) return 'repeat';
  const interval = options.repeatIntervalSeconds[item.severity] * 1000;
  return now - last >= interval ? 'repeat' : undefined;
}

/**
 * Whether the finding changed materially since people were last told (its summary, or the
 * details its rule declares in `materialKeys`). An item notified before states were recorded
 * counts as unchanged rather than notifying every open finding once after an upgrade.
 */
export function changedSinceNotified(item: LedgerItem): boolean {
  return (
    item.notifiedState !== undefined &&
    item.state !== undefined &&
    item.notifiedState !== item.state
  );
}

/** Whether the condition has held for the finding's `for`: from `since` if known, else firstSeen. */
function heldLongEnough(base: LedgerItem, finding: Finding, now: number): boolean {
  const since = finding.since === undefined ? Number.NaN : Date.parse(finding.since);
  const start = Number.isFinite(since) ? since : Date.parse(base.firstSeen);
  return now - start >= finding.forSeconds * 1000;
}

/** First finding per fingerprint; the engine sorts worst first, so a duplicate never upgrades. */
function firstPerFingerprint(findings: readonly Finding[]): Map<string, Finding> {
  const byFingerprint = new Map<string, Finding>();
  for (const finding of findings) {
    if (!byFingerprint.has(finding.fingerprint)) byFingerprint.set(finding.fingerprint, finding);
  }
  return byFingerprint;
}

/** Drops keys whose value is undefined so stored items never carry empty attributes. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
