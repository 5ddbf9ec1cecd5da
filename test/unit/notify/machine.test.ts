import { fitDetails, renderMachine, SNS_MAX_MESSAGE_BYTES } from '../../../lib/notify/machine';
import { bytes, CLUSTER, RUN_AT, transition } from './build';

describe('renderMachine', () => {
  it('renders one versioned JSON document keyed by the fingerprint', () => {
    const t = transition('firing', {
      ruleId: 'KubeletVersionSkew',
      severity: 'critical',
      subject: { kind: 'Kubelet', name: 'v1.26' },
      since: '2024-05-01T08:40:00.000Z',
      details: { nodes: ['a', 'b'], minorsBehind: 4 },
    });
    const message = renderMachine(t, CLUSTER, RUN_AT);
    const parsed: unknown = JSON.parse(message.body);
    expect(parsed).toEqual({
      version: 1,
      status: 'firing',
      dedupKey: t.finding.fingerprint,
      fingerprint: t.finding.fingerprint,
      cluster: CLUSTER,
      ruleId: 'KubeletVersionSkew',
      severity: 'critical',
      subject: { kind: 'Kubelet', name: 'v1.26' },
      summary: t.finding.summary,
      details: { nodes: ['a', 'b'], minorsBehind: 4 },
      since: '2024-05-01T08:40:00.000Z',
      firstSeen: t.item.firstSeen,
      runbookUrl: t.finding.runbookUrl,
      occurredAt: RUN_AT,
    });
    expect(message.attributes).toEqual({
      audience: 'machine',
      severity: 'critical',
      cluster: CLUSTER,
      status: 'firing',
      ruleId: 'KubeletVersionSkew',
    });
    expect(message.carries).toEqual([t.item.sk]);
    expect(message.subject.length).toBeLessThanOrEqual(100);
  });

  it('keeps the dedupKey across firing, repeat and resolved of one finding', () => {
    const keys = (['firing', 'repeat', 'resolved'] as const).map(
      (kind) => renderMachine(transition(kind), CLUSTER, RUN_AT).notification.dedupKey,
    );
    expect(new Set(keys).size).toBe(1);
    const other = renderMachine(
      transition('firing', { subject: { kind: 'Deployment', namespace: 'shop', name: 'api' } }),
      CLUSTER,
      RUN_AT,
    );
    expect(other.notification.dedupKey).not.toBe(keys[0]);
  });

  it('dates a resolution by when it was found resolved', () => {
    const t = transition('resolved');
    const { notification } = renderMachine(t, CLUSTER, RUN_AT);
    expect(notification).toMatchObject({
      status: 'resolved',
      resolvedAt: t.item.resolvedAt,
      occurredAt: t.item.resolvedAt,
    });
  });

  it('cuts huge details to stay under 256 KB and says so', () => {
    const nodes = Array.from(
      { length: 20_000 },
      (_, i) => `ip-10-0-${i}.eu-west-1.compute.internal`,
    );
    const t = transition('firing', {
      details: { nodes, nodeCount: nodes.length, problem: 'tooOld' },
    });
    const message = renderMachine(t, CLUSTER, RUN_AT);
    expect(bytes(message.body)).toBeLessThan(SNS_MAX_MESSAGE_BYTES);
    expect(message.notification.truncated).toBe(true);
    expect(message.notification.details).toMatchObject({
      nodeCount: 20_000,
      problem: 'tooOld',
      nodes: { truncated: true, count: 20_000 },
    });
    const kept = (message.notification.details['nodes'] as { first: string[] }).first;
    expect(kept[0]).toBe(nodes[0]);
  });

  it('leaves details that fit untouched and unflagged', () => {
    const { notification } = renderMachine(transition('firing'), CLUSTER, RUN_AT);
    expect(notification.truncated).toBeUndefined();
  });
});

describe('fitDetails', () => {
  it('shrinks step by step and falls back to the keys with a note', () => {
    const wide = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`key${i}`, 'v'.repeat(200)]),
    );
    const fitted = fitDetails(wide, 600);
    expect(fitted.truncated).toBe(true);
    expect(bytes(JSON.stringify(fitted.details))).toBeLessThanOrEqual(600);
    expect(fitted.details['note']).toMatch(/run skewguard check/);
  });

  it.each([
    [{ a: [1, 2, 3] }, 1000, false],
    [{ a: Array.from({ length: 500 }, (_, i) => i) }, 500, true],
  ])('%j in %d bytes → truncated %s', (details, budget, truncated) => {
    const fitted = fitDetails(details, budget);
    expect(fitted.truncated).toBe(truncated);
    expect(bytes(JSON.stringify(fitted.details))).toBeLessThanOrEqual(budget);
  });
});
