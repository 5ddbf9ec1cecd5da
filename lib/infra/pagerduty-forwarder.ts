/** The optional PagerDuty forwarder: a Lambda subscribed to the machine messages, its dead-letter queue and alarms. */
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PagerDutyConfig } from '../config';
import { PAGERDUTY_ENV } from '../notify/pagerduty';
import { SERVICE_NAME } from '../util/metrics';
import { CHECK_FUNCTION_BUNDLING, CHECK_FUNCTION_NODE_OPTIONS } from './check-function';
import { filterPolicy } from './notifications';
import { deadLetterQueue } from './dead-letter-queue';

/** Props of {@link PagerDutyForwarder}. */
export interface PagerDutyForwarderProps {
  readonly pagerDuty: PagerDutyConfig;
  /** The forwarder's source file, exporting `handler` (functions/pagerduty/index.ts). */
  readonly entry: string;
  readonly topic: sns.ITopic;
  /** The region of an existing topic, where its subscription must be made; absent: the stack's. */
  readonly topicRegion?: string;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The function's timeout: the handler's worst case is 5 attempts of 8 s plus 7.5 s of backoff
 * (functions/pagerduty/events-api.ts), for the one record SNS delivers per invocation.
 */
const FORWARDER_TIMEOUT = Duration.seconds(60);

/** Forwards the topic's machine messages at the configured severities to PagerDuty's Events API v2. */
export class PagerDutyForwarder extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  /** Events the function failed on and messages SNS could not deliver to it. */
  readonly deadLetterQueue: sqs.Queue;
  readonly subscription: sns.CfnSubscription;
  /** Fires when an invocation failed (PagerDuty refused an event or stayed unreachable). */
  readonly errorsAlarm: cloudwatch.Alarm;
  /** Fires when anything landed in the dead-letter queue. */
  readonly deadLettersAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: PagerDutyForwarderProps) {
    super(scope, id);
    const { pagerDuty, topic } = props;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'skewguard PagerDuty forwarder',
    });
    logGroup.grantWrite(this.role);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadPagerDutyRoutingKey',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [pagerDuty.routingKeySecretArn],
      }),
    );

    this.deadLetterQueue = deadLetterQueue(
      this,
      'DeadLetters',
      'the PagerDuty forwarder and its subscription',
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: 'skewguard: forwards machine messages to the PagerDuty Events API v2',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: FORWARDER_TIMEOUT,
      role: this.role,
      logGroup,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        NODE_OPTIONS: CHECK_FUNCTION_NODE_OPTIONS,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        [PAGERDUTY_ENV.routingKeySecretArn]: pagerDuty.routingKeySecretArn,
      },
      bundling: CHECK_FUNCTION_BUNDLING,
    });
    // The handler already retried what a retry can fix; Lambda's two retries would only post a
    // refused (400) event again, so a failed event goes straight to the dead-letter queue.
    this.function.configureAsyncInvoke({ retryAttempts: 0 });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The runtime is pinned to nodejs22.x on purpose: esbuild targets node22 and the tests run against it; move both together',
    });

    this.function.addPermission('InvokeFromTopic', {
      principal: new iam.ServicePrincipal('sns.amazonaws.com'),
      sourceArn: topic.topicArn,
    });
    // SNS dead-letters what it could not deliver to the function (throttled, deleted), too.
    this.deadLetterQueue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowTopicToDeadLetter',
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
      }),
    );
    // L1 like the other subscriptions (lib/infra/notifications.ts): the same filter policy helper.
    this.subscription = new sns.CfnSubscription(this, 'Subscription', {
      topicArn: topic.topicArn,
      protocol: 'lambda',
      endpoint: this.function.functionArn,
      filterPolicyScope: 'MessageAttributes',
      filterPolicy: filterPolicy('machine', pagerDuty.severities),
      redrivePolicy: { deadLetterTargetArn: this.deadLetterQueue.queueArn },
      ...(props.topicRegion ? { region: props.topicRegion } : {}),
    });

    this.errorsAlarm = this.function
      .metricErrors({ period: Duration.minutes(5), statistic: 'Sum' })
      .createAlarm(this, 'ErrorsAlarm', {
        alarmDescription: `skewguard: the PagerDuty forwarder failed, so a page may be missing. Its log group ${logGroup.logGroupName} says "pagerduty did not take the event" with PagerDuty's answer; the event is in the forwarder's dead-letter queue.`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    // Messages sent, not depth: the depth stays up until someone purges the queue (see skewguard.ts).
    this.deadLettersAlarm = this.deadLetterQueue
      .metricNumberOfMessagesSent({ period: Duration.minutes(5), statistic: 'Sum' })
      .createAlarm(this, 'DeadLettersAlarm', {
        alarmDescription:
          'skewguard: a machine message did not reach PagerDuty; the forwarder dead-letter queue holds it (docs/deploy.md, "PagerDuty", says how to send it again).',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    // Alarms carry no audience attribute, so they reach the human subscriptions, never the
    // forwarder itself (its filter takes audience machine only): a broken pager is told by email.
    for (const alarm of [this.errorsAlarm, this.deadLettersAlarm])
      alarm.addAlarmAction(new actions.SnsAction(topic));
  }
}
