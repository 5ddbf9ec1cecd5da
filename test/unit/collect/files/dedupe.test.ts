import { dedupeObjects } from '../../../../lib/collect/files/dedupe';
import type { Raw } from '../../../../lib/collect/kube-objects/raw';
import { node } from '../../../support/kube-objects';

function withVersion(obj: Raw, resourceVersion: unknown, kubelet?: string): Raw {
  const copy = structuredClone(obj) as Record<string, Record<string, unknown>>;
  (copy['metadata'] as Record<string, unknown>)['resourceVersion'] = resourceVersion;
  if (kubelet !== undefined)
    ((copy['status'] as Record<string, unknown>)['nodeInfo'] as Record<string, unknown>)[
      'kubeletVersion'
    ] = kubelet;
  return copy;
}

function pod(namespace: string | undefined, name: string, image = 'x:1'): Raw {
  return {
    kind: 'Pod',
    metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
    spec: { containers: [{ name: 'c', image }] },
  };
}

const kubelet = (o: Raw | undefined): unknown =>
  (o?.['status'] as { nodeInfo: { kubeletVersion: string } } | undefined)?.nodeInfo.kubeletVersion;

describe('dedupeObjects', () => {
  it('keeps one of identical copies and counts the rest', () => {
    const { kept, count } = dedupeObjects('nodes', [node('a', 'v1.30.1'), node('a', 'v1.30.1')]);
    expect(kept).toHaveLength(1);
    expect(count).toEqual({ dropped: 1, differing: 0 });
  });

  it.each([
    ['newer first', '200', '100', '200'],
    ['newer last', '100', '200', '200'],
    ['beyond 2^53', '18446744073709551617', '18446744073709551616', '18446744073709551617'],
    ['numbers from YAML', 200, 100, 200],
  ])(
    'keeps the copy with the highest numeric resourceVersion (%s)',
    (_name, first, second, newest) => {
      const copies = [first, second].map((rv) =>
        withVersion(node('a', 'v1.29.0'), rv, rv === newest ? 'v1.30.1' : 'v1.29.0'),
      );
      const { kept, count } = dedupeObjects('nodes', copies);
      expect(kept.map(kubelet)).toEqual(['v1.30.1']);
      expect(count).toEqual({ dropped: 1, differing: 1 });
    },
  );

  it.each([
    ['both empty', '', ''],
    ['one not numeric', '100', 'abc'],
    ['one missing', undefined, '100'],
  ])('keeps the copy read last when resourceVersions do not compare (%s)', (_name, a, b) => {
    const { kept } = dedupeObjects('nodes', [
      withVersion(node('a', 'v1.29.0'), a),
      withVersion(node('a', 'v1.29.0'), b, 'v1.30.1'),
    ]);
    expect(kept.map(kubelet)).toEqual(['v1.30.1']);
  });

  it('keeps the first position of an object so the order stays as read', () => {
    const { kept } = dedupeObjects('nodes', [
      node('a', 'v1.29.0'),
      node('b', 'v1.29.0'),
      node('a', 'v1.30.1'),
    ]);
    expect(kept.map((n) => [(n['metadata'] as { name: string }).name, kubelet(n)])).toEqual([
      ['a', 'v1.30.1'],
      ['b', 'v1.29.0'],
    ]);
  });

  it('tells namespaces apart, with no namespace meaning default', () => {
    const { kept, count } = dedupeObjects('pods', [
      pod('shop', 'web'),
      pod('kube-system', 'web'),
      pod(undefined, 'web'),
      pod('default', 'web', 'x:2'),
    ]);
    expect(kept.map((p) => (p['metadata'] as { namespace?: string }).namespace)).toEqual([
      'shop',
      'kube-system',
      'default',
    ]);
    expect(count).toEqual({ dropped: 1, differing: 1 });
  });

  it('matches nodes by name alone and never merges unnamed objects', () => {
    const unnamed: Raw = { kind: 'Node', metadata: {} };
    const stray = { ...node('a', 'v1.30.1'), metadata: { name: 'a', namespace: 'x' } };
    const { kept, count } = dedupeObjects('nodes', [node('a', 'v1.30.1'), stray, unnamed, unnamed]);
    expect(kept).toHaveLength(3);
    expect(count.dropped).toBe(1);
  });
});
