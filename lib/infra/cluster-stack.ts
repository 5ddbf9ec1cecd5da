/**
 * A nested stack holding the per-cluster resources of a share of the fleet: the schedule and
 * the EKS access entry (no per-cluster alarm: the StaleClusters alarm watches every cluster). Spreading them over nested stacks keeps a
 * fleet of hundreds of clusters under CloudFormation's 500 resources per stack.
 */
import { Annotations, NestedStack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ClusterConfig } from '../config';
import { scheduleEventAgeSeconds } from './timing';

/** The Kubernetes group the access entry maps the checker's role to (deploy/rbac/skewguard-reader.yaml). */
export const READER_GROUP = 'skewguard-readers';

/** The AWS-managed EKS access policy used with `accessPolicy: view`. */
export const EKS_VIEW_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

/** Resources per cluster at most: schedule, access entry. */
export const RESOURCES_PER_CLUSTER = 2;

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
  /** IANA time zone for cron expressions. */
  readonly timezone?: string;
}

/** Schedules and access entries for a share of the clusters. */
export class ClusterStack extends NestedStack {
  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    const count = props.clusters.length;
    super(scope, id, {
      description: `skewguard: schedules and access entries of ${count} cluster${count === 1 ? '' : 's'}`,
    });
    for (const cluster of props.clusters) {
      const target = props.targetOf(cluster);
      // One scope per cluster: logical ids then carry a hash of the path, so `a-b` and `a.b` never collide.
      const perCluster = new Construct(this, cluster.name);
      addSchedule(perCluster, cluster, target, props);
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
