/**
 * Consecutive failed runs per source, kept in the ledger so one flaky run does not page anyone
 * but a source that stays down does (the pipeline raises SourceUnavailable from the report).
 */
import type { SourceErrorKind, SourceName, SourceStatus } from '../rules/model';
import { isoTime } from './reconcile';
import type { LedgerStore, SourceHealthItem } from './types';
import { LedgerError, SOURCE_KEY_PREFIX, sourceKey } from './types';

/** One source's standing after this run. */
export interface SourceHealthEntry {
  readonly source: SourceName;
  readonly status: SourceStatus['status'];
  /** Runs in a row in which it failed, this one included; 0 when it answered. */
  readonly consecutiveFailures: number;
  readonly reason?: string;
  readonly kind?: SourceErrorKind;
}

/** Source standings of a run and which of them count as unavailable. */
export interface SourceHealthReport {
  readonly sources: readonly SourceHealthEntry[];
  /** Every source of the run failed: nothing could be checked. */
  readonly allFailed: boolean;
  /** Failed sources at or past the threshold, or every failed source when all failed. */
  readonly unavailable: readonly SourceHealthEntry[];
}

/** Overlapping runs updating the same count retry this often before giving up. */
const MAX_ATTEMPTS = 5;

/** Records this run's source outcomes and returns the consecutive-failure counts. */
export async function recordSourceHealth(
  store: LedgerStore,
  cluster: string,
  sources: readonly SourceStatus[],
  now: number,
  threshold: number,
): Promise<SourceHealthReport> {
  const outcomes = bySource(sources);
  const stored = new Map<string, SourceHealthItem>();
  for (const item of await store.load(cluster, SOURCE_KEY_PREFIX)) {
    if (item.type === 'sourceHealth') stored.set(item.sk, item);
  }
  const entries: SourceHealthEntry[] = [];
  for (const outcome of outcomes) {
    entries.push(
      await recordOne(store, cluster, outcome, stored.get(sourceKey(outcome.source)), now),
    );
  }
  const allFailed = entries.length > 0 && entries.every((e) => e.status === 'failed');
  const unavailable = entries.filter(
    (e) => e.status === 'failed' && (allFailed || e.consecutiveFailures >= threshold),
  );
  return { sources: entries, allFailed, unavailable };
}

/** Updates one source's count; on a lost race re-reads and counts again, so no run is missed. */
async function recordOne(
  store: LedgerStore,
  cluster: string,
  outcome: SourceStatus,
  first: SourceHealthItem | undefined,
  now: number,
): Promise<SourceHealthEntry> {
  const sk = sourceKey(outcome.source);
  let before = first;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const item = nextHealth(cluster, sk, outcome, before, now);
    if ((await store.put(item, before?.version)) === 'written') return entryOf(item);
    const reloaded = await store.load(cluster, sk);
    before = reloaded.find((i): i is SourceHealthItem => i.type === 'sourceHealth' && i.sk === sk);
  }
  throw new LedgerError(
    'sourceHealth',
    `could not record the health of source ${outcome.source} for cluster ${cluster}: ` +
      `${MAX_ATTEMPTS} overlapping runs changed it first; check that the cluster's schedule ` +
      'does not start many runs at once',
  );
}

function nextHealth(
  cluster: string,
  sk: string,
  outcome: SourceStatus,
  before: SourceHealthItem | undefined,
  now: number,
): SourceHealthItem {
  const failed = outcome.status === 'failed';
  return {
    type: 'sourceHealth',
    pk: cluster,
    sk,
    source: outcome.source,
    consecutiveFailures: failed ? (before?.consecutiveFailures ?? 0) + 1 : 0,
    lastStatus: outcome.status,
    ...(outcome.reason !== undefined ? { lastReason: outcome.reason } : {}),
    ...(outcome.kind !== undefined ? { lastKind: outcome.kind } : {}),
    ...(failed
      ? before?.lastOkAt !== undefined
        ? { lastOkAt: before.lastOkAt }
        : {}
      : { lastOkAt: isoTime(now) }),
    updatedAt: isoTime(now),
    version: (before?.version ?? 0) + 1,
  };
}

function entryOf(item: SourceHealthItem): SourceHealthEntry {
  return {
    source: item.source,
    status: item.lastStatus,
    consecutiveFailures: item.consecutiveFailures,
    ...(item.lastReason !== undefined ? { reason: item.lastReason } : {}),
    ...(item.lastKind !== undefined ? { kind: item.lastKind } : {}),
  };
}

/** One outcome per source name: a source listed twice failed if either entry failed. */
function bySource(sources: readonly SourceStatus[]): SourceStatus[] {
  const merged = new Map<SourceName, SourceStatus>();
  for (const status of sources) {
    const seen = merged.get(status.source);
    if (!seen || (seen.status === 'ok' && status.status === 'failed'))
      merged.set(status.source, status);
  }
  return [...merged.values()];
}
