/**
 * The ports of a source: the collector every source implements (one configured source of a
 * cluster that yields a snapshot), and the cache through which it keeps slow-changing reads
 * between runs (the ledger implements it).
 */
import type { ClusterSnapshot, SourceName } from '../rules';

/** One configured source of a cluster, ready to collect (connections and secrets resolved). */
export interface SourceCollector {
  readonly source: SourceName;
  collect(): Promise<ClusterSnapshot>;
}

/** A value read earlier, with when it was read. */
export interface CachedRead {
  readonly value: string;
  /** ISO time the value was read from its source. */
  readonly fetchedAt: string;
}

/**
 * Where a source keeps reads that change over hours (support calendars, add-on versions, EKS
 * insights), so a five-minute schedule does not repeat them. Reads of it never fail a run: a
 * cache that cannot answer is a cache miss.
 */
export interface ReadCache {
  /** The value stored under `name` that has not expired at `now` (epoch ms), if any. */
  get(name: string, now: number): Promise<CachedRead | undefined>;
  /** Stores `value` read at `now`, usable for `ttlSeconds`. */
  put(name: string, value: string, now: number, ttlSeconds: number): Promise<void>;
}
