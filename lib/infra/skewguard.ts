/** The skewguard deployment: check functions, schedules, topic, ledger, alarms and dashboard. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Annotations, Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ClusterConfig, SkewguardConfig } from '../config';
import { CheckFunction } from './check-function';
import type { ClusterTarget } from './cluster-stack';
import { ClusterStack, RESOURCES_PER_CLUSTER } from './cluster-stack';
import { SkewguardDashboard } from './dashboard';
import { Notifications } from './notifications';
import { PagerDutyForwarder } from './pagerduty-forwarder';
import { bucketClusters, groupByPlacement } from './placement';
import { METRIC_NAMES } from '../util/metrics';
import { failureAlarm, staleClustersAlarms } from './alarms';
import { heartbeatWindow, lambdaEventAgeSeconds } from './timing';
import { deadLetterQueue } from './dead-letter-queue';

/** The check handler in this repository. */
export const DEFAULT_ENTRY = resolve(__dirname, '../../functions/check/index.ts');

/** The PagerDuty forwarder in this repository. */
export const DEFAULT_PAGERDUTY_ENTRY = resolve(__dirname, '../../functions/pagerduty/index.ts');

/** Room left in each nested stack for what CloudFormation or CDK may add. */
const NESTED_STACK_RESOURCE_BUDGET = 480;

/** Props of {@link Skewguard}. */
export interface SkewguardProps {
  /** The validated config (`loadConfig`). */
  readonly config: SkewguardConfig;
  /**
   * The check handler's source file, exporting `handler`.
   * @default functions/check/index.ts of this repository
   */
  readonly entry?: string;
  /**
   * The PagerDuty forwarder's source file, exporting `handler`; used only with
   * `notifications.pagerDuty` in the config.
   * @default functions/pagerduty/index.ts of this repository
   */
  readonly pagerDutyEntry?: string;
  /**
   * Memory of the check function in MB (CPU scales with it).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Timeout of one check run; at most the shortest schedule period, so runs do not pile up.
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
  /**
   * Retention of the check function's logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the ledger table, the topic key and the logs when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Nested stacks the per-cluster resources are hashed into (each ≤ 160 clusters). Changing it
   * moves clusters between stacks, which recreates their EKS access entries.
   * @default 8
   */
  readonly clusterStackCount?: number;
  /**
   * Scheduled runs without a completed check before the StaleClusters alarm fires for a cluster
   * (and without an invocation before a check function's heartbeat alarm fires).
   * @default 3
   */
  readonly heartbeatMissedRuns?: number;
  /**
   * Largest config (JSON bytes) passed in SKEWGUARD_CONFIG; larger configs are bundled as a
   * file (Lambda allows 4 KB of environment in total).
   * @default 3072
   */
  readonly maxInlineConfigBytes?: number;
}

/** Everything skewguard deploys for one config. */
export class Skewguard extends Construct {
  /** One check function per VPC placement. */
  readonly checkFunctions: readonly CheckFunction[];
  readonly ledgerTable: dynamodb.Table;
  readonly notifications: Notifications;
  /** Present only with `notifications.pagerDuty` in the config. */
  readonly pagerDutyForwarder?: PagerDutyForwarder;
  readonly deadLetterQueue: sqs.Queue;
  readonly scheduleGroup: scheduler.CfnScheduleGroup;
  readonly schedulerRole: iam.Role;
  /** The nested stacks holding schedules and access entries, by bucket. */
  readonly clusterStacks: readonly ClusterStack[];
  readonly dashboard: SkewguardDashboard;
  /** Fires when the Scheduler dead-lettered an invocation in the last 5 minutes. */
  readonly deadLettersAlarm: cloudwatch.Alarm;
  /** Fires when any check failed to publish a message within one schedule period. */
  readonly publishFailuresAlarm: cloudwatch.Alarm;
  /** Fires when DynamoDB rejected any ledger write within one schedule period. */
  readonly ledgerWriteFailuresAlarm: cloudwatch.Alarm;
  /**
   * Fires when a cluster stopped completing checks, or none did (one per distinct heartbeat
   * window of the check functions; usually exactly one).
   */
  readonly staleClustersAlarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: SkewguardProps) {
    super(scope, id);
    const { config } = props;
    const tunables = validateProps(props);

    this.ledgerTable = new dynamodb.Table(this, 'Ledger', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: tunables.removalPolicy,
    });

    this.notifications = new Notifications(this, 'Notifications', {
      notifications: config.notifications,
      emailMinSeverity: config.defaults.emailMinSeverity,
      removalPolicy: tunables.removalPolicy,
    });
    const { topic, topicKey } = this.notifications;
    if (
      config.notifications.emails.length === 0 &&
      config.notifications.https.length === 0 &&
      !config.notifications.pagerDuty &&
      !config.notifications.topicArn
    ) {
      Annotations.of(this).addWarningV2(
        'skewguard:no-subscribers',
        'The config lists no notifications.emails, notifications.https or notifications.pagerDuty: findings and alarms reach nobody until something subscribes to the topic.',
      );
    }

    if (config.notifications.pagerDuty) {
      this.pagerDutyForwarder = new PagerDutyForwarder(this, 'PagerDuty', {
        pagerDuty: config.notifications.pagerDuty,
        entry: tunables.pagerDutyEntry,
        topic,
        ...(this.notifications.topicRegion ? { topicRegion: this.notifications.topicRegion } : {}),
        logRetention: tunables.logRetention,
        removalPolicy: tunables.removalPolicy,
      });
    }

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters', 'the schedules');

    const groups = groupByPlacement(config.clusters);
    const targets = new Map<string, ClusterTarget>();
    this.checkFunctions = groups.map((group) => {
      const fn = new CheckFunction(this, group.id, {
        config,
        clusters: group.clusters,
        ...(group.vpc ? { vpc: group.vpc } : {}),
        entry: tunables.entry,
        memorySize: tunables.memorySize,
        timeout: tunables.timeout,
        logRetention: tunables.logRetention,
        removalPolicy: tunables.removalPolicy,
        maxInlineConfigBytes: tunables.maxInlineConfigBytes,
        maxEventAgeSeconds: lambdaEventAgeSeconds(
          Math.min(...group.clusters.map((c) => c.schedule.periodSeconds)),
        ),
        heartbeatMissedRuns: tunables.heartbeatMissedRuns,
        table: this.ledgerTable,
        topic,
        ...(topicKey ? { topicKey } : {}),
      });
      for (const cluster of group.clusters)
        targets.set(cluster.name, { function: fn.function, role: fn.role });
      return fn;
    });

    this.scheduleGroup = new scheduler.CfnScheduleGroup(this, 'ScheduleGroup', {});
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'skewguard: lets EventBridge Scheduler invoke the check functions',
      // Confused-deputy guard: only schedules of this account may assume the role.
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeCheckFunctions',
        actions: ['lambda:InvokeFunction'],
        resources: this.checkFunctions.map((f) => f.function.functionArn),
      }),
    );
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DeadLetterFailedInvocations',
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
      }),
    );

    this.checkAccessEntryRegions(config.clusters);
    this.clusterStacks = bucketClusters(config.clusters, tunables.clusterStackCount).flatMap(
      (clusters, bucket) => {
        if (clusters.length === 0) return [];
        return [
          new ClusterStack(this, `Clusters${bucket}`, {
            clusters,
            targetOf: (cluster) => {
              const target = targets.get(cluster.name);
              if (!target) throw new Error(`no check function for cluster ${cluster.name}`);
              return target;
            },
            scheduleGroupName: this.scheduleGroup.ref,
            schedulerRole: this.schedulerRole,
            deadLetterQueue: this.deadLetterQueue,
            ...(config.defaults.timezone ? { timezone: config.defaults.timezone } : {}),
          }),
        ];
      },
    );

    // Messages sent, not queue depth: depth stays ≥ 1 until someone purges the queue, so the
    // alarm would never return to OK and later failures would go unnoticed.
    this.deadLettersAlarm = this.deadLetterQueue
      .metricNumberOfMessagesSent({ period: Duration.minutes(5), statistic: 'Sum' })
      .createAlarm(this, 'DeadLettersAlarm', {
        alarmDescription:
          'skewguard: EventBridge Scheduler could not invoke a check function; the dead-letter queue holds the failed events and the reason.',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.deadLettersAlarm.addAlarmAction(new actions.SnsAction(topic));

    const deliveryPeriod = Duration.seconds(
      heartbeatWindow(Math.min(...config.clusters.map((c) => c.schedule.periodSeconds)), 1)
        .periodSeconds,
    );
    this.publishFailuresAlarm = failureAlarm(this, 'PublishFailuresAlarm', {
      metricName: METRIC_NAMES.publishFailures,
      period: deliveryPeriod,
      description:
        'skewguard: a check could not publish some notifications to the topic (they stay owed and are retried next run). The check function logs say "publish failed" with the audience and the error.',
    });
    this.ledgerWriteFailuresAlarm = failureAlarm(this, 'LedgerWriteFailuresAlarm', {
      metricName: METRIC_NAMES.ledgerWriteFailures,
      period: deliveryPeriod,
      description:
        'skewguard: DynamoDB rejected ledger writes of a check (notices are delayed or may repeat once). The check function logs say "ledger write rejected" with the item and the error.',
    });
    for (const alarm of [this.publishFailuresAlarm, this.ledgerWriteFailuresAlarm])
      alarm.addAlarmAction(new actions.SnsAction(topic));
    this.staleClustersAlarms = staleClustersAlarms(
      this,
      groups.map((group) => ({
        periodsSeconds: group.clusters.map((c) => c.schedule.periodSeconds),
      })),
      tunables.heartbeatMissedRuns,
      topic,
    );

    this.dashboard = new SkewguardDashboard(this, 'Dashboard', {
      functions: this.checkFunctions.map((f) => f.function),
      logGroups: this.checkFunctions.map((f) => f.logGroup),
      deadLetterQueue: this.deadLetterQueue,
      alarms: [
        ...this.staleClustersAlarms,
        ...this.checkFunctions.map((f) => f.heartbeatAlarm),
        this.publishFailuresAlarm,
        this.ledgerWriteFailuresAlarm,
        this.deadLettersAlarm,
        ...(this.pagerDutyForwarder
          ? [this.pagerDutyForwarder.errorsAlarm, this.pagerDutyForwarder.deadLettersAlarm]
          : []),
      ],
    });
  }

  /**
   * An access entry can only be created in its cluster's region, so every cluster with
   * `grantAccess` must be in the stack's region. Checked here when the region is known; an
   * environment-agnostic stack deployed elsewhere fails at the access entry ("No cluster found").
   */
  private checkAccessEntryRegions(clusters: readonly ClusterConfig[]): void {
    const granted = clusters.flatMap((c, i) =>
      c.kubernetes?.kind === 'eks' && c.kubernetes.grantAccess
        ? [{ index: i, name: c.name, region: c.kubernetes.region }]
        : [],
    );
    const regions = [...new Set(granted.map((g) => g.region))];
    if (regions.length === 0) return;
    const describe = (region: string) =>
      granted
        .filter((g) => g.region === region)
        .map((g) => `clusters[${g.index}] ${g.name}`)
        .join(', ');
    if (regions.length > 1) {
      throw new Error(
        `config: grantAccess: true needs every such EKS cluster in the stack's region, but they span ${regions.join(', ')} (${regions.map((r) => `${r}: ${describe(r)}`).join('; ')}). ` +
          'Deploy one stack per region with its own config, or set grantAccess: false and create the access entries yourself.',
      );
    }
    const region = regions[0] ?? '';
    const stackRegion = Stack.of(this).region;
    if (!Token.isUnresolved(stackRegion) && stackRegion !== region) {
      throw new Error(
        `config: ${describe(region)} use grantAccess: true in ${region}, but the stack deploys to ${stackRegion}; ` +
          `deploy to ${region} or set grantAccess: false and create the access entries in ${region} yourself.`,
      );
    }
  }
}

interface Tunables {
  readonly entry: string;
  readonly pagerDutyEntry: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly clusterStackCount: number;
  readonly heartbeatMissedRuns: number;
  readonly maxInlineConfigBytes: number;
}

/** Applies the defaults and rejects values and combinations that cannot work, naming the prop. */
function validateProps(props: SkewguardProps): Tunables {
  const entry = props.entry ?? DEFAULT_ENTRY;
  if (!existsSync(entry)) {
    throw new Error(
      `Skewguard: entry ${entry} does not exist; pass the check handler's source file as the entry prop`,
    );
  }
  const pagerDutyEntry = props.pagerDutyEntry ?? DEFAULT_PAGERDUTY_ENTRY;
  if (props.config.notifications.pagerDuty && !existsSync(pagerDutyEntry)) {
    throw new Error(
      `Skewguard: pagerDutyEntry ${pagerDutyEntry} does not exist; pass the PagerDuty forwarder's source file as the pagerDutyEntry prop`,
    );
  }
  const memorySize = props.memorySize ?? 512;
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240) {
    throw new Error(`Skewguard: memorySize ${memorySize} is outside Lambda's 128–10240 MB`);
  }
  const timeout = props.timeout ?? Duration.seconds(60);
  const timeoutSeconds = timeout.toSeconds();
  const shortest = Math.min(...props.config.clusters.map((c) => c.schedule.periodSeconds));
  if (timeoutSeconds < 1 || timeoutSeconds > 900) {
    throw new Error(`Skewguard: timeout ${timeoutSeconds}s is outside Lambda's 1–900 s`);
  }
  if (timeoutSeconds > shortest) {
    throw new Error(
      `Skewguard: timeout ${timeoutSeconds}s is longer than the shortest schedule period (${shortest}s); runs would overlap — lower timeout or slow the schedule`,
    );
  }
  const clusterStackCount = props.clusterStackCount ?? 8;
  if (!Number.isInteger(clusterStackCount) || clusterStackCount < 1 || clusterStackCount > 50) {
    throw new Error(
      `Skewguard: clusterStackCount ${clusterStackCount} must be a whole number from 1 to 50`,
    );
  }
  const fullest = Math.max(
    ...bucketClusters(props.config.clusters, clusterStackCount).map((b) => b.length),
  );
  if (fullest * RESOURCES_PER_CLUSTER > NESTED_STACK_RESOURCE_BUDGET) {
    throw new Error(
      `Skewguard: with clusterStackCount ${clusterStackCount}, one nested stack would hold ${fullest} clusters (${fullest * RESOURCES_PER_CLUSTER} resources, over CloudFormation's limit); raise clusterStackCount`,
    );
  }
  const heartbeatMissedRuns = props.heartbeatMissedRuns ?? 3;
  if (
    !Number.isInteger(heartbeatMissedRuns) ||
    heartbeatMissedRuns < 1 ||
    heartbeatMissedRuns > 10
  ) {
    throw new Error(
      `Skewguard: heartbeatMissedRuns ${heartbeatMissedRuns} must be a whole number from 1 to 10`,
    );
  }
  const maxInlineConfigBytes = props.maxInlineConfigBytes ?? 3072;
  if (
    !Number.isInteger(maxInlineConfigBytes) ||
    maxInlineConfigBytes < 0 ||
    maxInlineConfigBytes > 3500
  ) {
    throw new Error(
      `Skewguard: maxInlineConfigBytes ${maxInlineConfigBytes} must be 0–3500; the other variables need the rest of Lambda's 4 KB`,
    );
  }
  return {
    entry,
    pagerDutyEntry,
    memorySize,
    timeout,
    logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    clusterStackCount,
    heartbeatMissedRuns,
    maxInlineConfigBytes,
  };
}
