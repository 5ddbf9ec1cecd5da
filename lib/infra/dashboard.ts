/**
 * The CloudWatch dashboard: fleet-wide graphs of skewguard's few metric series (SEARCH, so every
 * dimension appears without listing it), and per-cluster tables from Logs Insights queries over
 * the run's EMF lines, so no cluster needs a metric series of its own.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EMF_FIELDS, METRIC_NAMES, METRICS_NAMESPACE } from '../util/metrics';

/** Props of {@link SkewguardDashboard}. */
export interface SkewguardDashboardProps {
  readonly functions: readonly lambda.IFunction[];
  /** The check functions' log groups, which the Logs Insights widgets query. */
  readonly logGroups: readonly logs.ILogGroup[];
  readonly deadLetterQueue: sqs.IQueue;
  /** Stack-wide alarms shown as a status row (stale clusters, delivery failures, dead letters). */
  readonly alarms?: readonly cloudwatch.IAlarm[];
}

const PERIOD = Duration.minutes(5);

/** A SEARCH over one skewguard metric, across whatever dimensions the function emitted. */
function search(metricName: string, statistic: string, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('Namespace="${METRICS_NAMESPACE}" MetricName="${metricName}"', '${statistic}', ${PERIOD.toSeconds()})`,
    usingMetrics: {},
    label,
    period: PERIOD,
  });
}

/** A graph of one SEARCH over a skewguard metric. */
function searchGraph(
  title: string,
  metricName: string,
  statistic: string,
  width: number,
): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    left: [search(metricName, statistic, '')],
    width,
    height: 6,
  });
}

const M = METRIC_NAMES;
const F = EMF_FIELDS;

/**
 * Logs Insights queries over the run's EMF lines (one per completed run, the cluster a plain
 * field). Each view scans the log groups for the dashboard's time range ($0.005 per GB).
 */
export const CLUSTER_QUERIES = {
  firing: [
    `filter ispresent(${M.checkCompleted})`,
    `stats latest(${F.firingCritical}) as critical, latest(${F.firingWarning}) as warning, latest(${F.firingInfo}) as info, latest(${M.findingsFiring}) as firing by ${F.cluster}`,
    'sort critical desc, warning desc, firing desc',
  ],
  sourceErrors: [
    `filter ${M.sourceErrors} > 0`,
    `stats sum(${M.sourceErrors}) as sourceErrors, count(*) as runsWithErrors, latest(${F.failedSources}) as failedSources by ${F.cluster}`,
    'sort sourceErrors desc',
  ],
  duration: [
    `filter ispresent(${M.checkDurationMs})`,
    `stats max(${M.checkDurationMs}) as maxMs, avg(${M.checkDurationMs}) as avgMs, count(*) as runs by ${F.cluster}`,
    'sort maxMs desc',
  ],
  delivery: [
    `filter ispresent(${M.publishFailures}) or ispresent(${M.ledgerWriteFailures})`,
    `stats sum(${M.publishFailures}) as notPublished, sum(${M.ledgerWriteFailures}) as writesRejected by ${F.cluster}`,
    'sort notPublished desc, writesRejected desc',
  ],
} as const;

/** Firing findings, check duration, source and delivery failures per cluster and fleet-wide, and the function itself. */
export class SkewguardDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: SkewguardDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
    });
    const logGroupNames = props.logGroups.map((g) => g.logGroupName);
    const table = (title: string, queryLines: readonly string[], width: number) =>
      new cloudwatch.LogQueryWidget({
        title,
        logGroupNames,
        queryLines: [...queryLines],
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        width,
        height: 8,
      });
    this.dashboard.addWidgets(
      table('Firing findings by cluster and severity (latest run)', CLUSTER_QUERIES.firing, 12),
      table('Source errors by cluster', CLUSTER_QUERIES.sourceErrors, 12),
    );
    this.dashboard.addWidgets(
      table('Check duration by cluster (ms)', CLUSTER_QUERIES.duration, 12),
      table(
        'Notifications not published and ledger writes rejected, by cluster',
        CLUSTER_QUERIES.delivery,
        12,
      ),
    );
    this.dashboard.addWidgets(
      searchGraph('Firing findings, fleet (sum over runs)', M.findingsFiring, 'Sum', 8),
      searchGraph('Check duration, fleet (ms, maximum)', M.checkDurationMs, 'Maximum', 8),
      searchGraph('Clusters stopped (StaleClusters, maximum)', M.staleClusters, 'Maximum', 8),
    );
    this.dashboard.addWidgets(
      searchGraph('Completed checks', M.checkCompleted, 'Sum', 8),
      new cloudwatch.GraphWidget({
        title: 'Check function errors and throttles',
        left: props.functions.flatMap((fn) => [
          fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
          fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        ]),
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-lettered schedule invocations',
        left: [
          props.deadLetterQueue.metricNumberOfMessagesSent({ period: PERIOD, statistic: 'Sum' }),
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD }),
        ],
        width: 8,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      searchGraph('Source errors, fleet', M.sourceErrors, 'Sum', 8),
      searchGraph('Notifications not published, fleet', M.publishFailures, 'Sum', 8),
      searchGraph('Ledger writes rejected, fleet', M.ledgerWriteFailures, 'Sum', 8),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Heartbeat, delivery and dead-letter alarms',
        alarms: [...(props.alarms ?? [])],
        width: 24,
        height: 6,
      }),
    );
  }
}
