/**
 * The CloudWatch dashboard. Graphs use SEARCH expressions, so every cluster appears without
 * one widget per cluster and the dashboard's size does not grow with the fleet.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../util/metrics';

/** Props of {@link SkewguardDashboard}. */
export interface SkewguardDashboardProps {
  readonly functions: readonly lambda.IFunction[];
  readonly deadLetterQueue: sqs.IQueue;
  /** Stack-wide alarms shown as a status row (delivery failures, dead letters). */
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

/** Firing findings by cluster and severity, check duration, source and delivery failures, and the function itself. */
export class SkewguardDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: SkewguardDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Firing findings by cluster and severity',
        left: [search(METRIC_NAMES.findingsFiring, 'Maximum', '')],
        width: 24,
        height: 8,
        stacked: true,
      }),
    );
    this.dashboard.addWidgets(
      searchGraph(
        'Check duration per cluster (ms, maximum)',
        METRIC_NAMES.checkDurationMs,
        'Maximum',
        12,
      ),
      searchGraph('Source errors by cluster', METRIC_NAMES.sourceErrors, 'Sum', 12),
    );
    this.dashboard.addWidgets(
      searchGraph('Completed checks', METRIC_NAMES.checkCompleted, 'Sum', 8),
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
      searchGraph(
        'Notifications not published, by cluster',
        METRIC_NAMES.publishFailures,
        'Sum',
        8,
      ),
      searchGraph('Ledger writes rejected, by cluster', METRIC_NAMES.ledgerWriteFailures, 'Sum', 8),
      new cloudwatch.AlarmStatusWidget({
        title: 'Delivery and dead-letter alarms',
        alarms: [...(props.alarms ?? [])],
        width: 8,
        height: 6,
      }),
    );
  }
}
