/**
 * The fleet heartbeat's stale-cluster count over a ledger in memory: what StaleClusters reports
 * when one cluster stops, when clusters join or leave the config, and how early a cluster counts.
 */
import { MemoryLedgerStore, heartbeatPartition, recordHeartbeat } from '../../../lib/ledger';
import type { HeartbeatWindow } from '../../../lib/util/heartbeat';
import {
  STALE_GRACE_SECONDS,
  heartbeatWindow,
  staleAfterSeconds,
  staleAlarmWindow,
  windowDimension,
  windowSeconds,
} from '../../../lib/util/heartbeat';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const FIVE_MIN = 300;
const MISSED = 3;
const ALARM: HeartbeatWindow = staleAlarmWindow([FIVE_MIN], MISSED);
const CLUSTERS = ['a', 'b', 'c'].map((name) => ({ name, periodSeconds: FIVE_MIN }));

/** One run of `cluster` at `minutes` past T0, as the handler records it. */
function run(store: MemoryLedgerStore, cluster: string, minutes: number, clusters = CLUSTERS) {
  return recordHeartbeat(store, {
    group: 'Check',
    cluster,
    clusters,
    now: T0 + minutes * 60_000,
    missedRuns: MISSED,
    alarm: ALARM,
  });
}

describe('recordHeartbeat', () => {
  it('reports 0 while every cluster runs on schedule', async () => {
    const store = new MemoryLedgerStore();
    for (let minutes = 0; minutes <= 60; minutes += 5) {
      for (const c of CLUSTERS) expect((await run(store, c.name, minutes)).stale).toEqual([]);
    }
  });

  it('reports 1 once one cluster has missed its runs, from the other clusters’ runs', async () => {
    const store = new MemoryLedgerStore();
    for (const c of CLUSTERS) await run(store, c.name, 0);
    // c stops after minute 0; a and b go on every 5 minutes.
    const seen: number[] = [];
    for (let minutes = 5; minutes <= 30; minutes += 5) {
      await run(store, 'a', minutes);
      seen.push((await run(store, 'b', minutes)).stale.length);
    }
    // Stale from the first run past one period + grace (minute 10), on every report after it.
    expect(seen).toEqual([0, 1, 1, 1, 1, 1]);
    await run(store, 'b', 35);
    expect((await run(store, 'a', 35)).stale).toEqual(['c']);
    // c comes back: 0 again.
    await run(store, 'c', 40);
    await run(store, 'b', 40);
    expect((await run(store, 'a', 40)).stale).toEqual([]);
  });

  it('starts the clock of a configured cluster that never completed when a sibling first sees it', async () => {
    const store = new MemoryLedgerStore();
    expect((await run(store, 'a', 0)).stale).toEqual([]);
    const seeded = await store.load(heartbeatPartition('Check'));
    expect(seeded.map((i) => [i.sk, 'lastSuccessAt' in i])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
    ]);
    expect((await run(store, 'a', 5)).stale).toEqual([]);
    expect((await run(store, 'a', 10)).stale).toEqual(['b', 'c']);
  });

  it('forgets a cluster removed from the config instead of counting it stale forever', async () => {
    const store = new MemoryLedgerStore();
    for (const c of CLUSTERS) await run(store, c.name, 0);
    const withoutC = CLUSTERS.filter((c) => c.name !== 'c');
    expect((await run(store, 'a', 60, withoutC)).stale).toEqual(['b']);
    const left = await store.load(heartbeatPartition('Check'));
    expect(left.map((i) => i.sk)).toEqual(['a', 'b']);
  });

  it('keeps each check function’s clusters in its own partition', async () => {
    const store = new MemoryLedgerStore();
    await run(store, 'a', 0);
    await recordHeartbeat(store, {
      group: 'CheckPart2',
      cluster: 'x',
      clusters: [{ name: 'x', periodSeconds: FIVE_MIN }],
      now: T0,
      missedRuns: MISSED,
      alarm: ALARM,
    });
    expect((await run(store, 'a', 60)).stale).toEqual(['b', 'c']);
    expect((await store.load(heartbeatPartition('CheckPart2'))).map((i) => i.sk)).toEqual(['x']);
  });
});

describe('staleAfterSeconds', () => {
  it('is one run period plus grace for the function’s fastest schedule', () => {
    expect(staleAfterSeconds(FIVE_MIN, MISSED, ALARM)).toBe(FIVE_MIN + STALE_GRACE_SECONDS);
  });

  it('lets a slower cluster miss its own missedRuns, less the periods the alarm waits', () => {
    // An hourly cluster in a 5-minute function: 3 h window, the alarm needs 3 × 5 min more.
    const hourly = staleAfterSeconds(3600, MISSED, ALARM);
    expect(hourly).toBe(3 * 3600 - 2 * FIVE_MIN + STALE_GRACE_SECONDS);
    // Reported stale that early, the alarm fires as the cluster's own window ends (+ grace).
    expect(hourly + (ALARM.evaluationPeriods - 1) * ALARM.periodSeconds).toBe(
      windowSeconds(heartbeatWindow(3600, MISSED)) + STALE_GRACE_SECONDS,
    );
  });

  it('names the alarm window the series and alarm share', () => {
    expect(windowDimension(ALARM)).toBe('300x3');
    expect(windowDimension(staleAlarmWindow([3600, 86400], 2))).toBe('3600x2');
  });
});
