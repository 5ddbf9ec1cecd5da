/** The port every source implements: one configured source of a cluster that yields a snapshot. */
import type { ClusterSnapshot, SourceName } from '../rules';

/** One configured source of a cluster, ready to collect (connections and secrets resolved). */
export interface SourceCollector {
  readonly source: SourceName;
  collect(): Promise<ClusterSnapshot>;
}
