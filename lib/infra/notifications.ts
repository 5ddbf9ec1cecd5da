/** The SNS topic skewguard publishes to, its KMS key and the subscriptions from the config. */
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Aws, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { Audience, NotificationsConfig } from '../config';
import { regionOfArn } from '../config';
import type { Severity } from '../rules';
import { SEVERITIES, severityRank } from '../rules';

/** Props of {@link Notifications}. */
export interface NotificationsProps {
  readonly notifications: NotificationsConfig;
  readonly emailMinSeverity: Severity;
  /** What happens to the topic key when the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
}

/** Severities at `min` and worse, worst first. */
export function severitiesFrom(min: Severity): Severity[] {
  return SEVERITIES.filter((s) => severityRank(s) >= severityRank(min));
}

/**
 * An SNS filter policy selecting one audience at some severities. Subscriptions for people
 * (audience `human`) also accept messages without an `audience` attribute (skewguard's own
 * CloudWatch alarms, which cannot carry message attributes) and the upgrade plan at any
 * severity: a cluster's `plan:` option is the request for it, so a clear plan (info) is not
 * filtered out by a warning-and-worse email.
 */
export function filterPolicy(
  audience: Audience,
  severities: readonly Severity[],
): Record<string, unknown> {
  const findings = { audience: [audience], severity: [...severities] };
  if (audience !== 'human') return findings;
  return {
    $or: [findings, { audience: [{ exists: false }] }, { audience: ['human'], status: ['plan'] }],
  };
}

/** Conditions admitting CloudWatch only on behalf of this account's alarms in the stack's region. */
function alarmSourceConditions(): Record<string, unknown> {
  return {
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    ArnLike: {
      'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
    },
  };
}

/** The topic (created, or an existing one by ARN) and its subscriptions. */
export class Notifications extends Construct {
  /** Where the check function publishes and the alarms notify. */
  readonly topic: sns.ITopic;
  /** The key encrypting the topic: created with it, or the configured key of an existing topic. */
  readonly topicKey?: kms.IKey;
  /** The region of an existing topic, where subscriptions to it are made; absent: the stack's. */
  readonly topicRegion?: string;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const { notifications } = props;
    if (notifications.topicArn) {
      this.topic = sns.Topic.fromTopicArn(this, 'Topic', notifications.topicArn);
      this.topicRegion = regionOfArn(notifications.topicArn);
      this.checkTopicRegion(notifications.topicArn, this.topicRegion);
      if (notifications.topicKeyArn)
        this.topicKey = kms.Key.fromKeyArn(this, 'TopicKey', notifications.topicKeyArn);
    } else {
      const key = new kms.Key(this, 'TopicKey', {
        description: 'skewguard: encrypts the notification topic',
        enableKeyRotation: true,
        removalPolicy: props.removalPolicy,
      });
      // CloudWatch alarms publish to the encrypted topic; without this the alarm actions fail.
      // No source conditions here, as AWS documents the statement: it is not documented that
      // CloudWatch's KMS calls carry aws:SourceArn, and a condition they fail would silence every
      // alarm. The topic policy below limits who may publish (confused deputy) instead.
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToUseTheKey',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
        }),
      );
      const topic = new sns.Topic(this, 'Topic', {
        displayName: 'skewguard',
        masterKey: key,
        enforceSSL: true,
      });
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToPublish',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: alarmSourceConditions(),
        }),
      );
      this.topic = topic;
      this.topicKey = key;
    }
    notifications.emails.forEach((email, i) => {
      this.subscribe(
        `Email${i}`,
        'email',
        email,
        filterPolicy('human', severitiesFrom(props.emailMinSeverity)),
      );
    });
    notifications.https.forEach((endpoint, i) => {
      this.subscribe(
        `Https${i}`,
        'https',
        endpoint.url,
        filterPolicy(endpoint.audience, endpoint.severities),
      );
    });
  }

  /**
   * CloudWatch alarm actions can only notify a topic in the alarm's region, and the alarms live
   * in the stack's region: an existing topic elsewhere cannot work. Rejected when the stack's
   * region is known; an environment-agnostic stack gets a warning (its region is set at deploy).
   */
  private checkTopicRegion(topicArn: string, topicRegion: string | undefined): void {
    const stackRegion = Stack.of(this).region;
    if (topicRegion === undefined) return;
    if (Token.isUnresolved(stackRegion)) {
      Annotations.of(this).addWarningV2(
        'skewguard:topic-region',
        `notifications.topicArn ${topicArn} is in ${topicRegion}: deploy this stack to ${topicRegion} too, or the alarms cannot notify it (CloudWatch alarm actions need a topic in the alarm's region).`,
      );
    } else if (stackRegion !== topicRegion) {
      throw new Error(
        `config: notifications.topicArn ${topicArn} is in ${topicRegion}, but the stack deploys to ${stackRegion}; CloudWatch alarms can only notify a topic in their own region. ` +
          `Deploy the stack to ${topicRegion}, or use a topic in ${stackRegion} (or leave topicArn out and let skewguard create one).`,
      );
    }
  }

  private subscribe(
    id: string,
    protocol: string,
    endpoint: string,
    policy: Record<string, unknown>,
  ): void {
    // L1 on purpose: the L2 filter types cannot express the `$or` that lets alarms through.
    new sns.CfnSubscription(this, id, {
      topicArn: this.topic.topicArn,
      protocol,
      endpoint,
      filterPolicyScope: 'MessageAttributes',
      filterPolicy: policy,
      // An existing topic may live in another region; the subscription must be made there.
      ...(this.topicRegion ? { region: this.topicRegion } : {}),
    });
  }
}
