/** The history windows and run dating of lib/collect/prometheus/history: a run is dated only when it held at every step. */
import {
  HISTORY_EDGE_LABEL,
  HISTORY_LABEL,
  historyWindow,
  readCrashLoopHistory,
  readVersionHistory,
} from '../../../../lib/collect/prometheus/history';
import type { Sample } from '../../../../lib/collect/prometheus/types';

const NOW_S = 1_800_000_000;
const edge = (history: string, which: 'first' | 'count', value: number, labels = {}): Sample => ({
  metric: { [HISTORY_LABEL]: history, [HISTORY_EDGE_LABEL]: which, ...labels },
  value,
});

describe('historyWindow', () => {
  it.each([
    [900, 60, { lookbackSeconds: 1200, stepSeconds: 60 }],
    [3600, 60, { lookbackSeconds: 3960, stepSeconds: 60 }],
    // A day: at most 240 steps, so the step grows with the `for`.
    [86_400, 60, { lookbackSeconds: 95_040, stepSeconds: 396 }],
  ])('for %ss at a %ss step reads back %o', (forSeconds, step, expected) => {
    expect(historyWindow(forSeconds, step)).toEqual(expected);
  });

  it('reads nothing back for a rule that fires at once', () => {
    expect(historyWindow(0, 60)).toBeUndefined();
  });
});

describe('readVersionHistory', () => {
  const window = { lookbackSeconds: 3960, stepSeconds: 60 };
  it('dates a version present at every step since its first', () => {
    const first = NOW_S - 30 * 60;
    const history = readVersionHistory(
      [
        edge('apiserverMinors', 'first', first, { skewguard_version: '1.30' }),
        edge('apiserverMinors', 'count', 31, { skewguard_version: '1.30' }),
      ],
      window,
      NOW_S * 1000,
    );
    expect(history).toEqual({
      apiserverMinors: { '1.30': new Date(first * 1000).toISOString() },
    });
  });

  it('does not date a version seen with gaps: where its current run began is unknown', () => {
    const history = readVersionHistory(
      [
        edge('etcdVersions', 'first', NOW_S - 30 * 60, { skewguard_version: '3.5.9' }),
        edge('etcdVersions', 'count', 20, { skewguard_version: '3.5.9' }),
      ],
      window,
      NOW_S * 1000,
    );
    expect(history).toEqual({});
  });
});

describe('readCrashLoopHistory', () => {
  it('keys each dated loop by namespace/pod/container', () => {
    const labels = { namespace: 'shop', pod: 'web-1', container: 'app' };
    const first = NOW_S - 10 * 60;
    const runs = readCrashLoopHistory(
      [edge('crashLoop', 'first', first, labels), edge('crashLoop', 'count', 11, labels)],
      { lookbackSeconds: 1200, stepSeconds: 60 },
      NOW_S * 1000,
    );
    expect([...runs]).toEqual([['shop/web-1/app', new Date(first * 1000).toISOString()]]);
  });
});
