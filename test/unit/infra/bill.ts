/**
 * The monthly bill of a synthesized stack, computed from what it creates (alarms, the series the
 * handler can emit, the topic key, the dashboard) at the prices docs/deploy.md states, so the
 * bill tests fail when a change adds a per-cluster series or alarm back.
 */
import { EMITTED_SERIES, METRIC_NAMES } from '../../../lib/util/metrics';
import type { Synthesized } from './support';
import { resourcesOfType } from './support';

/** us-east-1 list prices as docs/deploy.md states them (USD). */
export const PRICES = {
  metricMonth: 0.3,
  alarmMonth: 0.1,
  dashboardMonth: 3,
  kmsKeyMonth: 1,
} as const;

/**
 * The per-cluster lines of docs/deploy.md that do not depend on the stack's resources: a
 * 1,000-node cluster at rate(5 minutes), 8,760 runs a month.
 */
export const PER_CLUSTER_USAGE = {
  lambdaCompute: 8760 * 3.5 * 0.5 * 0.0000133334,
  lambdaRequests: (8760 * 0.2) / 1e6,
  scheduler: (8760 * 1.0) / 1e6,
  dynamoDb: (8760 * 4 * 1.25) / 1e6 + (8760 * 4 * 0.25) / 1e6,
  logsIngestion: 0.078 * 0.5,
  logsStorage: 0.078 * 0.03,
  logsInsights: 100 * 4 * (0.08 / 30) * 0.005,
} as const;

/** What a stack costs a month: counts and dollars, per cluster and fixed. */
export interface Bill {
  readonly clusters: number;
  readonly checkFunctions: number;
  /** Custom metric series: names × dimension sets the handler can emit for this stack. */
  readonly series: number;
  readonly seriesPerCluster: number;
  readonly alarms: number;
  readonly alarmsPerCluster: number;
  readonly fixed: number;
  readonly perCluster: number;
}

/** Counts what `s` creates and prices it. */
export function billOf(s: Synthesized, clusters: number): Bill {
  const alarms = Object.values(resourcesOfType(s, 'AWS::CloudWatch::Alarm'));
  // One StaleClusters series per alarm window: the windows are the alarms' dimension values.
  const windows = new Set(
    alarms
      .filter((a) => a.Properties['MetricName'] === METRIC_NAMES.staleClusters)
      .map((a) => JSON.stringify(a.Properties['Dimensions'])),
  ).size;
  const series = EMITTED_SERIES.reduce((n, m) => n + (m.scope === 'fleet' ? 1 : windows), 0);
  // Alarms in the nested stacks are the per-cluster ones (schedules live there).
  const nested = s.clusterTemplates.reduce(
    (n, t) => n + Object.keys(t.findResources('AWS::CloudWatch::Alarm')).length,
    0,
  );
  const keys = Object.keys(s.template.findResources('AWS::KMS::Key')).length;
  const dashboards = Object.keys(s.template.findResources('AWS::CloudWatch::Dashboard')).length;
  const seriesPerCluster = EMITTED_SERIES.filter((m) => m.dimensions.includes('cluster')).length;
  const usage = Object.values(PER_CLUSTER_USAGE).reduce((a, b) => a + b, 0);
  return {
    clusters,
    checkFunctions: s.stack.skewguard.checkFunctions.length,
    series,
    seriesPerCluster,
    alarms: alarms.length,
    alarmsPerCluster: nested / clusters,
    fixed:
      keys * PRICES.kmsKeyMonth +
      dashboards * PRICES.dashboardMonth +
      series * PRICES.metricMonth +
      (alarms.length - nested) * PRICES.alarmMonth,
    perCluster:
      usage + seriesPerCluster * PRICES.metricMonth + (nested / clusters) * PRICES.alarmMonth,
  };
}

/** `$6.70`: how the doc's table writes dollar amounts. */
export function dollars(amount: number): string {
  return `$${amount.toFixed(2)}`;
}
