import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createApp } from '../../../lib/infra/app';
import { TEST_ENTRY, ampUrl, secretArn, synth } from './support';

/** Rule names and construct paths of every unacknowledged finding. */
function unacknowledged(scope: App): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? '?'}`),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the app built from the example config', () => {
    const example = join(__dirname, '../../../examples/skewguard.config.yaml');
    const { app, stack } = createApp({
      app: new App({ context: { config: example } }),
      stackProps: { entry: TEST_ENTRY },
    });
    expect(stack.skewguard.checkFunctions.length).toBeGreaterThan(1); // the VPC branch is covered
    expect(unacknowledged(app)).toEqual([]);
  });

  it('finds nothing unacknowledged with an existing topic, a view policy and basic auth', () => {
    const { app } = synth({
      notifications: {
        topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
        topicKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
      clusters: [
        {
          name: 'a',
          kubernetes: {
            eks: { name: 'a', region: 'eu-west-1', grantAccess: true, accessPolicy: 'view' },
          },
          prometheus: { url: ampUrl('ws-a'), auth: { type: 'sigv4' } },
        },
        {
          name: 'b',
          kubernetes: { server: 'https://b.example', kubeconfigSecretArn: secretArn('b') },
          prometheus: {
            url: 'https://p.example',
            auth: { type: 'basic', secretArn: secretArn('p') },
          },
          vpc: {
            subnetIds: ['subnet-0123456789abcdef0'],
            securityGroupIds: ['sg-0123456789abcdef0'],
          },
        },
      ],
    });
    expect(unacknowledged(app)).toEqual([]);
  });

  it('finds nothing unacknowledged with the PagerDuty forwarder', () => {
    const { app, stack } = synth(
      {
        notifications: {
          pagerDuty: { routingKeySecretArn: secretArn('pagerduty'), severities: ['critical'] },
        },
        clusters: [
          {
            name: 'a',
            kubernetes: { eks: { name: 'a', region: 'eu-west-1', grantAccess: false } },
          },
        ],
      },
      { pagerDutyEntry: TEST_ENTRY },
    );
    expect(stack.skewguard.pagerDutyForwarder).toBeDefined();
    expect(unacknowledged(app)).toEqual([]);
  });

  it('runs on every synth of the app, so a new finding fails cdk synth', () => {
    const example = join(__dirname, '../../../examples/skewguard.config.yaml');
    const { app, stack } = createApp({
      app: new App({ context: { config: example } }),
      stackProps: { entry: TEST_ENTRY },
    });
    // A queue without a DLQ and without SSL enforcement: AwsSolutions-SQS3 and SQS4.
    new Queue(stack, 'Unacknowledged');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});
