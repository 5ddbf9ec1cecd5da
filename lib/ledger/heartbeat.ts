/**
 * The fleet heartbeat's ledger side: each completed run stamps its cluster's item in its check
 * function's partition and reads its siblings', so one run can report how many of the
 * function's clusters stopped without a metric series (or an alarm) per cluster.
 */
import type { HeartbeatRecord, HeartbeatWindow } from '../util/heartbeat';
import { countStale } from '../util/heartbeat';
import type { HeartbeatItem, LedgerStore } from './types';

/** Partition of a check function's heartbeat items; cluster names never contain `#`. */
export function heartbeatPartition(group: string): string {
  return `heartbeat#${group}`;
}

/**
 * Items outlive their last write by this much (table TTL): long enough that a stopped cluster
 * stays stale for a month, short enough that the partition of a removed function empties.
 */
export const HEARTBEAT_RETENTION_SECONDS = 30 * 86400;

/** What {@link recordHeartbeat} needs: the function's clusters as its config lists them. */
export interface HeartbeatRun {
  readonly group: string;
  /** The cluster whose run just completed. */
  readonly cluster: string;
  /** Every cluster the function checks, with its schedule period. */
  readonly clusters: readonly { readonly name: string; readonly periodSeconds: number }[];
  /** Epoch ms the run started. */
  readonly now: number;
  readonly missedRuns: number;
  readonly alarm: HeartbeatWindow;
}

/** The stale clusters, and writes that lost a race (another run of the same function won). */
export interface HeartbeatResult {
  readonly stale: readonly string[];
  readonly lostRaces: number;
}

/**
 * Stamps `cluster`'s last success, seeds an item for each configured cluster without one (its
 * clock starts now, so a cluster that never completes is stale one window later), deletes items
 * of clusters the function no longer checks, and returns which configured clusters are stale.
 * One Query and one Put per run; seeds and deletes happen once per config change.
 */
export async function recordHeartbeat(
  store: LedgerStore,
  run: HeartbeatRun,
): Promise<HeartbeatResult> {
  const pk = heartbeatPartition(run.group);
  const stored = (await store.load(pk)).filter(
    (item): item is HeartbeatItem => item.type === 'heartbeat',
  );
  const byCluster = new Map(stored.map((item) => [item.sk, item]));
  const nowIso = new Date(run.now).toISOString();
  const expiresAt = Math.floor(run.now / 1000) + HEARTBEAT_RETENTION_SECONDS;
  const configured = new Set(run.clusters.map((c) => c.name));
  const writes: Promise<'written' | 'lostRace'>[] = [];

  const own = byCluster.get(run.cluster);
  const stamped: HeartbeatItem = {
    type: 'heartbeat',
    pk,
    sk: run.cluster,
    lastSuccessAt: nowIso,
    firstSeenAt: own?.firstSeenAt ?? nowIso,
    expiresAt,
    version: (own?.version ?? 0) + 1,
  };
  writes.push(store.put(stamped, own?.version));
  byCluster.set(run.cluster, stamped);
  for (const name of configured) {
    if (byCluster.has(name)) continue;
    const seed: HeartbeatItem = {
      type: 'heartbeat',
      pk,
      sk: name,
      firstSeenAt: nowIso,
      expiresAt,
      version: 1,
    };
    writes.push(store.put(seed, undefined));
    byCluster.set(name, seed);
  }
  // A removed (or moved) cluster would otherwise count as stale here forever.
  for (const item of stored)
    if (!configured.has(item.sk)) writes.push(store.delete(pk, item.sk, item.version));

  const outcomes = await Promise.all(writes);
  const records = new Map<string, HeartbeatRecord>(
    [...byCluster.values()].map((item) => [item.sk, toRecord(item)]),
  );
  return {
    stale: countStale(run.clusters, records, run.now, run.missedRuns, run.alarm),
    lostRaces: outcomes.filter((o) => o === 'lostRace').length,
  };
}

function toRecord(item: HeartbeatItem): HeartbeatRecord {
  return {
    cluster: item.sk,
    firstSeenAt: Date.parse(item.firstSeenAt),
    ...(item.lastSuccessAt !== undefined ? { lastSuccessAt: Date.parse(item.lastSuccessAt) } : {}),
  };
}
