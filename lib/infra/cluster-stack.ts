/**
 * A nested stack holding the per-cluster resources of a share of the fleet: the schedule,
 * the heartbeat alarm and the EKS access entry. Spreading them over nested stacks keeps a
 * fleet of hundreds of clusters under CloudFormation's 500 resources per stack.
 */
import { Annotations, Duration, NestedStack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as eks from 'aws-cdk-lib/aws-eks';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ClusterConfig } from '../config';
import { heartbeatDimensions, METRIC_NAMES, METRICS_NAMESPACE } from '../util/metrics';
import { heartbeatWindow, scheduleEventAgeSeconds } from './timing';

/** The Kubernetes group the access entry maps the checker's role to (deploy/rbac/skewguard-reader.yaml). */
export const READER_GROUP = 'skewguard-readers';

/** The AWS-managed EKS access policy used with `accessPolicy: view`. */
export const EKS_VIEW_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

/** Resources per cluster at most: schedule, heartbeat alarm, access entry. */
export const RESOURCES_PER_CLUSTER = 3;

/** The function (and its role) that checks one cluster. */
export interface ClusterTarget {
  readonly function: lambda.IFunction;
  readonly role: iam.IRole;
}

/** Props of {@link ClusterStack}. */
export interface ClusterStackProps {
  readonly clusters: readonly ClusterConfig[];
  readonly targetOf: (cluster: ClusterConfig) => ClusterTarget;
  readonly scheduleGroupName: string;
  readonly schedulerRole: iam.IRole;
  readonly deadLetterQueue: sqs.IQueue;
  readonly topic: sns.ITopic;
  /** IANA time zone for cron expressions. */
  readonly timezone?: string;
  readonly heartbeatMissedRuns: number;
}

/** Schedules, heartbeat alarms and access entries for a share of the clusters. */
export class ClusterStack extends NestedStack {
  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    const count = props.clusters.length;
    super(scope, id, {
      description: `skewguard: schedules, heartbeat alarms and access entries of ${count} cluster${count === 1 ? '' : 's'}`,
    });
    for (const cluster of props.clusters) {
      const target = props.targetOf(cluster);
      // One scope per cluster: logical ids then carry a hash of the path, so `a-b` and `a.b` never collide.
      const perCluster = new Construct(this, cluster.name);
      addSchedule(perCluster, cluster, target, props);
      addHeartbeat(perCluster, cluster, props);
      if (cluster.kubernetes?.kind === 'eks' && cluster.kubernetes.grantAccess) {
        const k8s = cluster.kubernetes;
        const entry = new eks.CfnAccessEntry(perCluster, 'AccessEntry', {
          clusterName: k8s.name,
          principalArn: target.role.roleArn,
          type: 'STANDARD',
          ...(k8s.accessPolicy === 'view'
            ? {
                accessPolicies: [
                  { policyArn: EKS_VIEW_POLICY_ARN, accessScope: { type: 'cluster' } },
                ],
              }
            : { kubernetesGroups: [READER_GROUP] }),
        });
        if (k8s.accessPolicy === 'view') {
          Annotations.of(entry).addWarningV2(
            'skewguard:eks-view-policy-cannot-list-nodes',
            `Cluster ${cluster.name} uses accessPolicy: view. AmazonEKSViewPolicy cannot list nodes, so the kubelet and kube-proxy skew rules will be skipped there; ` +
              `drop accessPolicy and apply deploy/rbac/skewguard-reader.yaml to map the ${READER_GROUP} group instead.`,
          );
        }
      }
    }
  }
}

function addSchedule(
  scope: Construct,
  cluster: ClusterConfig,
  target: ClusterTarget,
  props: ClusterStackProps,
): void {
  const cron = cluster.schedule.expression.startsWith('cron(');
  new scheduler.CfnSchedule(scope, 'Schedule', {
    // No name: CloudFormation generates one, so a schedule can move between stacks freely.
    description: `skewguard check of cluster ${cluster.name}`,
    groupName: props.scheduleGroupName,
    scheduleExpression: cluster.schedule.expression,
    ...(cron && props.timezone ? { scheduleExpressionTimezone: props.timezone } : {}),
    flexibleTimeWindow: { mode: 'OFF' },
    state: 'ENABLED',
    target: {
      arn: target.function.functionArn,
      roleArn: props.schedulerRole.roleArn,
      input: JSON.stringify({ cluster: cluster.name }),
      // One retry for a throttled invoke; anything older than a period is superseded by the next run.
      retryPolicy: {
        maximumRetryAttempts: 1,
        maximumEventAgeInSeconds: scheduleEventAgeSeconds(cluster.schedule.periodSeconds),
      },
      deadLetterConfig: { arn: props.deadLetterQueue.queueArn },
    },
  });
}

function addHeartbeat(scope: Construct, cluster: ClusterConfig, props: ClusterStackProps): void {
  const window = heartbeatWindow(cluster.schedule.periodSeconds, props.heartbeatMissedRuns);
  const alarm = new cloudwatch.Alarm(scope, 'Heartbeat', {
    alarmDescription:
      `skewguard: no completed check of cluster ${cluster.name} for ${props.heartbeatMissedRuns} scheduled runs. ` +
      'The cluster is not being watched: see the check function logs and the dead-letter queue.',
    metric: new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: METRIC_NAMES.checkCompleted,
      dimensionsMap: heartbeatDimensions(cluster.name),
      statistic: 'Sum',
      period: Duration.seconds(window.periodSeconds),
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: window.evaluationPeriods,
    datapointsToAlarm: window.evaluationPeriods,
    // No data is exactly the failure this alarm exists for.
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  alarm.addAlarmAction(new actions.SnsAction(props.topic));
}
