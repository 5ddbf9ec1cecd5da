/** What the Prometheus snapshot builders read: the query outcomes of one collection and how they were asked. */
import type { HistoryWindows, PrometheusJobs, QueryId, QuerySettings } from './queries';
import type { QueryOutcome } from './types';

/** Everything buildPrometheusSnapshot reads. */
export interface PrometheusSnapshotInput {
  readonly cluster: string;
  readonly collectedAt: string;
  readonly outcomes: Readonly<Partial<Record<QueryId, QueryOutcome>>>;
  readonly jobs: PrometheusJobs;
  readonly settings: QuerySettings;
  /** The history windows the collection read with (none: no version or crash-loop history). */
  readonly history?: HistoryWindows;
  /** The selector as the user gave it, for hints. */
  readonly selectorText: string;
}
