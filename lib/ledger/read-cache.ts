/** Cached slow reads as ledger items (`cache#<name>`), expiry checked in code, for the sources' ReadCache port. */
import type { CacheItem, LedgerStore } from './types';
import { CACHE_KEY_PREFIX, LedgerError } from './types';

/** DynamoDB items hold 400 KB; a read larger than this is not worth caching. */
export const MAX_CACHED_BYTES = 300 * 1024;

/** What a cache write reports instead of throwing: the run goes on, the read repeats next time. */
export type CacheWriteProblem = (message: string) => void;

/**
 * A ReadCache (lib/collect/source-collector.ts) over the ledger's store, for one cluster. Expiry is
 * checked on read: DynamoDB's TTL deletes items up to days late, and dynalite never does.
 */
export class LedgerReadCache {
  constructor(
    private readonly store: LedgerStore,
    private readonly cluster: string,
    private readonly onProblem: CacheWriteProblem = () => undefined,
  ) {}

  /** The unexpired value under `name`, or undefined (a failed load is a miss, reported). */
  async get(name: string, now: number): Promise<{ value: string; fetchedAt: string } | undefined> {
    const item = await this.load(name);
    if (!item || item.expiresAt * 1000 <= now) return undefined;
    return { value: item.value, fetchedAt: item.fetchedAt };
  }

  /** Stores `value` for `ttlSeconds`; a lost race means another run just stored a fresh one. */
  async put(name: string, value: string, now: number, ttlSeconds: number): Promise<void> {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > MAX_CACHED_BYTES) {
      this.onProblem(
        `cached read ${name} of ${this.cluster} is ${bytes} bytes, over ${MAX_CACHED_BYTES}; it is read again on every run`,
      );
      return;
    }
    const before = await this.load(name);
    const item: CacheItem = {
      type: 'cache',
      pk: this.cluster,
      sk: `${CACHE_KEY_PREFIX}${name}`,
      fetchedAt: new Date(now).toISOString(),
      expiresAt: Math.floor(now / 1000) + ttlSeconds,
      value,
      version: (before?.version ?? 0) + 1,
    };
    try {
      await this.store.put(item, before?.version);
    } catch (error) {
      this.onProblem(
        `storing cached read ${name} of ${this.cluster} failed (${(error as Error).message}); it is read again on the next run`,
      );
    }
  }

  private async load(name: string): Promise<CacheItem | undefined> {
    const sk = `${CACHE_KEY_PREFIX}${name}`;
    try {
      const items = await this.store.load(this.cluster, sk);
      return items.find((i): i is CacheItem => i.type === 'cache' && i.sk === sk);
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      this.onProblem(
        `reading cached read ${name} of ${this.cluster} failed (${error.message}); reading the source instead`,
      );
      return undefined;
    }
  }
}
