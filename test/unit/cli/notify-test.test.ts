/**
 * `skewguard notify-test`: one labelled message per audience through the topic, each passing any
 * subscription's severity filter, the page resolved under its own dedup key, and SNS refusals
 * answered with the permission to grant. SNS is mocked.
 */
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { parseMachineNotification } from '../../../lib/notify/pagerduty';
import { cli } from '../../support/cli';

const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:skewguard';
const sns = mockClient(SNSClient);

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
});
afterAll(() => sns.restore());

const published = (): PublishCommandInput[] =>
  sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
const attribute = (input: PublishCommandInput, name: string) =>
  input.MessageAttributes?.[name]?.StringValue;

describe('skewguard notify-test', () => {
  it('sends email, chat and a page that resolves itself, each to every severity', async () => {
    const run = await cli('notify-test', '--topic-arn', TOPIC, '--cluster', 'prod-eu');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const inputs = published();
    expect(inputs.map((i) => [attribute(i, 'audience'), attribute(i, 'status')])).toEqual([
      ['human', 'test'],
      ['chat', 'test'],
      ['machine', 'firing'],
      ['machine', 'resolved'],
    ]);
    for (const input of inputs) {
      expect(input.TopicArn).toBe(TOPIC);
      expect(attribute(input, 'cluster')).toBe('prod-eu');
      expect(input.MessageAttributes?.['severity']).toEqual({
        DataType: 'String.Array',
        StringValue: '["critical","warning","info"]',
      });
    }
    expect(inputs[0]?.Subject).toBe('[TEST] skewguard: notification test for prod-eu');
    expect(inputs[0]?.Message).toMatch(/^TEST: skewguard notification test for cluster prod-eu/);
    // The pager path reads them as machine messages (the PagerDuty forwarder's own check).
    const [firing, resolved] = inputs
      .slice(2)
      .map((i) => parseMachineNotification(i.Message ?? ''));
    expect(firing?.status).toBe('firing');
    expect(resolved?.status).toBe('resolved');
    expect(resolved?.dedupKey).toBe(firing?.dedupKey);
    expect(run.stdout).toContain(
      'sent the machine test message: pagers (resolved: closes the test page)',
    );
  });

  it('names the permission when SNS refuses, and stops', async () => {
    sns.on(PublishCommand).rejects(
      Object.assign(new Error('User is not authorized to perform SNS:Publish'), {
        name: 'AuthorizationErrorException',
      }),
    );
    const run = await cli('notify-test', '--topic-arn', TOPIC);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /SNS did not take the human test message for notification-test .*allow sns:Publish on it/,
    );
    expect(published()).toHaveLength(1);
  });

  it.each([[[]], [['--topic-arn', 'skewguard']]])(
    'refuses a missing or bad topic ARN %j',
    async (args) => {
      const run = await cli('notify-test', ...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /--topic-arn .* is not an SNS topic ARN; pass the stack's TopicArn output/,
      );
      expect(published()).toEqual([]);
    },
  );
});
