import type { LedgerItem } from '../../../lib/ledger';
import { LedgerError, reconcile, reconcileOptions } from '../../../lib/ledger';
import type { CoverageSpec } from './helpers';
import { DAY, HOUR, MINUTE, T0, at, evaluation, finding, storedItem } from './helpers';

const CLUSTER = 'prod';

/** Reconciles one run at T0 and returns the one item's write, transition and outcome. */
function runOnce(
  stored: readonly LedgerItem[],
  findings: Parameters<typeof evaluation>[0],
  coverage?: CoverageSpec,
  now = T0,
  options = reconcileOptions(),
) {
  const result = reconcile(CLUSTER, stored, evaluation(findings, coverage), now, options);
  return {
    ...result,
    write: result.writes[0],
    transition: result.transitions[0],
    item: result.items[0],
  };
}

describe('reconcile: pending until the condition has held for its `for`', () => {
  it.each([
    // [case, forSeconds, since, stored pending firstSeen, expected status]
    ['for 0 fires in the same run', 0, undefined, undefined, 'firing'],
    ['new, no since, for 10m waits', 600, undefined, undefined, 'pending'],
    ['new, since 10m ago, for 10m fires at once', 600, at(-10 * MINUTE), undefined, 'firing'],
    ['new, since 5m ago, for 10m waits', 600, at(-5 * MINUTE), undefined, 'pending'],
    ['pending 9m (firstSeen), for 10m waits', 600, undefined, at(-9 * MINUTE), 'pending'],
    ['pending 10m (firstSeen), for 10m fires', 600, undefined, at(-10 * MINUTE), 'firing'],
    ['since wins over firstSeen', 600, at(-MINUTE), at(-HOUR), 'pending'],
    ['unreadable since falls back to firstSeen', 600, 'yesterday', at(-HOUR), 'firing'],
    ['since in the future waits', 0, at(MINUTE), undefined, 'pending'],
  ] as const)('%s', (_case, forSeconds, since, firstSeen, status) => {
    const stored = firstSeen
      ? [
          storedItem('web', {
            status: 'pending',
            firstSeen,
            lastNotified: undefined,
            notifiedStatus: undefined,
            notifiedSeverity: undefined,
            notifyCount: 0,
          }),
        ]
      : [];
    const f = finding('web', { forSeconds, ...(since ? { since } : {}) });
    const { item, transition, write } = runOnce(stored, [f]);
    expect(item).toMatchObject({ status, lastSeen: at(0), firstSeen: firstSeen ?? at(0) });
    expect(transition?.kind).toBe(status === 'firing' ? 'firing' : undefined);
    if (transition) expect(transition.finding).toBe(f);
    expect(write).toMatchObject({ op: 'put', expectedVersion: stored[0]?.version });
  });

  it('numbers versions from 1 and writes new items on "not stored yet"', () => {
    const { write } = runOnce([], [finding('web')]);
    expect(write).toEqual({
      op: 'put',
      expectedVersion: undefined,
      item: expect.objectContaining({ version: 1, pk: CLUSTER, sk: 'fp-RolloutStuck-web' }),
    });
  });
});

describe('reconcile: repeat every interval while firing, not before', () => {
  it.each([
    // [case, last notified ago, severity, repeat option (s), expected]
    ['23h59m after the last notice is quiet', DAY - MINUTE, 'critical', undefined, undefined],
    ['24h after repeats', DAY, 'critical', undefined, 'repeat'],
    ['30h after repeats', 30 * HOUR, 'info', undefined, 'repeat'],
    ['warning every 1h: 59m is quiet', 59 * MINUTE, 'warning', 3600, undefined],
    ['warning every 1h: 1h repeats', HOUR, 'warning', 3600, 'repeat'],
    ['Infinity never repeats', 365 * DAY, 'warning', Infinity, undefined],
  ] as const)('%s', (_case, ago, severity, warningEvery, expected) => {
    const options = reconcileOptions(
      warningEvery === undefined ? {} : { repeatIntervalSeconds: { warning: warningEvery } },
    );
    const stored = [storedItem('web', { severity, lastNotified: at(-ago) })];
    const { transition, item } = runOnce(stored, [finding('web', { severity })], {}, T0, options);
    expect(transition?.kind).toBe(expected);
    expect(item).toMatchObject({ status: 'firing', lastNotified: at(-ago), notifyCount: 1 });
  });

  it('owes the first firing notice again while it was never delivered', () => {
    const stored = [
      storedItem('web', {
        lastNotified: undefined,
        notifiedStatus: undefined,
        notifiedSeverity: undefined,
        notifyCount: 0,
      }),
    ];
    expect(runOnce(stored, [finding('web')]).transition?.kind).toBe('firing');
  });
});

describe('reconcile: resolves only when its rule was evaluated and the finding is absent', () => {
  it.each([
    // [case, coverage, stored overrides, expected status after, transition, write]
    ['evaluated, notified → resolved notice', {}, {}, 'resolved', 'resolved', 'put'],
    ['skipped → unchanged', { skipped: ['RolloutStuck'] }, {}, 'firing', undefined, undefined],
    ['disabled → unchanged', { disabled: ['RolloutStuck'] }, {}, 'firing', undefined, undefined],
    // A partial answer's silence proves nothing: the open finding stays open.
    ['partial → unchanged', { partial: ['RolloutStuck'] }, {}, 'firing', undefined, undefined],
    ['not in coverage → unchanged', { evaluated: ['Other'] }, {}, 'firing', undefined, undefined],
    [
      'evaluated, fired but never notified → resolved silently',
      {},
      { notifiedStatus: undefined, lastNotified: undefined, notifyCount: 0 },
      'resolved',
      undefined,
      'put',
    ],
    [
      'evaluated, pending → dropped silently',
      {},
      { status: 'pending', notifiedStatus: undefined, lastNotified: undefined },
      undefined,
      undefined,
      'delete',
    ],
    [
      'skipped, pending → unchanged',
      { skipped: ['RolloutStuck'] },
      { status: 'pending', notifiedStatus: undefined, lastNotified: undefined },
      'pending',
      undefined,
      undefined,
    ],
  ] as const)('%s', (_case, coverage, overrides, status, kind, op) => {
    const { item, transition, write } = runOnce([storedItem('web', overrides)], [], coverage);
    expect(item?.status).toBe(status);
    expect(transition?.kind).toBe(kind);
    expect(write?.op).toBe(op);
  });

  it('says what resolved: the stored last finding, and keeps the item until the notice is out', () => {
    const stored = storedItem('web', {
      summary: 'Deployment shop/web is stuck at revision 7',
      details: { revision: '7' },
      since: at(-3 * HOUR),
    });
    const { transition, item } = runOnce([stored], []);
    expect(transition?.finding).toEqual({
      ruleId: 'RolloutStuck',
      severity: 'warning',
      subject: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      fingerprint: 'fp-RolloutStuck-web',
      summary: 'Deployment shop/web is stuck at revision 7',
      details: { revision: '7' },
      since: at(-3 * HOUR),
      forSeconds: 0,
      runbookUrl: 'https://example.test/runbooks/RolloutStuck.md',
    });
    expect(item).toMatchObject({ status: 'resolved', resolvedAt: at(0), version: 4 });
    expect(item?.expiresAt).toBeUndefined();
  });

  it('retries an undelivered resolved notice even when the rule is now skipped', () => {
    const stored = storedItem('web', { status: 'resolved', resolvedAt: at(-HOUR) });
    const { transition } = runOnce([stored], [], { skipped: ['RolloutStuck'] });
    expect(transition?.kind).toBe('resolved');
  });

  it('stays quiet about a resolved item whose notice went out', () => {
    const stored = storedItem('web', {
      status: 'resolved',
      notifiedStatus: 'resolved',
      expiresAt: T0 / 1000 + DAY / 1000,
    });
    expect(runOnce([stored], [])).toMatchObject({ writes: [], transitions: [] });
  });
});

describe('reconcile: a resolved item that comes back', () => {
  it('starts a new episode as pending when its resolution was notified', () => {
    const stored = storedItem('web', {
      status: 'resolved',
      notifiedStatus: 'resolved',
      notifyCount: 2,
      expiresAt: T0 / 1000 + DAY / 1000,
    });
    const { item, transition, write } = runOnce([stored], [finding('web', { forSeconds: 600 })]);
    expect(item).toMatchObject({ status: 'pending', firstSeen: at(0), notifyCount: 0 });
    expect(item?.notifiedStatus).toBeUndefined();
    expect(item?.expiresAt).toBeUndefined();
    expect(transition).toBeUndefined();
    expect(write).toMatchObject({ expectedVersion: 3, item: { version: 4 } });
  });

  it('fires anew in the same run when its `for` is 0', () => {
    const stored = storedItem('web', { status: 'resolved', notifiedStatus: 'resolved' });
    expect(runOnce([stored], [finding('web')]).transition?.kind).toBe('firing');
  });

  it('keeps firing without a notice when people never heard it resolve', () => {
    const stored = storedItem('web', { status: 'resolved', resolvedAt: at(-HOUR) });
    const { item, transition } = runOnce([stored], [finding('web')]);
    expect(item).toMatchObject({ status: 'firing', firstSeen: at(-2 * HOUR), notifyCount: 1 });
    expect(item?.resolvedAt).toBeUndefined();
    expect(transition).toBeUndefined();
  });
});

describe('reconcile: expiry', () => {
  const ttl = reconcileOptions().resolvedTtlSeconds;

  it('gives a silently resolved item expiresAt = now + resolvedTtl (7 days by default)', () => {
    const stored = storedItem('web', { notifiedStatus: undefined, lastNotified: undefined });
    expect(ttl).toBe(7 * 86_400);
    expect(runOnce([stored], []).item?.expiresAt).toBe(T0 / 1000 + ttl);
  });

  it.each([
    // [case, expiresAt offset (ms), present, expected write]
    ['expired and absent is deleted', -1000, false, 'delete'],
    ['expired exactly now is deleted', 0, false, 'delete'],
    ['not yet expired and absent is left', 1000, false, undefined],
    ['expired and present starts over', -1000, true, 'put'],
  ] as const)('%s', (_case, offset, present, op) => {
    const stored = storedItem('web', {
      status: 'resolved',
      notifiedStatus: 'resolved',
      expiresAt: (T0 + offset) / 1000,
    });
    const { write, item } = runOnce([stored], present ? [finding('web', { forSeconds: 60 })] : []);
    expect(write?.op).toBe(op);
    if (op === 'delete') expect(write).toMatchObject({ sk: stored.sk, expectedVersion: 3 });
    if (present) expect(item).toMatchObject({ status: 'pending', firstSeen: at(0) });
  });
});

describe('reconcile: severity changes', () => {
  it.each([
    // [case, notified severity, new severity, stored status, expected transition]
    ['escalation warning → critical fires again', 'warning', 'critical', 'firing', 'firing'],
    ['de-escalation critical → warning fires again', 'critical', 'warning', 'firing', 'firing'],
    ['same severity is quiet', 'warning', 'warning', 'firing', undefined],
    ['a pending item only records it', undefined, 'critical', 'pending', undefined],
  ] as const)('%s', (_case, notifiedSeverity, severity, status, expected) => {
    const stored = storedItem('web', {
      status,
      notifiedSeverity,
      ...(status === 'pending'
        ? { notifiedStatus: undefined, lastNotified: undefined, firstSeen: at(-MINUTE) }
        : {}),
    });
    const f = finding('web', { severity, forSeconds: status === 'pending' ? 3600 : 0 });
    const { transition, item } = runOnce([stored], [f]);
    expect(transition?.kind).toBe(expected);
    expect(item?.severity).toBe(severity);
  });
});

describe('reconcile: claims and ordering', () => {
  it('leaves an item another run has claimed to that run', () => {
    const stored = storedItem('web', {
      notifiedStatus: undefined,
      claimId: 'other-run',
      claimExpiresAt: at(MINUTE),
    });
    expect(runOnce([stored], [finding('web')])).toMatchObject({ writes: [], transitions: [] });
    expect(runOnce([stored], [])).toMatchObject({ writes: [], transitions: [] });
  });

  it('takes over an item whose claim has lapsed and drops the stale claim', () => {
    const stored = storedItem('web', {
      notifiedStatus: undefined,
      claimId: 'dead-run',
      claimExpiresAt: at(-MINUTE),
    });
    const { transition, item } = runOnce([stored], [finding('web')]);
    expect(transition?.kind).toBe('firing');
    expect(item?.claimId).toBeUndefined();
    expect(item?.claimExpiresAt).toBeUndefined();
  });

  it('lists transitions worst first and writes no attribute as undefined', () => {
    const result = runOnce(
      [],
      [finding('a', { severity: 'info' }), finding('b', { severity: 'critical' })],
    );
    expect(result.transitions.map((t) => t.item.subject.name)).toEqual(['b', 'a']);
    for (const item of result.items)
      expect(Object.values(item).every((value) => value !== undefined)).toBe(true);
  });
});

describe('reconcileOptions', () => {
  it.each([
    [{ resolvedTtlSeconds: -1 }, 'resolvedTtlSeconds'],
    [{ repeatIntervalSeconds: { critical: Number.NaN } }, 'repeatIntervalSeconds.critical'],
  ])('rejects %j naming the option', (input, name) => {
    expect(() => reconcileOptions(input)).toThrow(LedgerError);
    expect(() => reconcileOptions(input)).toThrow(name);
  });

  it('keeps defaults for severities not given', () => {
    expect(reconcileOptions({ repeatIntervalSeconds: { critical: 3600 } })).toEqual({
      repeatIntervalSeconds: { critical: 3600, warning: 86_400, info: 86_400 },
      resolvedTtlSeconds: 604_800,
    });
  });
});
