/**
 * The metric contract between the check function and the alarms and dashboard: a neutral module
 * the stack and the handler both import (the Lambda never imports lib/infra). Every series is
 * fleet-wide (no cluster dimension): each distinct name + dimension set costs $0.30 a month, so
 * per-cluster detail travels as plain fields of the EMF log line, read by Logs Insights.
 */

/** CloudWatch namespace of skewguard's metrics (POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'Skewguard';

/** Powertools service name (POWERTOOLS_SERVICE_NAME), also the `service` dimension. */
export const SERVICE_NAME = 'skewguard';

/** Metric names the check function emits. */
export const METRIC_NAMES = {
  /** 1 per finished run (dashboard: completed checks). */
  checkCompleted: 'CheckCompleted',
  /** Firing findings after a run, all severities (per severity in the log line's fields). */
  findingsFiring: 'FindingsFiring',
  /** Milliseconds one run took. */
  checkDurationMs: 'CheckDurationMs',
  /** Failed sources in a run (which ones in the log line's `failedSources`). */
  sourceErrors: 'SourceErrors',
  /** Messages SNS did not take in a run, emitted only when some failed (the stack's alarm). */
  publishFailures: 'PublishFailures',
  /** Ledger writes DynamoDB rejected in a run; emitted like PublishFailures. */
  ledgerWriteFailures: 'LedgerWriteFailures',
  /**
   * Clusters of the run's check function whose last completed run is older than their
   * heartbeat window, per run; dimensions service + heartbeatWindow (the StaleClusters alarm).
   */
  staleClusters: 'StaleClusters',
} as const;

/** Dimension of StaleClusters: the alarm window (`<period>x<evaluations>`) its reporters share. */
export const HEARTBEAT_WINDOW_DIMENSION = 'heartbeatWindow';

/**
 * Fields of the EMF log line that are neither metrics nor dimensions (Powertools metadata): the
 * per-cluster detail the dashboard's Logs Insights widgets group by.
 */
export const EMF_FIELDS = {
  cluster: 'cluster',
  firingCritical: 'firingCritical',
  firingWarning: 'firingWarning',
  firingInfo: 'firingInfo',
  failedSources: 'failedSources',
  /** Rules checked on a partial answer (a Prometheus store down), when any. */
  partialRules: 'partialRules',
} as const;

/** How many of a series exist: one for the fleet, or one per distinct StaleClusters alarm window. */
export type SeriesScope = 'fleet' | 'heartbeatWindow';

/** One billed custom metric series: a name and the dimension names (sorted) it is emitted with. */
export interface MetricSeries {
  readonly name: (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];
  readonly dimensions: readonly string[];
  readonly scope: SeriesScope;
}

/**
 * Every series the check function can emit. The handler emits only these (its tests check each
 * EMF line against the list) and the infra tests count them, so the bill cannot creep back.
 */
export const EMITTED_SERIES: readonly MetricSeries[] = [
  { name: METRIC_NAMES.checkCompleted, dimensions: ['service'], scope: 'fleet' },
  { name: METRIC_NAMES.checkDurationMs, dimensions: ['service'], scope: 'fleet' },
  { name: METRIC_NAMES.findingsFiring, dimensions: ['service'], scope: 'fleet' },
  { name: METRIC_NAMES.sourceErrors, dimensions: ['service'], scope: 'fleet' },
  { name: METRIC_NAMES.publishFailures, dimensions: ['service'], scope: 'fleet' },
  { name: METRIC_NAMES.ledgerWriteFailures, dimensions: ['service'], scope: 'fleet' },
  {
    name: METRIC_NAMES.staleClusters,
    // Sorted, as the tests compare them with an EMF line's dimension set.
    dimensions: [HEARTBEAT_WINDOW_DIMENSION, 'service'],
    scope: 'heartbeatWindow',
  },
];

/** The dimensions of the fleet-wide series (`service` only; Powertools adds it). */
export function fleetDimensions(): Record<string, string> {
  return { service: SERVICE_NAME };
}

/** The dimensions of one StaleClusters series. */
export function staleClustersDimensions(window: string): Record<string, string> {
  return { service: SERVICE_NAME, [HEARTBEAT_WINDOW_DIMENSION]: window };
}
