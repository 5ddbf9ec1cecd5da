/**
 * In-memory ledger store for the CLI and tests, with the same conditional-write semantics as
 * the DynamoDB store: every write checks the stored version.
 */
import type { ScanningLedgerStore, StoredItem, WriteOutcome } from './types';
import { assertNextVersion } from './types';

/** A ledger store in a Map; items are copied in and out so callers cannot alias stored state. */
export class MemoryLedgerStore implements ScanningLedgerStore {
  private readonly clusters = new Map<string, Map<string, StoredItem>>();

  /** All items of a cluster (optionally by sort-key prefix), in sort-key order like a Query. */
  async load(cluster: string, skPrefix = ''): Promise<readonly StoredItem[]> {
    const items = [...(this.clusters.get(cluster)?.values() ?? [])]
      .filter((item) => item.sk.startsWith(skPrefix))
      .sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
    return structuredClone(items);
  }

  /** Every cluster's items whose sort key starts with `skPrefix`. */
  async scan(skPrefix: string): Promise<readonly StoredItem[]> {
    const items = [...this.clusters.values()].flatMap((p) => [...p.values()]);
    return structuredClone(items.filter((item) => item.sk.startsWith(skPrefix)));
  }

  /** Writes when the stored version matches `expectedVersion` (absent when undefined). */
  async put(item: StoredItem, expectedVersion: number | undefined): Promise<WriteOutcome> {
    assertNextVersion(item, expectedVersion);
    const partition = this.partition(item.pk);
    if (partition.get(item.sk)?.version !== expectedVersion) return 'lostRace';
    partition.set(item.sk, structuredClone(item));
    return 'written';
  }

  /** Deletes when the stored version matches. */
  async delete(cluster: string, sk: string, expectedVersion: number): Promise<WriteOutcome> {
    const partition = this.partition(cluster);
    if (partition.get(sk)?.version !== expectedVersion) return 'lostRace';
    partition.delete(sk);
    return 'written';
  }

  private partition(cluster: string): Map<string, StoredItem> {
    let partition = this.clusters.get(cluster);
    if (!partition) {
      partition = new Map();
      this.clusters.set(cluster, partition);
    }
    return partition;
  }
}
