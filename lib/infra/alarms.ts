/** The fleet-wide alarms on skewguard's own metrics: delivery failures and stale clusters. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { HeartbeatWindow } from '../util/heartbeat';
import { staleAlarmWindow, windowDimension } from '../util/heartbeat';
import {
  fleetDimensions,
  METRIC_NAMES,
  METRICS_NAMESPACE,
  staleClustersDimensions,
} from '../util/metrics';

/** Sum ≥ 1 of a fleet-wide failure count (service dimension only) in one period. */
export function failureAlarm(
  scope: Construct,
  id: string,
  props: { readonly metricName: string; readonly period: Duration; readonly description: string },
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: props.description,
    metric: new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: props.metricName,
      dimensionsMap: fleetDimensions(),
      statistic: 'Sum',
      period: props.period,
    }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    // The count is emitted only when something failed; silence is the healthy state.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** What a StaleClusters alarm needs of one check function. */
export interface StaleClustersSource {
  readonly periodsSeconds: readonly number[];
}

/**
 * One StaleClusters alarm per distinct alarm window among the check functions (a fleet on one
 * schedule has one): the maximum any run reported ≥ 1 in every period of the window, or no
 * report at all. Missing data breaches, so every check stopping alarms as well as one cluster.
 */
export function staleClustersAlarms(
  scope: Construct,
  sources: readonly StaleClustersSource[],
  missedRuns: number,
  topic: sns.ITopic,
): cloudwatch.Alarm[] {
  const windows = new Map<string, HeartbeatWindow>();
  for (const source of sources) {
    const window = staleAlarmWindow(source.periodsSeconds, missedRuns);
    windows.set(windowDimension(window), window);
  }
  return [...windows].map(([dimension, window], i) => {
    const alarm = new cloudwatch.Alarm(
      scope,
      i === 0 ? 'StaleClustersAlarm' : `StaleClustersAlarm${dimension}`,
      {
        alarmDescription:
          `skewguard: a cluster has not completed a check for ${missedRuns} scheduled runs, or no check reported at all (heartbeat window ${dimension}). ` +
          'The check function logs say "clusters stopped completing checks" with their names; see also the function errors, the dead-letter queue and the cluster\'s SourceUnavailable finding.',
        metric: new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: METRIC_NAMES.staleClusters,
          dimensionsMap: staleClustersDimensions(dimension),
          statistic: 'Maximum',
          period: Duration.seconds(window.periodSeconds),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // The handler reports a cluster stale that many periods early (staleAfterSeconds).
        evaluationPeriods: window.evaluationPeriods,
        datapointsToAlarm: window.evaluationPeriods,
        // No report at all means no check ran anywhere in this window: the worst case.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      },
    );
    alarm.addAlarmAction(new actions.SnsAction(topic));
    return alarm;
  });
}
