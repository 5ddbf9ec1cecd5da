/** notifications.pagerDuty in the config: accepted, normalized, round-tripped, and rejected with messages that name the fix. */
import type { ConfigError, ConfigIssue } from '../../../lib/config';
import { parseConfig, toConfigDocument } from '../../../lib/config';

const ROUTING_KEY_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:skewguard/pagerduty-AbCdEf';

function doc(notifications: unknown): Record<string, unknown> {
  return {
    notifications,
    clusters: [
      {
        name: 'prod',
        kubernetes: { eks: { name: 'prod', region: 'eu-west-1', grantAccess: true } },
      },
    ],
  };
}

function issuesOf(document: unknown): readonly ConfigIssue[] {
  try {
    parseConfig(document, 'test');
  } catch (error) {
    if ((error as Error).name !== 'ConfigError') throw error;
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

describe('notifications.pagerDuty', () => {
  it('is optional: without it the config has none', () => {
    expect(parseConfig(doc({ emails: ['ops@example.com'] })).notifications).not.toHaveProperty(
      'pagerDuty',
    );
  });

  it('is normalized and parses back to itself through toConfigDocument (how the Lambda receives it)', () => {
    const config = parseConfig(
      doc({
        pagerDuty: { routingKeySecretArn: ROUTING_KEY_ARN, severities: ['critical', 'warning'] },
      }),
    );
    expect(config.notifications.pagerDuty).toEqual({
      routingKeySecretArn: ROUTING_KEY_ARN,
      severities: ['critical', 'warning'],
    });
    expect(parseConfig(JSON.parse(JSON.stringify(toConfigDocument(config))))).toEqual(config);
  });

  it('needs the complete secret ARN, like every other secret in the config', () => {
    const issues = issuesOf(
      doc({
        pagerDuty: {
          routingKeySecretArn:
            'arn:aws:secretsmanager:eu-west-1:123456789012:secret:skewguard/pagerduty',
          severities: ['critical'],
        },
      }),
    );
    expect(issues).toEqual([
      expect.objectContaining({ path: 'notifications.pagerDuty.routingKeySecretArn' }),
    ]);
    expect(issues[0]!.message).toMatch(/lacks the 6-character suffix/);
  });

  it.each([
    [
      'no severities',
      { routingKeySecretArn: ROUTING_KEY_ARN, severities: [] },
      'notifications.pagerDuty.severities',
    ],
    [
      'an unknown severity',
      { routingKeySecretArn: ROUTING_KEY_ARN, severities: ['page'] },
      'notifications.pagerDuty.severities[0]',
    ],
    ['no routing key', { severities: ['critical'] }, 'notifications.pagerDuty.routingKeySecretArn'],
  ])('rejects %s', (_what, pagerDuty, path) => {
    expect(issuesOf(doc({ pagerDuty }))).toEqual([expect.objectContaining({ path })]);
  });

  it('rejects unknown keys, naming the allowed ones', () => {
    const issues = issuesOf(
      doc({
        pagerDuty: {
          routingKeySecretArn: ROUTING_KEY_ARN,
          severities: ['critical'],
          routingKey: 'x',
        },
      }),
    );
    expect(issues[0]).toMatchObject({ path: 'notifications.pagerDuty.routingKey' });
    expect(issues[0]!.message).toMatch(/allowed keys: routingKeySecretArn, severities/);
    expect(issuesOf(doc({ pager: {} }))[0]!.message).toMatch(/allowed keys: .*pagerDuty/);
  });

  it('points an HTTPS subscription to the Events API at pagerDuty:, since SNS cannot post its shape', () => {
    const issues = issuesOf(
      doc({
        https: [
          {
            url: 'https://events.pagerduty.com/v2/enqueue',
            severities: ['critical'],
            audience: 'machine',
          },
        ],
      }),
    );
    expect(issues).toEqual([expect.objectContaining({ path: 'notifications.https[0].url' })]);
    expect(issues[0]!.message).toMatch(
      /use notifications.pagerDuty: \{routingKeySecretArn, severities\} instead/,
    );
  });
});
