/**
 * Behaviour every ledger store must give the Ledger: run by ledger-memory.test.ts against the
 * in-memory store and by test/integration/ledger-dynamodb.test.ts against dynalite.
 */
import type {
  LedgerItem,
  LedgerStore,
  Publish,
  SourceHealthItem,
  StoredItem,
  Transition,
  WriteOutcome,
} from '../../../lib/ledger';
import { Ledger, LedgerError, SOURCE_KEY_PREFIX } from '../../../lib/ledger';
import type { Finding } from '../../../lib/rules/model';
import { DAY, MINUTE, T0, evaluation, finding, storedItem } from './helpers';

/** Every notice a publisher accepted, in order. */
interface Sent {
  readonly run: string;
  readonly kind: Transition['kind'];
  readonly fingerprint: string;
  readonly severity: string;
}

/** Collects published transitions; can be told to fail. */
class Outbox {
  readonly sent: Sent[] = [];
  attempts = 0;

  publisher(run: string, behaviour: { fail?: boolean; undelivered?: string[] } = {}): Publish {
    return async (transitions) => {
      this.attempts++;
      // Yield so overlapping runs really interleave around the publish.
      await new Promise((resolve) => setImmediate(resolve));
      if (behaviour.fail) throw new Error('SNS publish failed: Throttling');
      for (const t of transitions) {
        if (behaviour.undelivered?.includes(t.item.sk)) continue;
        this.sent.push({
          run,
          kind: t.kind,
          fingerprint: t.item.sk,
          severity: t.item.severity,
        });
      }
      return { undelivered: behaviour.undelivered ?? [] };
    };
  }

  count(kind: Transition['kind'], fingerprint?: string): number {
    return this.sent.filter(
      (s) => s.kind === kind && (fingerprint === undefined || s.fingerprint === fingerprint),
    ).length;
  }
}

/** A store whose writes can be made to fail, as a throttled or unreachable table would. */
class FlakyStore implements LedgerStore {
  failWrites = false;
  constructor(private readonly inner: LedgerStore) {}
  load(cluster: string, skPrefix?: string): Promise<readonly StoredItem[]> {
    return this.inner.load(cluster, skPrefix);
  }
  async put(item: StoredItem, expectedVersion: number | undefined): Promise<WriteOutcome> {
    if (this.failWrites) throw new LedgerError('put', 'ThrottlingException: rate exceeded');
    return this.inner.put(item, expectedVersion);
  }
  async delete(cluster: string, sk: string, expectedVersion: number): Promise<WriteOutcome> {
    if (this.failWrites) throw new LedgerError('delete', 'ThrottlingException: rate exceeded');
    return this.inner.delete(cluster, sk, expectedVersion);
  }
}

let clusterSeq = 0;
/** A fresh cluster name per test, so tests sharing one table never see each other's items. */
function newCluster(): string {
  return `cluster-${process.pid}-${++clusterSeq}`;
}

async function findingItem(store: LedgerStore, cluster: string, sk: string): Promise<LedgerItem> {
  const item = (await store.load(cluster)).find((i) => i.sk === sk);
  if (item?.type !== 'finding') throw new Error(`no finding item ${sk} in ${cluster}`);
  return item;
}

const web = finding('web');
const minutes = (n: number): number => T0 + n * MINUTE;

/** Registers the ledger behaviour tests for one store. */
export function describeLedgerContract(storeName: string, makeStore: () => LedgerStore): void {
  describe(`Ledger over the ${storeName} store`, () => {
    let store: LedgerStore;
    let ledger: Ledger;
    let cluster: string;
    let outbox: Outbox;
    beforeEach(() => {
      store = makeStore();
      ledger = new Ledger(store);
      cluster = newCluster();
      outbox = new Outbox();
    });

    const run = (at: number, findings: readonly Finding[], name = `run@${at}`) =>
      ledger.deliver(cluster, evaluation(findings), at, outbox.publisher(name));

    describe('time', () => {
      it('notifies a new finding once, stays quiet, and repeats after the interval', async () => {
        expect((await run(T0, [web])).delivered.map((t) => t.kind)).toEqual(['firing']);
        const quiet = await run(minutes(5), [web]);
        expect(quiet.delivered).toEqual([]);
        expect((await run(T0 + DAY, [web])).delivered.map((t) => t.kind)).toEqual(['repeat']);
        expect(outbox.attempts).toBe(2);
        const item = await findingItem(store, cluster, web.fingerprint);
        expect(item).toMatchObject({
          status: 'firing',
          notifiedStatus: 'firing',
          notifyCount: 2,
          lastNotified: new Date(T0 + DAY).toISOString(),
        });
        expect(item.claimId).toBeUndefined();
      });

      it('waits for `for`, then fires; resolves once and then expires the item', async () => {
        const slow = finding('web', { forSeconds: 600 });
        expect((await run(T0, [slow])).delivered).toEqual([]);
        expect((await run(minutes(5), [slow])).delivered).toEqual([]);
        expect((await run(minutes(10), [slow])).delivered.map((t) => t.kind)).toEqual(['firing']);
        const resolved = await run(minutes(15), []);
        expect(resolved.delivered.map((t) => [t.kind, t.finding.summary])).toEqual([
          ['resolved', slow.summary],
        ]);
        expect(await findingItem(store, cluster, web.fingerprint)).toMatchObject({
          status: 'resolved',
          notifiedStatus: 'resolved',
          expiresAt: minutes(15) / 1000 + 7 * 86_400,
        });
        expect((await run(minutes(20), [])).delivered).toEqual([]);
        await run(minutes(15) + 7 * DAY, []);
        expect(await store.load(cluster)).toEqual([]);
      });

      it('never resolves a finding whose rule was skipped', async () => {
        await run(T0, [web]);
        const skipped = await ledger.deliver(
          cluster,
          evaluation([], { skipped: ['RolloutStuck'] }),
          minutes(5),
          outbox.publisher('skipped'),
        );
        expect(skipped.delivered).toEqual([]);
        expect(await findingItem(store, cluster, web.fingerprint)).toMatchObject({
          status: 'firing',
        });
      });

      it('notifies a severity escalation as a new firing notice', async () => {
        await run(T0, [web]);
        const escalated = await run(minutes(5), [finding('web', { severity: 'critical' })]);
        expect(escalated.delivered.map((t) => [t.kind, t.item.severity])).toEqual([
          ['firing', 'critical'],
        ]);
      });
    });

    describe('publish failures: nothing lost, at most one duplicate', () => {
      it('delivers on the next run after a failed publish, exactly once', async () => {
        const failed = ledger.deliver(
          cluster,
          evaluation([web]),
          T0,
          outbox.publisher('failing', { fail: true }),
        );
        await expect(failed).rejects.toThrow('SNS publish failed');
        const after = await findingItem(store, cluster, web.fingerprint);
        expect(after).toMatchObject({ status: 'firing', notifyCount: 0 });
        expect(after.notifiedStatus).toBeUndefined();
        expect(after.claimId).toBeUndefined();

        expect((await run(minutes(5), [web])).delivered.map((t) => t.kind)).toEqual(['firing']);
        await run(minutes(10), [web]);
        expect(outbox.count('firing', web.fingerprint)).toBe(1);
        expect(outbox.attempts).toBe(2);
      });

      it('retries a resolved notice whose publish failed', async () => {
        await run(T0, [web]);
        await expect(
          ledger.deliver(
            cluster,
            evaluation([]),
            minutes(5),
            outbox.publisher('x', { fail: true }),
          ),
        ).rejects.toThrow();
        // Even a skipped rule does not stop an owed resolution from going out.
        const retried = await ledger.deliver(
          cluster,
          evaluation([], { skipped: ['RolloutStuck'] }),
          minutes(10),
          outbox.publisher('retry'),
        );
        expect(retried.delivered.map((t) => t.kind)).toEqual(['resolved']);
        expect(outbox.count('resolved')).toBe(1);
      });

      it('a run that dies after publishing repeats at most once, after its claim lapses', async () => {
        const claim = await ledger.claim(await ledger.plan(cluster, evaluation([web]), T0));
        await outbox.publisher('dies')(claim.transitions);
        // No confirm: the Lambda timed out here.
        expect((await run(minutes(5), [web])).delivered).toEqual([]);
        expect((await run(minutes(16), [web])).delivered.map((t) => t.kind)).toEqual(['firing']);
        await run(minutes(21), [web]);
        expect(outbox.count('firing', web.fingerprint)).toBe(2);
      });

      it('a confirm write that fails is reported and repeats once, never drops', async () => {
        const flaky = new FlakyStore(store);
        const flakyLedger = new Ledger(flaky);
        const inner = outbox.publisher('then-store-fails');
        const result = await flakyLedger.deliver(cluster, evaluation([web]), T0, async (t) => {
          await inner(t);
          flaky.failWrites = true;
        });
        expect(result.delivered).toHaveLength(1);
        expect(result.failures.map((f) => f.sk)).toEqual([web.fingerprint]);
        expect(result.failures[0]?.error).toBeInstanceOf(LedgerError);
        flaky.failWrites = false;
        await flakyLedger.deliver(cluster, evaluation([web]), minutes(20), outbox.publisher('2'));
        await flakyLedger.deliver(cluster, evaluation([web]), minutes(25), outbox.publisher('3'));
        expect(outbox.count('firing', web.fingerprint)).toBe(2);
      });

      it('a claim write the store rejects is reported, not published, and retried', async () => {
        const flaky = new FlakyStore(store);
        flaky.failWrites = true;
        const flakyLedger = new Ledger(flaky);
        const result = await flakyLedger.deliver(
          cluster,
          evaluation([web]),
          T0,
          outbox.publisher('1'),
        );
        expect(result.failures.map((f) => f.error.message)).toEqual([
          'ThrottlingException: rate exceeded',
        ]);
        expect(outbox.attempts).toBe(0);
        flaky.failWrites = false;
        await flakyLedger.deliver(cluster, evaluation([web]), minutes(5), outbox.publisher('2'));
        expect(outbox.count('firing', web.fingerprint)).toBe(1);
      });

      it('releases what the publisher could not deliver and retries only that', async () => {
        const api = finding('api');
        const partial = await ledger.deliver(
          cluster,
          evaluation([web, api]),
          T0,
          outbox.publisher('partial', { undelivered: [api.fingerprint] }),
        );
        expect(partial.delivered.map((t) => t.item.sk)).toEqual([web.fingerprint]);
        expect(partial.undelivered.map((t) => t.item.sk)).toEqual([api.fingerprint]);
        const next = await run(minutes(5), [web, api]);
        expect(next.delivered.map((t) => t.item.sk)).toEqual([api.fingerprint]);
        expect(outbox.count('firing')).toBe(2);
      });
    });

    describe('overlapping runs: exactly one notification per transition', () => {
      const many = Array.from({ length: 12 }, (_, i) => finding(`app-${i}`));

      it('two runs that planned from the same state: one claims, the other drops', async () => {
        const [planA, planB] = await Promise.all([
          ledger.plan(cluster, evaluation(many), T0),
          ledger.plan(cluster, evaluation(many), T0 + 1000),
        ]);
        expect(planA.transitions).toHaveLength(12);
        expect(planB.transitions).toHaveLength(12);
        const [claimA, claimB] = await Promise.all([ledger.claim(planA), ledger.claim(planB)]);
        expect(claimA.transitions.length + claimB.transitions.length).toBe(12);
        expect(claimA.lostRace.length + claimB.lostRace.length).toBe(12);
        await Promise.all(
          [claimA, claimB].map(async (claim) => {
            await outbox.publisher(claim.id)(claim.transitions);
            await ledger.confirm(claim);
          }),
        );
        for (const f of many) expect(outbox.count('firing', f.fingerprint)).toBe(1);
        expect(await run(minutes(5), many)).toMatchObject({ delivered: [] });
      });

      it('four concurrent full cycles on the same findings publish each once', async () => {
        const results = await Promise.all(
          ['a', 'b', 'c', 'd'].map((name, i) =>
            ledger.deliver(cluster, evaluation(many), T0 + i, outbox.publisher(name)),
          ),
        );
        for (const f of many) expect(outbox.count('firing', f.fingerprint)).toBe(1);
        expect(results.flatMap((r) => r.failures)).toEqual([]);
        expect(results.reduce((sum, r) => sum + r.delivered.length, 0)).toBe(12);
      });

      it('a run that plans while another holds the claim leaves the item alone', async () => {
        const claimA = await ledger.claim(await ledger.plan(cluster, evaluation([web]), T0));
        const planB = await ledger.plan(cluster, evaluation([web]), minutes(1));
        expect(planB).toMatchObject({ transitions: [], writes: [] });
        await outbox.publisher('A')(claimA.transitions);
        expect((await ledger.confirm(claimA)).settled).toHaveLength(1);
        await ledger.claim(planB);
        expect(outbox.count('firing', web.fingerprint)).toBe(1);
      });

      it('two runs that both see a finding gone send one resolved notice', async () => {
        await run(T0, many);
        await Promise.all([run(minutes(5), []), run(minutes(5) + 1, [])]);
        for (const f of many) expect(outbox.count('resolved', f.fingerprint)).toBe(1);
      });
    });

    describe('source health', () => {
      const sources = (kubernetes: 'ok' | 'failed', prometheus: 'ok' | 'failed' = 'ok') => [
        {
          source: 'kubernetes' as const,
          status: kubernetes,
          ...(kubernetes === 'failed'
            ? { reason: 'connect ETIMEDOUT 10.0.0.1:443', kind: 'timeout' as const }
            : {}),
        },
        { source: 'prometheus' as const, status: prometheus },
      ];

      it('counts failed runs, flags the source at the third, and resets on success', async () => {
        const counts: number[] = [];
        const flagged: string[][] = [];
        for (const [i, status] of (['failed', 'failed', 'failed', 'ok'] as const).entries()) {
          const report = await ledger.recordSourceHealth(cluster, sources(status), minutes(i * 5));
          counts.push(report.sources.find((s) => s.source === 'kubernetes')!.consecutiveFailures);
          flagged.push(report.unavailable.map((s) => s.source));
        }
        expect(counts).toEqual([1, 2, 3, 0]);
        expect(flagged).toEqual([[], [], ['kubernetes'], []]);
        const stored = (await store.load(cluster, SOURCE_KEY_PREFIX)) as SourceHealthItem[];
        expect(stored.find((s) => s.source === 'kubernetes')).toMatchObject({
          consecutiveFailures: 0,
          lastStatus: 'ok',
          lastOkAt: new Date(minutes(15)).toISOString(),
        });
      });

      it('flags every source at once when all failed', async () => {
        const report = await ledger.recordSourceHealth(cluster, sources('failed', 'failed'), T0);
        expect(report.allFailed).toBe(true);
        expect(report.unavailable.map((s) => [s.source, s.consecutiveFailures])).toEqual([
          ['kubernetes', 1],
          ['prometheus', 1],
        ]);
        expect(report.sources[0]).toMatchObject({ reason: 'connect ETIMEDOUT 10.0.0.1:443' });
      });

      it('counts both of two overlapping failed runs', async () => {
        await Promise.all([
          ledger.recordSourceHealth(cluster, sources('failed'), T0),
          ledger.recordSourceHealth(cluster, sources('failed'), T0 + 1),
        ]);
        const report = await ledger.recordSourceHealth(cluster, sources('failed'), minutes(5));
        expect(report.unavailable.map((s) => [s.source, s.consecutiveFailures])).toEqual([
          ['kubernetes', 3],
        ]);
      });

      it('keeps source items out of finding reconciliation', async () => {
        await ledger.recordSourceHealth(cluster, sources('failed'), T0);
        expect((await run(T0, [web])).delivered).toHaveLength(1);
        expect((await store.load(cluster)).map((i) => i.type).sort()).toEqual([
          'finding',
          'sourceHealth',
          'sourceHealth',
        ]);
      });
    });

    describe('store conditions', () => {
      it('writes a new item once; a second create loses the race', async () => {
        const item = storedItem('web', { version: 1 }, cluster);
        expect(await store.put(item, undefined)).toBe('written');
        expect(await store.put(item, undefined)).toBe('lostRace');
      });

      it('updates and deletes only at the version read', async () => {
        const v1 = storedItem('web', { version: 1 }, cluster);
        await store.put(v1, undefined);
        expect(await store.put({ ...v1, version: 3 }, 2)).toBe('lostRace');
        expect(await store.put({ ...v1, version: 2, summary: 'new' }, 1)).toBe('written');
        expect(await store.delete(cluster, v1.sk, 1)).toBe('lostRace');
        expect(await findingItem(store, cluster, v1.sk)).toMatchObject({
          version: 2,
          summary: 'new',
        });
        expect(await store.delete(cluster, v1.sk, 2)).toBe('written');
        expect(await store.delete(cluster, v1.sk, 2)).toBe('lostRace');
        expect(await store.load(cluster)).toEqual([]);
      });

      it('rejects a write whose version is not the next one', async () => {
        await expect(store.put(storedItem('web', { version: 5 }, cluster), 1)).rejects.toThrow(
          LedgerError,
        );
      });

      it('round-trips every field of an item', async () => {
        const item = storedItem(
          'web',
          {
            version: 1,
            since: '2026-11-20T10:00:00Z',
            claimId: 'run-1',
            claimExpiresAt: '2026-11-21T12:15:00.000Z',
            expiresAt: 1_795_000_000,
            details: { nodes: ['a', 'b'], counts: { ready: 0 }, note: '', flag: false },
          },
          cluster,
        );
        await store.put(item, undefined);
        expect(await findingItem(store, cluster, item.sk)).toEqual(item);
      });
    });
  });
}
