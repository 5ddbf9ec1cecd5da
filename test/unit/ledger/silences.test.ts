/**
 * Holds in the ledger, on the memory store and on DynamoDB (dynalite): a silenced or windowed
 * finding is stored but not published, and the first run after the hold publishes it once.
 */
import type {
  LedgerStore,
  ScanningLedgerStore,
  SilenceItem,
  Transition,
} from '../../../lib/ledger';
import {
  addSilence,
  expireSilence,
  Ledger,
  listSilences,
  MemoryLedgerStore,
  ScanningDynamoDbLedgerStore,
  subjectMatches,
} from '../../../lib/ledger';
import type { MaintenanceWindow } from '../../../lib/config';
import type { Dynalite } from '../../support/dynalite';
import { startDynalite } from '../../support/dynalite';
import { DAY, evaluation, finding, HOUR, MINUTE, T0 } from './helpers';

let dynalite: Dynalite;
let tables = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite.stop();
});

const stores: [string, () => Promise<ScanningLedgerStore>][] = [
  ['memory', () => Promise.resolve(new MemoryLedgerStore())],
  [
    'dynamodb',
    async () => {
      const name = `silences-${++tables}`;
      await dynalite.createTable(name);
      return new ScanningDynamoDbLedgerStore(dynalite.client, name);
    },
  ],
];

/** A ledger whose publisher records every transition it is handed. */
function harness(store: LedgerStore, windows: readonly MaintenanceWindow[] = []) {
  const ledger = new Ledger(store);
  const published: Transition[][] = [];
  const run = async (findings: ReturnType<typeof finding>[], now: number) =>
    ledger.deliver(
      'prod',
      evaluation(findings),
      now,
      async (transitions) => {
        published.push([...transitions]);
      },
      { maintenanceWindows: windows },
    );
  return { run, published };
}

const silence = (store: LedgerStore, rest: Partial<Parameters<typeof addSilence>[1]> = {}) =>
  addSilence(
    store,
    {
      cluster: 'prod',
      durationSeconds: (2 * HOUR) / 1000,
      comment: 'upgrade window, OPS-1',
      createdBy: 'alice',
      ...rest,
    },
    T0,
  );

describe.each(stores)('holds on the %s store', (_name, makeStore) => {
  let store: ScanningLedgerStore;
  beforeEach(async () => {
    store = await makeStore();
  });

  it('a silenced finding is stored as firing but not published, and publishes once after the silence', async () => {
    const { run, published } = harness(store);
    await silence(store, { ruleId: 'RolloutStuck', subject: 'shop/web' });

    const during = await run([finding('web'), finding('api')], T0 + MINUTE);
    expect(published.map((b) => b.map((t) => t.item.subject.name))).toEqual([['api']]);
    expect(during.held.map((h) => [h.kind, h.item.subject.name, h.hold.kind])).toEqual([
      ['firing', 'web', 'silence'],
    ]);
    const web = during.items.find((i) => i.subject.name === 'web');
    expect(web?.status).toBe('firing');
    expect(web?.notifiedStatus).toBeUndefined();

    await run([finding('web'), finding('api')], T0 + HOUR);
    expect(published).toHaveLength(1);

    const after = await run([finding('web'), finding('api')], T0 + 2 * HOUR + MINUTE);
    expect(published.map((b) => b.map((t) => `${t.kind} ${t.item.subject.name}`))).toEqual([
      ['firing api'],
      ['firing web'],
    ]);
    expect(after.held).toEqual([]);
    await run([finding('web'), finding('api')], T0 + 3 * HOUR);
    expect(published).toHaveLength(2);
  });

  it('a condition that fires and resolves inside a silence notifies nobody', async () => {
    const { run, published } = harness(store);
    await silence(store);
    await run([finding('web')], T0 + MINUTE);
    await run([], T0 + HOUR);
    await run([], T0 + 3 * HOUR);
    expect(published).toEqual([]);
  });

  it('a resolution inside a silence is held and sent after it, so a page that opened closes', async () => {
    const { run, published } = harness(store);
    await run([finding('web')], T0 - HOUR);
    await silence(store);
    await run([], T0 + MINUTE);
    await run([], T0 + HOUR);
    expect(published.map((b) => b.map((t) => t.kind))).toEqual([['firing']]);
    await run([], T0 + 2 * HOUR + MINUTE);
    expect(published.map((b) => b.map((t) => t.kind))).toEqual([['firing'], ['resolved']]);
  });

  it('expiring a silence releases what still fires at the next run; list shows who and why', async () => {
    const { run, published } = harness(store);
    const added = await silence(store, { durationSeconds: (7 * DAY) / 1000 });
    await run([finding('web')], T0 + MINUTE);
    expect(published).toEqual([]);

    const outcome = await expireSilence(store, added.id, 'bob', T0 + 10 * MINUTE);
    expect(outcome?.expired).toBe(true);
    expect((await expireSilence(store, added.id, 'bob', T0 + 11 * MINUTE))?.expired).toBe(false);
    expect(await expireSilence(store, 'nope', 'bob', T0)).toBeUndefined();

    await run([finding('web')], T0 + 15 * MINUTE);
    expect(published.map((b) => b.map((t) => t.kind))).toEqual([['firing']]);
    const listed: readonly SilenceItem[] = await listSilences(store);
    expect(listed.map((s) => [s.id, s.createdBy, s.expiredBy, s.comment])).toEqual([
      [added.id, 'alice', 'bob', 'upgrade window, OPS-1'],
    ]);
    expect(await listSilences(store, 'other')).toEqual([]);
  });

  it('a maintenance window holds every finding of the cluster, then releases them once', async () => {
    // 2026-11-21 (T0's day) is a Saturday; the window opens at 12:00 UTC for 2 hours.
    const { run, published } = harness(store, [
      { cron: '0 12 * * SAT', durationSeconds: 7200, timezone: 'UTC' },
    ]);
    const during = await run([finding('web'), finding('api')], T0 + MINUTE);
    expect(published).toEqual([]);
    expect(during.held.map((h) => h.hold)).toEqual([
      { kind: 'maintenance', cron: '0 12 * * SAT', until: '2026-11-21T14:00:00.000Z' },
      { kind: 'maintenance', cron: '0 12 * * SAT', until: '2026-11-21T14:00:00.000Z' },
    ]);
    await run([finding('web'), finding('api')], T0 + 2 * HOUR);
    expect(published.map((b) => b.map((t) => t.item.subject.name).sort())).toEqual([
      ['api', 'web'],
    ]);
    await run([finding('web'), finding('api')], T0 + 2 * HOUR + 5 * MINUTE);
    expect(published).toHaveLength(1);
  });
});

describe('subjectMatches', () => {
  const deployment = { kind: 'Deployment', namespace: 'shop', name: 'web' };
  it.each([
    ['web', true],
    ['shop/web', true],
    ['Deployment/web', true],
    ['deployment/shop/web', true],
    ['Deployment/other/web', false],
    ['StatefulSet/shop/web', false],
    ['shop', false],
  ])('%s → %s', (pattern, expected) => {
    expect(subjectMatches(pattern, deployment)).toBe(expected);
  });
  it('matches a version group by its name', () => {
    expect(subjectMatches('Kubelet/v1.26', { kind: 'Kubelet', name: 'v1.26' })).toBe(true);
    expect(subjectMatches('v1.26', { kind: 'Kubelet', name: 'v1.26' })).toBe(true);
  });
});
