/**
 * The metric contract between the check function and the alarms and dashboard. Kept free of
 * CDK imports so the handler can import it too. Powertools Metrics adds the `service`
 * dimension to every metric, so alarms match on `service` + `cluster`.
 */

/** CloudWatch namespace of skewguard's metrics (POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'Skewguard';

/** Powertools service name (POWERTOOLS_SERVICE_NAME), also the `service` dimension. */
export const SERVICE_NAME = 'skewguard';

/** Metric names the check function emits. */
export const METRIC_NAMES = {
  /** 1 per finished run, dimensions service + cluster: the heartbeat alarm watches it. */
  checkCompleted: 'CheckCompleted',
  /** Firing findings after a run, dimensions service + cluster + severity. */
  findingsFiring: 'FindingsFiring',
  /** Milliseconds one run took, dimensions service + cluster. */
  checkDurationMs: 'CheckDurationMs',
  /** Failed sources in a run, dimensions service + cluster (+ source). */
  sourceErrors: 'SourceErrors',
} as const;

/** The dimensions of a cluster's CheckCompleted heartbeat. */
export function heartbeatDimensions(cluster: string): Record<string, string> {
  return { service: SERVICE_NAME, cluster };
}
