import type { PublishCommandInput } from '@aws-sdk/client-sns';
import {
  AuthorizationErrorException,
  InternalErrorException,
  PublishCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { Ledger, MemoryLedgerStore } from '../../../lib/ledger';
import { PublishError } from '../../../lib/notify/publisher';
import type { SnsNotifierOptions } from '../../../lib/notify/sns';
import { planMessages, SnsNotifier } from '../../../lib/notify/sns';
import type { Evaluation } from '../../../lib/rules/model';
import { batch, bytes, CLUSTER, finding, manyTransitions, RUN_AT, transition } from './build';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:skewguard';
const sns = mockClient(SNSClient);
const client = new SNSClient({ region: 'eu-west-1' });

function notifier(options: Partial<SnsNotifierOptions> = {}): {
  notifier: SnsNotifier;
  delays: number[];
} {
  const delays: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    delays.push(ms);
  };
  return {
    notifier: new SnsNotifier(client, { topicArn: TOPIC, sleep, random: () => 0.5, ...options }),
    delays,
  };
}

function inputs(): PublishCommandInput[] {
  return sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

function attribute(input: PublishCommandInput, name: string): string | undefined {
  return input.MessageAttributes?.[name]?.StringValue;
}

const throttled = (): ThrottledException =>
  new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });

beforeEach(() => {
  sns.reset();
});

describe('SnsNotifier', () => {
  it('publishes one digest and one machine message per transition, all attributed', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const transitions = [
      transition('firing', { ruleId: 'A' }),
      transition('resolved', { ruleId: 'B', severity: 'warning' }),
    ];
    const result = await notifier().notifier.publish(batch(transitions));

    expect(result).toEqual({
      delivered: transitions.map((t) => t.item.sk),
      undelivered: [],
      sent: 3,
      failures: [],
    });
    const sent = inputs();
    expect(sent.map((i) => attribute(i, 'audience'))).toEqual(['human', 'machine', 'machine']);
    for (const input of sent) {
      expect(input.TopicArn).toBe(TOPIC);
      for (const name of ['audience', 'cluster', 'status']) {
        expect(input.MessageAttributes?.[name]).toEqual({
          DataType: 'String',
          StringValue: expect.stringMatching(/\S/) as unknown,
        });
      }
      expect(bytes(input.Message ?? '')).toBeLessThan(256 * 1024);
    }
    const [human, firing, resolved] = sent;
    expect(human?.Subject).toMatch(
      /^\[CRITICAL\+RESOLVED\] prod-eu: 1 new, 1 resolved - A, B resolved$/,
    );
    // The digest reports a critical firing and a warning resolution: it routes with both.
    expect(human?.MessageAttributes).toEqual({
      audience: { DataType: 'String', StringValue: 'human' },
      severity: { DataType: 'String.Array', StringValue: '["critical","warning"]' },
      cluster: { DataType: 'String', StringValue: CLUSTER },
      status: { DataType: 'String', StringValue: 'changed' },
    });
    expect(firing?.MessageAttributes).toEqual({
      audience: { DataType: 'String', StringValue: 'machine' },
      severity: { DataType: 'String', StringValue: 'critical' },
      cluster: { DataType: 'String', StringValue: CLUSTER },
      status: { DataType: 'String', StringValue: 'firing' },
      ruleId: { DataType: 'String', StringValue: 'A' },
    });
    expect(attribute(resolved!, 'status')).toBe('resolved');
    expect(JSON.parse(firing?.Message ?? '{}')).toMatchObject({
      version: 1,
      dedupKey: transitions[0]!.finding.fingerprint,
    });
  });

  it('adds chat messages when enabled', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    await notifier({ chat: true }).notifier.publish(batch([transition('firing')]));
    const chat = inputs().filter((i) => attribute(i, 'audience') === 'chat');
    expect(chat).toHaveLength(1);
    expect(chat[0]?.Subject).toBeUndefined();
    expect(JSON.parse(chat[0]?.Message ?? '{}')).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
    });
  });

  it('retries throttling with bounded backoff, then succeeds', async () => {
    sns.on(PublishCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    const { notifier: n, delays } = notifier();
    const result = await n.publish(batch([transition('firing')]));
    expect(result.undelivered).toEqual([]);
    expect(result.sent).toBe(2);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(4);
    // Full jitter at 0.5 of 200 ms, then of 400 ms.
    expect(delays).toEqual([100, 200]);
  });

  it('throws PublishError naming the digest when SNS keeps failing, and sends nothing else', async () => {
    const fault = new InternalErrorException({
      message: 'boom',
      $metadata: { httpStatusCode: 500 },
    });
    sns.on(PublishCommand).rejects(fault);
    const transitions = [
      transition('firing', { ruleId: 'A' }),
      transition('firing', { ruleId: 'B' }),
    ];
    const error = await notifier()
      .notifier.publish(batch(transitions))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({
      audience: 'human',
      messageLabel: 'human digest for prod-eu',
      attempts: 3,
      retryable: true,
      undelivered: transitions.map((t) => t.item.sk),
      cause: fault,
    });
    expect((error as Error).message).toMatch(/failed after 3 attempts.*stay owed/);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(3);
  });

  it('does not retry what retrying cannot fix, and says how to fix it', async () => {
    sns
      .on(PublishCommand)
      .rejects(new AuthorizationErrorException({ message: 'not authorized', $metadata: {} }));
    const error = await notifier()
      .notifier.publish(batch([transition('firing')]))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ attempts: 1, retryable: false });
    expect((error as Error).message).toMatch(/allow sns:Publish/);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('reports a failed machine message as undelivered and keeps the rest delivered', async () => {
    const [bad, good] = [
      transition('firing', { ruleId: 'Bad' }),
      transition('firing', { ruleId: 'Good' }),
    ];
    sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      if (attribute(input, 'audience') === 'machine' && attribute(input, 'ruleId') === 'Bad') {
        throw throttled();
      }
      return {};
    });
    const result = await notifier().notifier.publish(batch([bad!, good!]));
    expect(result.delivered).toEqual([good!.item.sk]);
    expect(result.undelivered).toEqual([bad!.item.sk]);
    expect(result.sent).toBe(2);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ audience: 'machine', attempts: 3 });
    expect(result.failures[0]?.messageLabel).toContain(bad!.finding.fingerprint);
  });

  it('keeps machine messages within the concurrency bound', async () => {
    let inFlight = 0;
    let peak = 0;
    sns.on(PublishCommand).callsFake(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return {};
    });
    const result = await notifier({ concurrency: 4 }).notifier.publish(batch(manyTransitions(40)));
    expect(result.sent).toBe(41);
    expect(peak).toBe(4);
  });

  it('sends nothing for a batch without transitions', async () => {
    const result = await notifier().notifier.publish(batch([], [transition('repeat').item]));
    expect(result.sent).toBe(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('rejects an empty cluster name before publishing anything', async () => {
    const error = await notifier()
      .notifier.publish(batch([transition('firing')], [], ' '))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect((error as Error).message).toMatch(/empty "cluster" message attribute/);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it.each([
    [{ topicArn: 'skewguard' }, /not a topic ARN/],
    [{ topicArn: `${TOPIC}.fifo` }, /FIFO topic/],
    [{ topicArn: TOPIC, maxAttempts: 10 }, /maxAttempts is 10; give a whole number from 1 to 5/],
    [{ topicArn: TOPIC, concurrency: 0 }, /concurrency is 0/],
  ])('rejects bad options %j', (options, message) => {
    expect(() => new SnsNotifier(client, options)).toThrow(message);
  });
});

describe('planMessages', () => {
  it('plans every message with ASCII subjects and every transition carried', () => {
    const transitions = manyTransitions(30);
    const planned = planMessages(batch(transitions, [], 'prod-東京'), { chat: true })!;
    const all = [planned.human, ...planned.others];
    for (const message of all) {
      if (message.subject !== undefined) {
        expect(message.subject).toMatch(/^[\x20-\x7e]{1,100}$/);
      }
      expect(message.attributes.cluster).toBe('prod-東京');
    }
    const machineCarried = planned.others
      .filter((m) => m.audience === 'machine')
      .flatMap((m) => m.carries);
    expect(machineCarried).toEqual(transitions.map((t) => t.item.sk));
  });
});

describe('SnsNotifier with the ledger', () => {
  it('leaves an undelivered transition owed for the next run', async () => {
    const f = { ...finding({ ruleId: 'A' }), forSeconds: 0 };
    const evaluation: Evaluation = {
      findings: [f],
      coverage: [{ ruleId: 'A', status: 'evaluated' }],
    };
    const ledger = new Ledger(new MemoryLedgerStore());
    const { notifier: n } = notifier();
    const now = Date.parse(RUN_AT);
    const publish = (ts: Parameters<SnsNotifier['publish']>[0]['transitions']) =>
      n.publish({ cluster: CLUSTER, runAt: RUN_AT, transitions: ts, stillFiring: [] });

    sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      if (attribute(input, 'audience') === 'machine') throw throttled();
      return {};
    });
    const first = await ledger.deliver(CLUSTER, evaluation, now, publish);
    expect(first.undelivered.map((t) => t.item.sk)).toEqual([f.fingerprint]);

    sns.reset();
    sns.on(PublishCommand).resolves({});
    const second = await ledger.deliver(CLUSTER, evaluation, now + 60_000, publish);
    expect(second.delivered.map((t) => [t.kind, t.item.sk])).toEqual([['firing', f.fingerprint]]);

    const third = await ledger.deliver(CLUSTER, evaluation, now + 120_000, publish);
    expect(third.delivered).toEqual([]);
  });
});
