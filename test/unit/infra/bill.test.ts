/**
 * The bill cannot creep back: the series and alarms per cluster and per fleet that the stack
 * creates, for 1, 10 and 300 clusters, priced within issue 20's budget ($0.50 per cluster-month,
 * $10 fixed), and the totals docs/deploy.md's cost table shows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMITTED_SERIES } from '../../../lib/util/metrics';
import type { Bill } from './bill';
import { billOf, dollars } from './bill';
import { ampUrl, synth } from './support';

const DOC = readFileSync(join(__dirname, '../../../docs/deploy.md'), 'utf8');

function fleetOf(size: number, eks: boolean): unknown {
  return {
    notifications: { emails: ['ops@example.com'] },
    clusters: Array.from({ length: size }, (_, i) => ({
      name: `cluster-${String(i).padStart(3, '0')}`,
      ...(eks
        ? {
            kubernetes: { eks: { name: `eks-${i}`, region: 'eu-west-1', grantAccess: true } },
            prometheus: { url: ampUrl(`ws-${i}`), auth: { type: 'sigv4' } },
          }
        : { kubernetes: { eks: { name: `eks-${i}`, region: 'eu-west-1', grantAccess: false } } }),
    })),
  };
}

describe('the series the handler can emit', () => {
  it('are seven, none of them per cluster', () => {
    expect(EMITTED_SERIES).toHaveLength(7);
    expect(EMITTED_SERIES.filter((m) => m.scope === 'fleet')).toHaveLength(6);
    for (const m of EMITTED_SERIES) expect(m.dimensions).not.toContain('cluster');
  });
});

describe.each<[number, boolean, Partial<Bill>]>([
  [1, false, { checkFunctions: 1, series: 7, alarms: 6 }],
  [10, false, { checkFunctions: 1, series: 7, alarms: 6 }],
  // 13 functions: 24 EKS clusters with AMP fit one role's policy.
  [300, true, { checkFunctions: 13, series: 7, alarms: 30 }],
])('%i clusters (EKS with AMP: %s)', (size, eks, expected) => {
  let bill: Bill;
  beforeAll(() => {
    bill = billOf(synth(fleetOf(size, eks)), size);
  });

  it('creates no series and no alarm per cluster; per fleet 7 series, 4 alarms and 2 per check function', () => {
    expect(bill).toMatchObject({ ...expected, seriesPerCluster: 0, alarmsPerCluster: 0 });
    expect(bill.alarms).toBe(4 + 2 * bill.checkFunctions);
  });

  it('stays within $0.50 per cluster-month and $10 fixed, as docs/deploy.md shows', () => {
    expect(bill.perCluster).toBeLessThanOrEqual(0.5);
    expect(bill.fixed).toBeLessThanOrEqual(10);
    expect(DOC).toContain(`**≈ ${dollars(bill.perCluster)}**`);
    expect(DOC).toContain(dollars(bill.fixed));
  });
});
