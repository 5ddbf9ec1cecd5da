/**
 * The metric contract between the check function and the alarms and dashboard: a neutral module
 * the stack and the handler both import (the Lambda never imports lib/infra). Powertools Metrics
 * adds the `service` dimension to every metric, so alarms match on `service` + `cluster`.
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
  /**
   * Messages SNS did not take in a run, emitted only when some failed: once with service +
   * cluster (dashboard), once with service alone (the stack's one alarm).
   */
  publishFailures: 'PublishFailures',
  /** Ledger writes DynamoDB rejected in a run; emitted like PublishFailures. */
  ledgerWriteFailures: 'LedgerWriteFailures',
  /**
   * Rules evaluated on a partial answer (a Prometheus store down behind Thanos, Cortex or
   * Mimir); emitted like PublishFailures, only when some were.
   */
  partialRules: 'PartialRules',
} as const;

/** The dimensions of the fleet-wide failure counts the delivery alarms watch. */
export function fleetDimensions(): Record<string, string> {
  return { service: SERVICE_NAME };
}

/** The dimensions of a cluster's CheckCompleted heartbeat. */
export function heartbeatDimensions(cluster: string): Record<string, string> {
  return { service: SERVICE_NAME, cluster };
}
