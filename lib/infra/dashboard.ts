/**
 * The CloudWatch dashboard. Graphs use SEARCH expressions, so every cluster appears without
 * one widget per cluster and the dashboard's size does not grow with the fleet.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMES, METRICS_NAMESPACE } from './metrics';

/** Props of {@link SkewguardDashboard}. */
export interface SkewguardDashboardProps {
  readonly functions: readonly lambda.IFunction[];
  readonly deadLetterQueue: sqs.IQueue;
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

/** Firing findings by cluster and severity, check duration, source errors, and the function itself. */
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
      new cloudwatch.GraphWidget({
        title: 'Check duration per cluster (ms, maximum)',
        left: [search(METRIC_NAMES.checkDurationMs, 'Maximum', '')],
        width: 12,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Source errors by cluster',
        left: [search(METRIC_NAMES.sourceErrors, 'Sum', '')],
        width: 12,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Completed checks',
        left: [search(METRIC_NAMES.checkCompleted, 'Sum', '')],
        width: 8,
        height: 6,
      }),
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
        left: [props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD })],
        width: 8,
        height: 6,
      }),
    );
  }
}
