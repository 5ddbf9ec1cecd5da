/** The PagerDuty forwarder in the template: present with notifications.pagerDuty, absent without. */
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { PAGERDUTY_ENV } from '../../../lib/notify/pagerduty';
import type { Synthesized } from './support';
import { secretArn, synth } from './support';

/** The stand-in handler also stands in for the forwarder, so the synth bundles in milliseconds. */
const PAGERDUTY_ENTRY = join(__dirname, 'fixtures/handler.ts');
const ROUTING_KEY_ARN = secretArn('pagerduty');
const DESCRIPTION = 'skewguard: forwards machine messages to the PagerDuty Events API v2';

function config(pagerDuty?: unknown): Record<string, unknown> {
  return {
    notifications: {
      emails: ['ops@example.com'],
      ...(pagerDuty ? { pagerDuty } : {}),
    },
    clusters: [
      {
        name: 'lab',
        kubernetes: { server: 'https://10.0.0.1:6443', tokenSecretArn: secretArn('lab-token') },
      },
    ],
  };
}

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };

function statements(s: Synthesized): Statement[] {
  return Object.values(s.template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => (p.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement,
  );
}

const actionsOf = (st: Statement): string[] => (Array.isArray(st.Action) ? st.Action : [st.Action]);
const resourcesOf = (st: Statement): unknown[] =>
  Array.isArray(st.Resource) ? st.Resource : [st.Resource];

describe('with notifications.pagerDuty', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth(
      config({ routingKeySecretArn: ROUTING_KEY_ARN, severities: ['critical', 'warning'] }),
      { pagerDutyEntry: PAGERDUTY_ENTRY },
    );
  });

  function forwarderId(): string {
    const found = s.template.findResources('AWS::Lambda::Function', {
      Properties: { Description: DESCRIPTION },
    });
    const ids = Object.keys(found);
    expect(ids).toHaveLength(1);
    return ids[0]!;
  }

  it('deploys the forwarder on nodejs22.x with the secret ARN and a dead-letter queue', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: DESCRIPTION,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({ [PAGERDUTY_ENV.routingKeySecretArn]: ROUTING_KEY_ARN }),
      },
      DeadLetterConfig: {
        TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('PagerDuty'), 'Arn'] },
      },
    });
    // A refused event would only be refused again: no Lambda retries, the DLQ takes it.
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: forwarderId() },
      MaximumRetryAttempts: 0,
    });
  });

  it('subscribes it to the topic for machine messages at the configured severities, with a redrive policy', () => {
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [forwarderId(), 'Arn'] },
      TopicArn: { Ref: Match.stringLikeRegexp('Topic') },
      FilterPolicyScope: 'MessageAttributes',
      FilterPolicy: { audience: ['machine'], severity: ['critical', 'warning'] },
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('PagerDuty'), 'Arn'] },
      },
    });
    s.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [forwarderId(), 'Arn'] },
      SourceArn: { Ref: Match.stringLikeRegexp('Topic') },
    });
  });

  it('grants secretsmanager:GetSecretValue on the routing key ARN only, to the forwarder only', () => {
    const reading = statements(s).filter((st) => resourcesOf(st).includes(ROUTING_KEY_ARN));
    expect(reading).toEqual([
      {
        Sid: 'ReadPagerDutyRoutingKey',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: ROUTING_KEY_ARN,
      },
    ]);
    const forwarderPolicies = s.template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('PagerDutyRole') }] },
    });
    const granted = Object.values(forwarderPolicies).flatMap((p) =>
      (p.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement.filter((st) =>
        actionsOf(st).some((a) => a.startsWith('secretsmanager:')),
      ),
    );
    expect(granted.flatMap(resourcesOf)).toEqual([ROUTING_KEY_ARN]);
  });

  it('keeps the dead letters in an encrypted queue SNS may write to from this topic only', () => {
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    s.template.resourceCountIs('AWS::SQS::Queue', 2);
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowTopicToDeadLetter',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: { ArnEquals: { 'aws:SourceArn': { Ref: Match.stringLikeRegexp('Topic') } } },
          }),
        ]),
      },
    });
  });

  it('alarms on forwarder errors and dead letters, notifying the topic', () => {
    const alarmAction = { AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }] };
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...alarmAction,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: forwarderId() } }],
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...alarmAction,
      Namespace: 'AWS/SQS',
      MetricName: 'NumberOfMessagesSent',
      AlarmDescription: Match.stringLikeRegexp('did not reach PagerDuty'),
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('PagerDuty'), 'QueueName'] },
        },
      ],
    });
  });
});

describe('without notifications.pagerDuty', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth(config(), { pagerDutyEntry: PAGERDUTY_ENTRY });
  });

  it('deploys no forwarder, subscription, grant, queue or alarm for it', () => {
    expect(s.stack.skewguard.pagerDutyForwarder).toBeUndefined();
    expect(
      Object.keys(
        s.template.findResources('AWS::Lambda::Function', {
          Properties: { Description: DESCRIPTION },
        }),
      ),
    ).toEqual([]);
    expect(
      Object.keys(
        s.template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'lambda' } }),
      ),
    ).toEqual([]);
    s.template.resourceCountIs('AWS::Lambda::Permission', 0);
    s.template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1); // the check function's
    s.template.resourceCountIs('AWS::SQS::Queue', 1); // the schedules' dead letters
    expect(statements(s).filter((st) => st.Sid === 'ReadPagerDutyRoutingKey')).toEqual([]);
    expect(
      Object.keys(
        s.template.findResources('AWS::CloudWatch::Alarm', {
          Properties: { AlarmDescription: Match.stringLikeRegexp('PagerDuty') },
        }),
      ),
    ).toEqual([]);
  });

  it('does not need the forwarder source to exist', () => {
    expect(() => synth(config(), { pagerDutyEntry: '/nonexistent/index.ts' })).not.toThrow();
    expect(() =>
      synth(config({ routingKeySecretArn: ROUTING_KEY_ARN, severities: ['critical'] }), {
        pagerDutyEntry: '/nonexistent/index.ts',
      }),
    ).toThrow(/pagerDutyEntry \/nonexistent\/index.ts does not exist/);
  });
});
