/**
 * Severity routing across an episode: a pager filtering on `critical` that heard a finding fire
 * also hears its downgrade and its resolution, while filters on the lower severity still hear
 * the downgrade. Runs the real ledger and SnsNotifier; SNS filter matching is modelled below.
 */
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { filterPolicy, severitiesFrom } from '../../../lib/infra/notifications';
import type { LedgerItem } from '../../../lib/ledger';
import { Ledger, MemoryLedgerStore } from '../../../lib/ledger';
import { stillFiring } from '../../../lib/notify/publisher';
import { routingSeverities, severityAttribute } from '../../../lib/notify/routing';
import { SnsNotifier } from '../../../lib/notify/sns';
import type { Finding, Severity } from '../../../lib/rules/model';
import { evaluation, finding, HOUR, T0 } from '../ledger/helpers';
import { finding as notifyFinding, item } from './build';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:skewguard';
const RULE = 'DeploymentReplicasMismatch';
const sns = mockClient(SNSClient);

/** SNS attribute-scope filter matching for the operators skewguard's policies use. */
function matches(policy: Record<string, unknown>, input: PublishCommandInput): boolean {
  const or = policy['$or'];
  if (Array.isArray(or))
    return or.some((branch) => matches(branch as Record<string, unknown>, input));
  return Object.entries(policy).every(([name, allowed]) => {
    const attribute = input.MessageAttributes?.[name];
    return (allowed as unknown[]).some((rule) => {
      if (typeof rule === 'object' && rule !== null) return attribute === undefined;
      if (attribute === undefined) return false;
      const values =
        attribute.DataType === 'String.Array'
          ? (JSON.parse(attribute.StringValue ?? '[]') as string[])
          : [attribute.StringValue];
      return values.includes(rule as string);
    });
  });
}

/** One run of the pipeline's ledger-and-publish step; returns what SNS was given. */
async function run(ledger: Ledger, findings: readonly Finding[], now: number) {
  sns.resetHistory();
  const notifier = new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), { topicArn: TOPIC });
  await ledger.deliver('prod', evaluation(findings, { evaluated: [RULE] }), now, (t, ctx) =>
    notifier.publish({
      cluster: 'prod',
      runAt: new Date(now).toISOString(),
      transitions: t,
      stillFiring: stillFiring(ctx?.items ?? [], t),
    }),
  );
  return sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

function statusesFor(policy: Record<string, unknown>, inputs: readonly PublishCommandInput[]) {
  return inputs
    .filter((input) => matches(policy, input))
    .map((input) => input.MessageAttributes?.['status']?.StringValue);
}

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
});

describe('severity routing over an episode', () => {
  const mismatch = (severity: Severity): Finding =>
    finding('web', {
      ruleId: RULE,
      severity,
      details: { available: severity === 'critical' ? 0 : 1 },
    });

  /** The bug's episode: critical (0 available), then warning, then gone; SNS inputs per run. */
  async function downgradeThenResolve(): Promise<PublishCommandInput[][]> {
    const ledger = new Ledger(new MemoryLedgerStore());
    return [
      await run(ledger, [mismatch('critical')], T0),
      await run(ledger, [mismatch('warning')], T0 + HOUR),
      await run(ledger, [], T0 + 2 * HOUR),
    ];
  }

  it('critical → warning → resolved reaches a critical-only pager three times', async () => {
    const runs = await downgradeThenResolve();
    const pager = filterPolicy('machine', ['critical']);
    expect(runs.map((inputs) => statusesFor(pager, inputs))).toEqual([
      ['firing'],
      ['firing'],
      ['resolved'],
    ]);
    // The bodies keep the finding's own severity; only routing remembers the episode.
    const bodies = runs.map((inputs) =>
      inputs
        .filter((i) => i.MessageAttributes?.['audience']?.StringValue === 'machine')
        .map((i) => (JSON.parse(i.Message ?? '{}') as { severity: string }).severity),
    );
    expect(bodies).toEqual([['critical'], ['warning'], ['warning']]);
    const resolved = runs[2]?.find(
      (i) => i.MessageAttributes?.['audience']?.StringValue === 'machine',
    );
    expect(resolved?.MessageAttributes?.['severity']).toEqual({
      DataType: 'String.Array',
      StringValue: '["critical","warning"]',
    });
  });

  it.each<[string, Record<string, unknown>, (string | undefined)[][]]>([
    [
      'a warning-only endpoint still hears the downgrade and the resolution',
      filterPolicy('machine', ['warning']),
      [[], ['firing'], ['resolved']],
    ],
    [
      'a critical-only email hears the digest of the downgrade and of the resolution',
      filterPolicy('human', severitiesFrom('critical')),
      [['changed'], ['changed'], ['changed']],
    ],
  ])('%s', async (_name, policy, expected) => {
    const runs = await downgradeThenResolve();
    expect(runs.map((inputs) => statusesFor(policy, inputs))).toEqual(expected);
  });

  it('an episode fired before notifiedSeverities existed still pages its resolution', async () => {
    const store = new MemoryLedgerStore();
    const ledger = new Ledger(store);
    await run(ledger, [mismatch('critical')], T0);
    // Rewrite the item as the previous release stored it: the last severity only.
    for (const stored of await store.load('prod')) {
      const legacy = { ...stored } as LedgerItem & { notifiedSeverities?: unknown };
      if (legacy.notifiedSeverities === undefined) continue;
      delete legacy.notifiedSeverities;
      await store.put({ ...legacy, version: legacy.version + 1 }, legacy.version);
    }
    const pager = filterPolicy('machine', ['critical']);
    const downgrade = await run(ledger, [mismatch('warning')], T0 + HOUR);
    const resolve = await run(ledger, [], T0 + 2 * HOUR);
    expect([statusesFor(pager, downgrade), statusesFor(pager, resolve)]).toEqual([
      ['firing'],
      ['resolved'],
    ]);
  });

  it('a new episode starts routing afresh: a warning-only return does not page', async () => {
    const ledger = new Ledger(new MemoryLedgerStore());
    await run(ledger, [mismatch('critical')], T0);
    await run(ledger, [], T0 + HOUR);
    const again = await run(ledger, [mismatch('warning')], T0 + 2 * HOUR);
    expect(statusesFor(filterPolicy('machine', ['critical']), again)).toEqual([]);
  });
});

describe('routingSeverities', () => {
  it.each<[string, Partial<LedgerItem>, Severity, Severity[]]>([
    ['a first firing routes with its own severity', {}, 'critical', ['critical']],
    [
      'a downgrade keeps the severities notified before',
      { notifiedStatus: 'firing', notifiedSeverities: ['critical'], notifiedSeverity: 'critical' },
      'warning',
      ['critical', 'warning'],
    ],
    [
      'an item stored before notifiedSeverities falls back to notifiedSeverity',
      { notifiedStatus: 'firing', notifiedSeverity: 'critical' },
      'info',
      ['critical', 'info'],
    ],
    [
      'a resolved notice that was delivered adds nothing',
      { notifiedStatus: 'resolved', notifiedSeverity: 'warning' },
      'info',
      ['info'],
    ],
  ])('%s', (_name, overrides, severity, expected) => {
    const f = notifyFinding({ severity });
    const t = { kind: 'firing' as const, finding: f, item: item(f, 'firing', overrides) };
    expect(routingSeverities(t)).toEqual(expected);
    expect(severityAttribute([t])).toEqual(expected.length === 1 ? expected[0] : expected);
  });
});
