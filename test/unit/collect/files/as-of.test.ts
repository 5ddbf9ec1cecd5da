/** The time saved input is evaluated at: its newest timestamp, --as-of, or the clock with a note. */
import { chooseAsOf, newestTimestamp } from '../../../../lib/collect/files/as-of';
import { snapshotFromDocuments } from '../../../../lib/collect/files';
import { evaluate, DEFAULT_POLICY } from '../../../../lib/rules';

const CLOCK = '2030-01-01T00:00:00.000Z';

describe('newestTimestamp', () => {
  it('reads node heartbeats, event times and a saved snapshot collectedAt', () => {
    const node = {
      kind: 'Node',
      metadata: { name: 'a', creationTimestamp: '2026-01-01T00:00:00Z' },
      status: { conditions: [{ type: 'Ready', lastHeartbeatTime: '2026-05-01T10:00:00Z' }] },
    };
    expect(newestTimestamp([node])).toBe(Date.parse('2026-05-01T10:00:00Z'));
    const event = { kind: 'Event', lastTimestamp: '2026-05-01T10:05:00Z', eventTime: null };
    expect(newestTimestamp([node, { kind: 'List', items: [event] }])).toBe(
      Date.parse('2026-05-01T10:05:00Z'),
    );
    const info = {
      apiVersion: 'skewguard.io/v1',
      kind: 'SkewguardSnapshot',
      collectedAt: '2026-05-01T10:06:30.123Z',
    };
    expect(newestTimestamp([info, node])).toBe(Date.parse('2026-05-01T10:06:30.123Z'));
  });

  it('ignores deletionTimestamp (in the future during a grace period) and non-times', () => {
    const pod = {
      metadata: {
        creationTimestamp: '2026-05-01T10:00:00Z',
        deletionTimestamp: '2026-05-01T11:00:00Z',
      },
      status: { startTime: 'not a time', conditions: [{ lastTransitionTime: 12 }] },
    };
    expect(newestTimestamp([pod])).toBe(Date.parse('2026-05-01T10:00:00Z'));
    expect(newestTimestamp([{ kind: 'Deployment' }])).toBeUndefined();
  });
});

describe('chooseAsOf', () => {
  const node = { metadata: { creationTimestamp: '2026-05-01T10:00:00Z' } };

  it('takes the newest timestamp, and says so', () => {
    const asOf = chooseAsOf([node], CLOCK, undefined);
    expect(asOf.collectedAt).toBe('2026-05-01T10:00:00.000Z');
    expect(asOf.note).toMatch(/newest timestamp in the input .*--as-of TIME/);
  });

  it('falls back to the clock, with a note, when nothing in the input is dated', () => {
    const asOf = chooseAsOf([{ kind: 'Deployment' }], CLOCK, undefined);
    expect(asOf).toEqual({
      collectedAt: CLOCK,
      note: expect.stringContaining('holds no timestamps'),
    });
  });

  it('keeps the clock when the input claims a later time (clock skew), and says so', () => {
    const asOf = chooseAsOf([node], '2026-05-01T09:00:00.000Z', undefined);
    expect(asOf.collectedAt).toBe('2026-05-01T09:00:00.000Z');
    expect(asOf.note).toContain("later than this machine's clock");
  });
});

describe('a node without status.nodeInfo', () => {
  it('reports no kubelet version, rather than an unparseable "" with an image-tag hint', () => {
    const snapshot = snapshotFromDocuments(
      [
        { kind: 'Node', metadata: { name: 'worker-1' } },
        { serverVersion: { major: '1', minor: '30', gitVersion: 'v1.30.4' } },
      ],
      { cluster: 'c', collectedAt: CLOCK },
    );
    const finding = evaluate(snapshot, DEFAULT_POLICY, Date.parse(CLOCK)).findings.find(
      (f) => f.ruleId === 'VersionUnparseable',
    );
    expect(finding?.summary).toMatch(/^node worker-1 reports no kubelet version; /);
    expect(finding?.summary).toContain('kubectl get nodes -o json');
    expect(finding?.summary).not.toContain('image tag');
    expect(finding?.summary).not.toContain('""');
  });
});
