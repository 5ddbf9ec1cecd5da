import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CONFIG_ENV, loadConfigFromEnvironment } from '../../../lib/config';
import { EKS_VIEW_POLICY_ARN, LEDGER_ACTIONS, READER_GROUP } from '../../../lib/infra';
import { CONFIG_STAGING_PREFIX } from '../../../lib/infra/check-function';
import { CLUSTER_QUERIES } from '../../../lib/infra/dashboard';
import type { Synthesized } from './support';
import { ampUrl, resourcesOfType, secretArn, synth } from './support';

const SUBNETS = ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'];
const GROUPS = ['sg-0123456789abcdef0'];

/** One config that exercises every branch: EKS with and without access, view policy, AMP, tokens, VPC. */
const FLEET = {
  defaults: { timezone: 'Europe/Berlin', emailMinSeverity: 'warning' },
  notifications: {
    emails: ['ops@example.com', 'lead@example.com'],
    https: [
      { url: 'https://pager.example/hook', severities: ['critical'], audience: 'machine' },
      { url: 'https://chat.example/hook', severities: ['critical', 'warning'], audience: 'chat' },
      {
        url: 'https://mail-relay.example/hook',
        severities: ['critical', 'warning', 'info'],
        audience: 'human',
      },
    ],
  },
  clusters: [
    {
      name: 'prod-eu',
      kubernetes: { eks: { name: 'prod-eu-1', region: 'eu-west-1', grantAccess: true } },
      prometheus: { url: ampUrl('ws-prod'), auth: { type: 'sigv4' } },
    },
    {
      name: 'view-eu',
      kubernetes: {
        eks: { name: 'view-eu-1', region: 'eu-west-1', grantAccess: true, accessPolicy: 'view' },
      },
    },
    {
      name: 'manual-us',
      kubernetes: { eks: { name: 'manual', region: 'us-east-1', grantAccess: false } },
      prometheus: { url: ampUrl('ws-us', 'us-east-1'), auth: { type: 'sigv4' } },
    },
    {
      name: 'lab',
      kubernetes: {
        server: 'https://10.0.0.1:6443',
        caSecretArn: secretArn('lab-ca'),
        tokenSecretArn: secretArn('lab-token'),
      },
      prometheus: {
        url: 'https://prom.lab.example',
        auth: { type: 'basic', secretArn: secretArn('lab-prom') },
      },
      vpc: { subnetIds: SUBNETS, securityGroupIds: GROUPS },
      schedule: 'cron(0/15 * * * ? *)',
    },
    {
      name: 'lab.two',
      kubernetes: {
        server: 'https://10.0.0.2:6443',
        kubeconfigSecretArn: secretArn('lab2-kubeconfig'),
      },
      prometheus: { url: 'http://10.0.0.2:9090', auth: { type: 'none' } },
      vpc: { subnetIds: [...SUBNETS].reverse(), securityGroupIds: GROUPS },
    },
  ],
};

let s: Synthesized;
beforeAll(() => {
  s = synth(FLEET);
});

/** Every statement of every IAM policy in the app. */
function iamStatements(): { Sid?: string; Action: string | string[]; Resource: unknown }[] {
  return Object.values(resourcesOfType(s, 'AWS::IAM::Policy')).flatMap(
    (p) => (p.Properties['PolicyDocument'] as { Statement: [] }).Statement,
  );
}

/** The check function whose description names `cluster`. */
function functionFor(cluster: string): { id: string; props: Record<string, unknown> } {
  const functions = s.template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp(`skewguard check: .*\\b${cluster}\\b`) },
  });
  const [id, fn] = Object.entries(functions)[0] ?? [];
  if (!id || !fn) throw new Error(`no check function for ${cluster}`);
  return { id, props: fn.Properties as Record<string, unknown> };
}

describe('schedules', () => {
  it('creates one schedule per cluster with {cluster} as input, one retry and a period-long event age', () => {
    const schedules = resourcesOfType(s, 'AWS::Scheduler::Schedule');
    expect(Object.keys(schedules)).toHaveLength(FLEET.clusters.length);
    const byCluster = Object.fromEntries(
      Object.values(schedules).map((r) => {
        const target = r.Properties['Target'] as { Input: string };
        return [(JSON.parse(target.Input) as { cluster: string }).cluster, r.Properties];
      }),
    );
    expect(Object.keys(byCluster).sort()).toEqual(FLEET.clusters.map((c) => c.name).sort());
    expect(byCluster['prod-eu']).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Input: '{"cluster":"prod-eu"}',
        RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 300 },
        DeadLetterConfig: { Arn: expect.anything() },
      },
    });
    expect(byCluster['prod-eu']).not.toHaveProperty('ScheduleExpressionTimezone');
    expect(byCluster['lab']).toMatchObject({
      ScheduleExpression: 'cron(0/15 * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: { RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 900 } },
    });
  });

  it('puts the schedules in one schedule group', () => {
    s.template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    for (const schedule of Object.values(resourcesOfType(s, 'AWS::Scheduler::Schedule'))) {
      expect(schedule.Properties['GroupName']).toEqual({
        Ref: expect.stringMatching(/ScheduleGroup/),
      });
    }
  });

  it('sends failed invocations to an SSE, SSL-only dead-letter queue', () => {
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('least privilege', () => {
  it('has no wildcard resource except the EKS-wide calendars IAM only grants on *', () => {
    const statements = iamStatements();
    const resources = statements.flatMap((st) =>
      Array.isArray(st.Resource) ? st.Resource : [st.Resource],
    );
    expect(resources.length).toBeGreaterThan(10);
    const wildcard = statements.filter((st) =>
      (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).some(
        (r) => typeof r === 'string' && r.includes('*'),
      ),
    );
    expect(wildcard.map((st) => [st.Sid, st.Action, st.Resource])).toEqual(
      wildcard.map(() => [
        'ReadEksCalendars',
        ['eks:DescribeClusterVersions', 'eks:DescribeAddonVersions'],
        '*',
      ]),
    );
    expect(wildcard.length).toBeGreaterThan(0);
  });

  it('reads exactly the named secrets, each only from the function that needs it', () => {
    const reads = iamStatements().filter((st) => st.Sid === 'ReadClusterSecrets');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.Action).toBe('secretsmanager:GetSecretValue');
    expect(reads[0]!.Resource).toEqual(
      ['lab-ca', 'lab-prom', 'lab-token', 'lab2-kubeconfig'].map(secretArn).sort(),
    );
  });

  it('queries only the named AMP workspaces and describes only the named EKS clusters', () => {
    const [aps] = iamStatements().filter((st) => st.Sid === 'QueryPrometheusWorkspaces');
    expect(aps!.Action).toBe('aps:QueryMetrics');
    expect(JSON.stringify(aps!.Resource)).toMatch(
      /:aps:eu-west-1:.*:workspace\/ws-prod.*:aps:us-east-1:.*:workspace\/ws-us/,
    );
    const [describe] = iamStatements().filter((st) => st.Sid === 'DescribeEksClusters');
    expect(describe!.Action).toEqual([
      'eks:DescribeCluster',
      'eks:ListAddons',
      'eks:ListInsights',
      'eks:DescribeInsight',
    ]);
    const arns = JSON.stringify(describe!.Resource);
    expect(arns).toMatch(/:eks:eu-west-1:.*:cluster\/prod-eu-1/);
    expect(arns).toMatch(/:eks:eu-west-1:.*:cluster\/view-eu-1/);
    expect(arns).toMatch(/:eks:us-east-1:.*:cluster\/manual/);
  });

  it('lets the functions use the ledger and publish to the topic, with the two KMS actions SNS needs', () => {
    const ledger = iamStatements().filter((st) => st.Sid === 'UseLedger');
    expect(ledger).toHaveLength(2); // one per function
    for (const st of ledger) expect(st.Action).toEqual([...LEDGER_ACTIONS]);
    const publish = iamStatements().filter((st) => st.Sid === 'PublishNotifications');
    for (const st of publish) expect(st.Resource).toEqual({ Ref: expect.stringMatching(/Topic/) });
    const kms = iamStatements().filter((st) => JSON.stringify(st.Action).includes('kms:'));
    for (const st of kms) expect(st.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  it('grants exactly the EKS actions the collectors send, and DescribeAddon only on add-ons', () => {
    const sources = [
      'eks/platform.ts',
      'eks/addons.ts',
      'eks/insights.ts',
      'kubernetes/connect.ts',
    ];
    const sent = sources.flatMap((file) => {
      const text = readFileSync(join(__dirname, '../../../lib/collect', file), 'utf8');
      return [...text.matchAll(/new (\w+)Command\(/g)].map((m) => `eks:${m[1]}`);
    });
    const granted = iamStatements()
      .filter((st) => JSON.stringify(st.Action).includes('eks:'))
      .flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]) as string[]);
    expect([...new Set(granted)].sort()).toEqual([...new Set(sent)].sort());
    const addons = iamStatements().filter((st) => st.Sid === 'DescribeEksAddons');
    for (const st of addons) {
      expect(st.Action).toBe('eks:DescribeAddon');
      expect(JSON.stringify(st.Resource)).toMatch(/:eks:[a-z0-9-]+:.*:addon\/\*/);
    }
  });

  it('grants exactly the DynamoDB actions the ledger store sends, nothing more', () => {
    const source = readFileSync(join(__dirname, '../../../lib/ledger/dynamodb.ts'), 'utf8');
    const sent = [...source.matchAll(/new (\w+)Command\(/g)].map((m) => `dynamodb:${m[1]}`);
    const action = (name: string) =>
      name === 'dynamodb:Put' || name === 'dynamodb:Delete' ? `${name}Item` : name;
    expect([...new Set(sent.map(action))].sort()).toEqual([...LEDGER_ACTIONS].sort());
  });

  it('lets the scheduler invoke the check functions only, and dead-letter to its queue', () => {
    s.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
    const [invoke] = iamStatements().filter((st) => st.Sid === 'InvokeCheckFunctions');
    expect(invoke!.Action).toBe('lambda:InvokeFunction');
    expect(invoke!.Resource).toEqual([
      { 'Fn::GetAtt': [functionFor('prod-eu').id, 'Arn'] },
      { 'Fn::GetAtt': [functionFor('lab').id, 'Arn'] },
    ]);
    const [dlq] = iamStatements().filter((st) => st.Sid === 'DeadLetterFailedInvocations');
    expect(dlq!.Action).toBe('sqs:SendMessage');
  });
});

describe('the check functions', () => {
  it('runs nodejs22.x on arm64 with 512 MB, 60 s, source maps and the Powertools settings', () => {
    const fn = functionFor('prod-eu').props;
    expect(fn).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 60,
      Handler: 'index.handler',
    });
    expect((fn['Environment'] as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps --max-old-space-size=313 --max-semi-space-size=32',
      POWERTOOLS_SERVICE_NAME: 'skewguard',
      POWERTOOLS_METRICS_NAMESPACE: 'Skewguard',
      LEDGER_TABLE: { Ref: expect.stringMatching(/Ledger/) },
      TOPIC_ARN: { Ref: expect.stringMatching(/Topic/) },
      // A chat webhook subscribes: the function must publish audience=chat messages.
      SKEWGUARD_CHAT_SUBSCRIBED: 'true',
    });
  });

  it('passes each function only the config of its own clusters, which the Lambda can load', () => {
    const variables = (
      functionFor('prod-eu').props['Environment'] as { Variables: Record<string, string> }
    ).Variables;
    const config = loadConfigFromEnvironment({ [CONFIG_ENV]: variables[CONFIG_ENV] });
    expect(config.clusters.map((c) => c.name)).toEqual(['prod-eu', 'view-eu', 'manual-us']);
    expect(config.defaults.timezone).toBe('Europe/Berlin');
  });

  it('groups clusters with the same VPC placement into one function inside that VPC', () => {
    s.template.resourceCountIs('AWS::Lambda::Function', 2);
    const vpcFunction = functionFor('lab');
    expect(vpcFunction.props['Description']).toMatch(/lab, lab\.two/);
    expect(vpcFunction.props['VpcConfig']).toEqual({
      SubnetIds: SUBNETS,
      SecurityGroupIds: GROUPS,
    });
    expect(functionFor('prod-eu').props).not.toHaveProperty('VpcConfig');
  });

  it('drops stale async invocations instead of retrying them', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
    });
  });
});

describe('the topic', () => {
  it('is encrypted with a rotating customer key that CloudWatch alarms may use', () => {
    s.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
    s.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('TopicKey'), 'Arn'] },
    });
  });

  it('admits only this account’s alarms in the stack’s region to the topic; the key as AWS documents it', () => {
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    Match.arrayWith([':cloudwatch:', { Ref: 'AWS::Region' }, ':alarm:*']),
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
    const key = Object.values(s.template.findResources('AWS::KMS::Key'))[0] as {
      Properties: { KeyPolicy: { Statement: { Sid?: string; Condition?: unknown }[] } };
    };
    const statement = key.Properties.KeyPolicy.Statement.find(
      (st) => st.Sid === 'AllowCloudWatchAlarmsToUseTheKey',
    );
    expect(statement).toBeDefined();
    expect(statement?.Condition).toBeUndefined();
  });

  it('refuses publishing without TLS and admits the alarms of this account', () => {
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('filters email to human messages at the minimum severity and worse, plus the alarms and plans', () => {
    for (const email of ['ops@example.com', 'lead@example.com']) {
      s.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        FilterPolicyScope: 'MessageAttributes',
        FilterPolicy: {
          $or: [
            { audience: ['human'], severity: ['critical', 'warning'] },
            { audience: [{ exists: false }] },
            { audience: ['human'], status: ['plan'] },
          ],
        },
      });
    }
  });

  it('filters each HTTPS endpoint to its audience and severities', () => {
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://pager.example/hook',
      FilterPolicy: { audience: ['machine'], severity: ['critical'] },
    });
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'https://chat.example/hook',
      FilterPolicy: { audience: ['chat'], severity: ['critical', 'warning'] },
    });
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'https://mail-relay.example/hook',
      FilterPolicy: {
        $or: [
          { audience: ['human'], severity: ['critical', 'warning', 'info'] },
          { audience: [{ exists: false }] },
          { audience: ['human'], status: ['plan'] },
        ],
      },
    });
    s.template.resourceCountIs('AWS::SNS::Subscription', 5);
  });
});

describe('the ledger table', () => {
  it('is on demand, encrypted, with point-in-time recovery and TTL on expiresAt, and retained', () => {
    s.template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('alarms and dashboard', () => {
  const alarmAction = { AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }] };

  it('alarms on function errors and on dead letters', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...alarmAction,
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...alarmAction,
      MetricName: 'NumberOfMessagesSent',
      Namespace: 'AWS/SQS',
      Statistic: 'Sum',
      Threshold: 1,
    });
  });

  it.each(['PublishFailures', 'LedgerWriteFailures'])(
    'alarms once for the fleet on %s (sum ≥ 1 in the shortest schedule period)',
    (metric) => {
      const alarms = Object.values(resourcesOfType(s, 'AWS::CloudWatch::Alarm')).filter(
        (a) => a.Properties['MetricName'] === metric,
      );
      expect(alarms).toHaveLength(1);
      expect(alarms[0]!.Properties).toMatchObject({
        Namespace: 'Skewguard',
        Dimensions: [{ Name: 'service', Value: 'skewguard' }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: expect.stringMatching(/Topic/) }],
      });
    },
  );

  it('shows the delivery and dead-letter alarms and dead letters sent on the dashboard', () => {
    const [dashboard] = Object.values(s.template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties['DashboardBody']);
    expect(body).toContain('NumberOfMessagesSent');
    for (const alarm of ['PublishFailuresAlarm', 'LedgerWriteFailuresAlarm', 'DeadLettersAlarm'])
      expect(body).toMatch(new RegExp(`Skewguard${alarm}`));
  });

  it('alarms once for the fleet when a cluster stops completing checks, or every check stops', () => {
    const all = Object.values(resourcesOfType(s, 'AWS::CloudWatch::Alarm'));
    // No alarm per cluster: nothing watches CheckCompleted, and the nested stacks hold none.
    expect(all.filter((a) => a.Properties['MetricName'] === 'CheckCompleted')).toEqual([]);
    for (const t of s.clusterTemplates) t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    const stale = all.filter((a) => a.Properties['MetricName'] === 'StaleClusters');
    // Both functions' fastest schedule is rate(5 minutes) (the VPC one has lab.two): one window.
    expect(stale).toHaveLength(1);
    expect(stale[0]!.Properties).toMatchObject({
      Namespace: 'Skewguard',
      Dimensions: [
        { Name: 'heartbeatWindow', Value: '300x3' },
        { Name: 'service', Value: 'skewguard' },
      ],
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      // Every check stopping leaves no data: that alarms too.
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: expect.stringMatching(/Topic/) }],
    });
  });

  it('alarms per check function when it is not invoked for the heartbeat window', () => {
    const heartbeats = Object.values(resourcesOfType(s, 'AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties['MetricName'] === 'Invocations',
    );
    expect(heartbeats).toHaveLength(s.stack.skewguard.checkFunctions.length);
    for (const alarm of heartbeats) {
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: expect.stringMatching(/Function/) } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
        AlarmActions: [{ Ref: expect.stringMatching(/Topic/) }],
      });
    }
  });

  it('tells each function its heartbeat partition and missed runs', () => {
    const fns = s.stack.skewguard.checkFunctions;
    for (const fn of fns) {
      const [resource] = Object.values(
        s.template.findResources('AWS::Lambda::Function', {
          Properties: { Description: Match.stringLikeRegexp(fn.clusterNames[0]!) },
        }),
      );
      expect(resource!.Properties['Environment'].Variables).toMatchObject({
        SKEWGUARD_HEARTBEAT_GROUP: fn.group,
        SKEWGUARD_HEARTBEAT_MISSED_RUNS: '3',
      });
    }
    expect(fns.map((f) => f.group).sort()).toEqual(['Check', expect.stringMatching(/^CheckVpc/)]);
  });

  it('shows fleet graphs of every series and per-cluster Logs Insights tables', () => {
    const [dashboard] = Object.values(s.template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties['DashboardBody']);
    for (const metric of [
      'FindingsFiring',
      'CheckDurationMs',
      'SourceErrors',
      'CheckCompleted',
      'PublishFailures',
      'LedgerWriteFailures',
      'StaleClusters',
    ]) {
      expect(body).toContain(
        `SEARCH('Namespace=\\\\\\"Skewguard\\\\\\" MetricName=\\\\\\"${metric}\\\\\\"'`,
      );
    }
    for (const query of Object.values(CLUSTER_QUERIES)) expect(body).toContain(query[1]);
    expect(body).toContain('by cluster');
    // Four Logs Insights tables, each over every check function's log group.
    expect(body.match(/\\"type\\":\\"log\\"/g)).toHaveLength(Object.keys(CLUSTER_QUERIES).length);
    for (const fn of s.stack.skewguard.checkFunctions) {
      const ref = (s.stack.resolve(fn.logGroup.logGroupName) as { Ref: string }).Ref;
      expect(body.split(`"Ref":"${ref}"`)).toHaveLength(Object.keys(CLUSTER_QUERIES).length + 1);
    }
  });
});

describe('EKS access entries', () => {
  it('maps the function role to the skewguard-readers group when grantAccess is set', () => {
    const entries = Object.values(resourcesOfType(s, 'AWS::EKS::AccessEntry')).map(
      (e) => e.Properties,
    );
    expect(entries).toHaveLength(2);
    expect(entries).toContainEqual({
      ClusterName: 'prod-eu-1',
      PrincipalArn: expect.objectContaining({ Ref: expect.stringMatching(/CheckRole/) }),
      Type: 'STANDARD',
      KubernetesGroups: [READER_GROUP],
    });
  });

  it('associates AmazonEKSViewPolicy instead with accessPolicy: view, and says it cannot list nodes', () => {
    const entries = Object.values(resourcesOfType(s, 'AWS::EKS::AccessEntry')).map(
      (e) => e.Properties,
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        ClusterName: 'view-eu-1',
        AccessPolicies: [{ PolicyArn: EKS_VIEW_POLICY_ARN, AccessScope: { Type: 'cluster' } }],
      }),
    );
    const warnings = s.stack.skewguard.clusterStacks
      .flatMap((stack) => stack.node.findAll())
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === 'aws:cdk:warning')
      .map((m) => String(m.data));
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /view-eu uses accessPolicy: view. AmazonEKSViewPolicy cannot list nodes/,
      ),
    );
  });

  it('creates none for a cluster without grantAccess', () => {
    const entries = Object.values(resourcesOfType(s, 'AWS::EKS::AccessEntry')).map(
      (e) => e.Properties,
    );
    expect(entries.map((e) => e['ClusterName'])).not.toContain('manual');
  });
});

describe('an existing topic', () => {
  it('is used instead of a new one, with subscriptions in its region and its key granted', () => {
    const topicArn = 'arn:aws:sns:eu-central-1:123456789012:platform-alerts';
    const keyArn = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const existing = synth({
      notifications: { topicArn, topicKeyArn: keyArn, emails: ['ops@example.com'] },
      clusters: [FLEET.clusters[2]],
    });
    existing.template.resourceCountIs('AWS::SNS::Topic', 0);
    existing.template.resourceCountIs('AWS::KMS::Key', 0);
    existing.template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: topicArn,
      Region: 'eu-central-1',
    });
    existing.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Resource: topicArn }),
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn }),
        ]),
      },
    });
  });
});

describe('an existing topic in another region', () => {
  const topicArn = 'arn:aws:sns:us-east-1:123456789012:platform-alerts';
  const build = (region?: string) =>
    synth(
      { notifications: { topicArn }, clusters: [FLEET.clusters[3]] },
      region ? { env: { region, account: '123456789012' } } : {},
    );

  it('is rejected when the stack’s region is known, naming the key and both regions', () => {
    expect(() => build('eu-west-1')).toThrow(
      /notifications\.topicArn arn:aws:sns:us-east-1:123456789012:platform-alerts is in us-east-1, but the stack deploys to eu-west-1; CloudWatch alarms can only notify a topic in their own region/,
    );
  });

  it('is accepted in the stack’s region', () => {
    expect(() => build('us-east-1')).not.toThrow();
  });

  it('draws a warning on an environment-agnostic stack, whose region is chosen at deploy', () => {
    const { stack } = build();
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp(
        'notifications.topicArn .* is in us-east-1: deploy this stack to us-east-1',
      ),
    );
  });
});

describe('a config too large for the environment', () => {
  it('is staged for bundling in a temporary directory that is gone after synth', () => {
    const staged = () =>
      readdirSync(tmpdir()).filter((name) => name.startsWith(CONFIG_STAGING_PREFIX));
    const before = staged();
    const large = synth(FLEET, { maxInlineConfigBytes: 0 });
    expect(large.stack.skewguard.checkFunctions.every((f) => f.configBundled)).toBe(true);
    expect(staged()).toEqual(before);
  });
});

describe('stack outputs', () => {
  it('name the topic, the table, the dashboard and each check role (to map by hand)', () => {
    for (const output of ['TopicArn', 'LedgerTableName', 'DashboardName'])
      s.template.hasOutput(output, {});
    const roles = Object.keys(s.template.findOutputs('*')).filter((k) => k.endsWith('RoleArn'));
    expect(roles).toHaveLength(2);
  });
});
