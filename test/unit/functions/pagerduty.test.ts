/** The PagerDuty forwarder against a fake Events API v2 on 127.0.0.1, with Secrets Manager mocked. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { ForwarderContext, SnsRecordsEvent } from '../../../functions/pagerduty/handler';
import { cachedRoutingKey, handleSnsEvent } from '../../../functions/pagerduty/handler';
import { backoffMs, DEFAULT_RETRY_POLICY } from '../../../functions/pagerduty/events-api';
import { renderMachine } from '../../../lib/notify/machine';
import { PAGERDUTY_ENV } from '../../../lib/notify/pagerduty';
import type { FakeEventsApi } from '../../support/pagerduty-events';
import { startFakeEventsApi } from '../../support/pagerduty-events';
import { CLUSTER, RUN_AT, transition } from '../notify/build';

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdef012345';
const SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:skewguard/pagerduty-AbCdEf';
/** Bounded and fast: the retries of these tests wait milliseconds, not seconds. */
const FAST = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, requestTimeoutMs: 2_000 };

const secrets = mockClient(SecretsManagerClient);

/** A logger that keeps every line, to check what is logged (and that the key never is). */
function recordingLogger() {
  const lines: { level: string; message: string; extra: unknown }[] = [];
  const at =
    (level: string) =>
    (message: string, extra?: unknown): void => {
      lines.push({ level, message, extra });
    };
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

/** The SNS event of one machine message, as SNS hands it to a Lambda subscriber. */
function snsEvent(
  kind: 'firing' | 'repeat' | 'resolved',
  messageId = `m-${kind}`,
): SnsRecordsEvent {
  const t = transition(kind, { ruleId: 'KubeletVersionSkew', severity: 'critical' });
  return {
    Records: [{ Sns: { MessageId: messageId, Message: renderMachine(t, CLUSTER, RUN_AT).body } }],
  };
}

let api: FakeEventsApi;
let log: ReturnType<typeof recordingLogger>;
let ctx: ForwarderContext;

beforeEach(async () => {
  secrets.reset();
  secrets
    .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
    .resolves({ SecretString: `${ROUTING_KEY}\n` });
  api = await startFakeEventsApi(ROUTING_KEY);
  log = recordingLogger();
  ctx = {
    routingKey: cachedRoutingKey(new SecretsManagerClient({ region: 'eu-west-1' }), SECRET_ARN),
    eventsUrl: api.url,
    logger: log.logger,
    policy: FAST,
  };
});

afterEach(async () => {
  await api.close();
  // The routing key is a credential: no log line may carry it.
  expect(JSON.stringify(log.lines)).not.toContain(ROUTING_KEY);
});

describe('the PagerDuty forwarder', () => {
  it('triggers an incident for a firing message, with the payload PagerDuty shows', async () => {
    await expect(handleSnsEvent(snsEvent('firing'), ctx)).resolves.toEqual({
      forwarded: 1,
      failed: 0,
    });
    const t = transition('firing', { ruleId: 'KubeletVersionSkew', severity: 'critical' });
    expect(api.received).toEqual([
      {
        routing_key: ROUTING_KEY,
        event_action: 'trigger',
        dedup_key: t.finding.fingerprint,
        client: 'skewguard',
        payload: expect.objectContaining({
          summary: `${CLUSTER}: ${t.finding.summary}`,
          source: CLUSTER,
          severity: 'critical',
          timestamp: RUN_AT,
          class: 'KubeletVersionSkew',
          custom_details: expect.objectContaining({
            status: 'firing',
            ruleId: 'KubeletVersionSkew',
            fingerprint: t.finding.fingerprint,
            details: t.finding.details,
          }),
        }),
        links: [{ href: t.finding.runbookUrl, text: 'Runbook: KubeletVersionSkew' }],
      },
    ]);
    expect(api.incidents).toMatchObject([{ number: 1, status: 'triggered', triggers: 1 }]);
    expect(log.lines).toContainEqual({
      level: 'info',
      message: 'pagerduty accepted',
      extra: expect.objectContaining({
        attempt: 1,
        pagerDuty: { status: 202, message: 'Event processed', dedupKey: t.finding.fingerprint },
      }),
    });
  });

  it('sends a repeat as a trigger under the same dedup_key, which opens no new incident', async () => {
    await handleSnsEvent(snsEvent('firing'), ctx);
    await handleSnsEvent(snsEvent('repeat'), ctx);
    const [first, repeat] = api.received as { dedup_key: string; event_action: string }[];
    expect(repeat).toMatchObject({ event_action: 'trigger', dedup_key: first!.dedup_key });
    expect(api.incidents).toHaveLength(1);
    expect(api.incidents[0]).toMatchObject({ status: 'triggered', triggers: 2 });
  });

  it('resolves the incident for a resolved message, sending only the key', async () => {
    await handleSnsEvent(snsEvent('firing'), ctx);
    await handleSnsEvent(snsEvent('resolved'), ctx);
    const [first, resolve] = api.received as { dedup_key: string }[];
    expect(resolve).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: first!.dedup_key,
    });
    expect(api.incidents).toMatchObject([{ number: 1, status: 'resolved' }]);
  });

  it('retries a 429 and succeeds on the next attempt', async () => {
    api.forced.push({
      status: 429,
      body: {
        status: 'throttle event',
        message: 'Requests for this service are arriving too quickly.',
      },
    });
    await expect(handleSnsEvent(snsEvent('firing'), ctx)).resolves.toEqual({
      forwarded: 1,
      failed: 0,
    });
    expect(api.received).toHaveLength(2);
    expect(api.incidents).toHaveLength(1);
    expect(log.lines.map((l) => `${l.level} ${l.message}`)).toEqual([
      'warn pagerduty did not take the event; retrying',
      'info pagerduty accepted',
    ]);
  });

  it('retries 5xx a bounded number of times, then fails the record', async () => {
    for (let i = 0; i < 10; i++) api.forced.push({ status: 503, body: 'unavailable' });
    await expect(handleSnsEvent(snsEvent('firing'), ctx)).rejects.toThrow(
      /m-firing: gave up after 3 attempts, last answer 503/,
    );
    expect(api.received).toHaveLength(FAST.maxAttempts);
  });

  it('does not retry a 400: it logs PagerDuty\u2019s answer and fails the record (the event goes to the DLQ)', async () => {
    const bad = { ...ctx, routingKey: () => Promise.resolve('not-the-key') };
    await expect(handleSnsEvent(snsEvent('firing'), bad)).rejects.toThrow(
      /1 of 1 messages were not taken by PagerDuty: m-firing: rejected with 400 \(Event object is invalid, Invalid routing key\), not retried/,
    );
    expect(api.received).toHaveLength(1);
    expect(api.incidents).toEqual([]);
    expect(log.lines).toEqual([
      {
        level: 'error',
        message: 'pagerduty did not take the event',
        extra: expect.objectContaining({
          attempt: 1,
          dedupKey: expect.any(String),
          pagerDuty: {
            status: 400,
            message: 'Event object is invalid',
            errors: ['Invalid routing key'],
          },
        }),
      },
    ]);
    expect(JSON.stringify(log.lines)).not.toContain('not-the-key');
  });

  it('forwards the other records of an event and fails it for the one that failed', async () => {
    const garbage = { Sns: { MessageId: 'm-garbage', Message: '{"version":1,"status":"plan"}' } };
    const event = { Records: [...snsEvent('firing').Records!, garbage] };
    await expect(handleSnsEvent(event, ctx)).rejects.toThrow(
      /m-garbage: not a skewguard machine message/,
    );
    expect(api.incidents).toHaveLength(1);
  });

  it('retries a refused connection, within its attempts', async () => {
    const url = api.url;
    await api.close();
    const down = { ...ctx, eventsUrl: url };
    await expect(handleSnsEvent(snsEvent('firing'), down)).rejects.toThrow(
      /gave up after 3 attempts, last answer none/,
    );
    api = await startFakeEventsApi(ROUTING_KEY);
  });

  it('reads the routing key once per container', async () => {
    await handleSnsEvent(snsEvent('firing'), ctx);
    await handleSnsEvent(snsEvent('repeat'), ctx);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reads the key again after a failed read, naming the secret', async () => {
    secrets.reset();
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
      .resolves({ SecretString: ROUTING_KEY });
    await expect(handleSnsEvent(snsEvent('firing'), ctx)).rejects.toThrow(
      new RegExp(
        `reading the PagerDuty routing key from ${SECRET_ARN} failed \\(AccessDeniedException`,
      ),
    );
    await expect(handleSnsEvent(snsEvent('firing'), ctx)).resolves.toEqual({
      forwarded: 1,
      failed: 0,
    });
  });
});

describe('backoff', () => {
  it('doubles from the base up to the cap, with jitter of at most half, and honours Retry-After up to the cap', () => {
    const p = DEFAULT_RETRY_POLICY;
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, p, undefined, () => 1))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(backoffMs(1, p, undefined, () => 0)).toBe(250);
    expect(backoffMs(1, p, 3)).toBe(3000);
    expect(backoffMs(1, p, 3600)).toBe(p.maxDelayMs);
  });
});

describe('the forwarder entry', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.resetModules();
  });

  it('reads the secret in its ARN\u2019s region, posts to PagerDuty unless overridden, and builds its context once', async () => {
    process.env = {
      ...saved,
      AWS_REGION: 'us-east-1',
      [PAGERDUTY_ENV.routingKeySecretArn]: SECRET_ARN,
    };
    const { forwarderContext } = await import('../../../functions/pagerduty/index');
    const context = forwarderContext();
    expect(context.eventsUrl).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(await context.routingKey()).toBe(ROUTING_KEY);
    expect(await secrets.call(0).thisValue.config.region()).toBe('eu-west-1');
    expect(forwarderContext()).toBe(context);
  });

  it('fails fast, naming the variable, outside the stack', async () => {
    process.env = { ...saved, [PAGERDUTY_ENV.routingKeySecretArn]: '' };
    const { handler } = await import('../../../functions/pagerduty/index');
    await expect(handler({ Records: [] })).rejects.toThrow(
      /PAGERDUTY_ROUTING_KEY_SECRET_ARN is not set/,
    );
  });
});
