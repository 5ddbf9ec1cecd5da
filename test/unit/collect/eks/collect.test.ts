import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeInsightCommand,
  EKSClient,
  ListAddonsCommand,
  ListInsightsCommand,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { SourceError } from '../../../../lib/collect/errors';
import { collectorsFor } from '../../../../lib/collect/from-config';
import { parseConfig } from '../../../../lib/config';
import { collectFromEks, EKS_FACTS_TTL_SECONDS, parseApiPath } from '../../../../lib/collect/eks';
import { snapshotFromDocuments } from '../../../../lib/collect/files';
import { mergeSnapshots } from '../../../../lib/collect/merge';
import { LedgerReadCache, MemoryLedgerStore } from '../../../../lib/ledger';
import type { ClusterSnapshot } from '../../../../lib/rules';
import { DEFAULT_POLICY, evaluate } from '../../../../lib/rules';
import { clusterDocuments } from '../../../support/kube-objects';

type Json = Record<string, unknown>;

/** A recorded case (test/fixtures/eks), with its ISO dates turned into the SDK's Dates. */
function recorded(name: string): Record<string, unknown> {
  const text = readFileSync(join(__dirname, '../../../fixtures/eks', `${name}.json`), 'utf8');
  return JSON.parse(text, (key, value: unknown) =>
    typeof value === 'string' && /Date$|Time$/.test(key) ? new Date(value) : value,
  ) as Record<string, unknown>;
}

const eks = mockClient(EKSClient);

/** Answers every EKS call from the recorded case; counts the calls. */
function answerFrom(name: string): void {
  const r = recorded(name) as Record<string, Json>;
  const pages = (key: string) => (input: { nextToken?: string }) => {
    const list = r[key] as unknown as Json[];
    const index = input.nextToken
      ? list.findIndex((p) => p['nextToken'] === input.nextToken) + 1
      : 0;
    return list[index];
  };
  eks.reset();
  eks.on(DescribeClusterCommand).resolves(r['describeCluster'] as never);
  eks.on(DescribeClusterVersionsCommand).callsFake(pages('describeClusterVersions'));
  eks.on(ListAddonsCommand).callsFake(pages('listAddons'));
  eks
    .on(DescribeAddonCommand)
    .callsFake((input: { addonName: string }) => r['describeAddon']![input.addonName]);
  eks
    .on(DescribeAddonVersionsCommand)
    .callsFake(
      (input: { addonName: string; kubernetesVersion: string }) =>
        r['describeAddonVersions']![`${input.addonName}@${input.kubernetesVersion}`],
    );
  eks.on(ListInsightsCommand).callsFake(pages('listInsights'));
  eks
    .on(DescribeInsightCommand)
    .callsFake((input: { id: string }) => r['describeInsight']![input.id]);
}

const denied = (action: string) =>
  Object.assign(
    new Error(
      `User: arn:aws:sts::123456789012:assumed-role/check is not authorized to perform: eks:${action}`,
    ),
    {
      name: 'AccessDeniedException',
    },
  );

const APRIL = Date.parse('2026-04-15T12:00:00Z');
const ref = { name: 'prod-eu-1', region: 'eu-west-1' };

function collect(now: number, cache?: LedgerReadCache): Promise<ClusterSnapshot> {
  return collectFromEks({
    cluster: 'prod',
    ref,
    eks: new EKSClient({ region: 'eu-west-1' }),
    now,
    collectedAt: () => new Date(now).toISOString(),
    ...(cache ? { cache } : {}),
  });
}

/** The EKS snapshot merged with a Kubernetes one whose apiserver and nodes run `minor`. */
function withCluster(snapshot: ClusterSnapshot, minor: string, now: number): ClusterSnapshot {
  const kube = snapshotFromDocuments(
    clusterDocuments({
      serverVersion: `v${minor}.4-eks-1a2b3c4`,
      kubelets: { 'ip-10-0-1-10.eu-west-1.compute.internal': `v${minor}.3-eks-5e6f7a8` },
    }),
    { cluster: 'prod', collectedAt: new Date(now).toISOString() },
  );
  return mergeSnapshots(kube, snapshot);
}

const findingsOf = (snapshot: ClusterSnapshot, now: number) =>
  evaluate(snapshot, DEFAULT_POLICY, now).findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    subject: f.subject,
  }));

describe('EKS source', () => {
  it('reads support dates, upgrade policy, add-ons per minor and deprecated calls', async () => {
    answerFrom('blocked');
    const snapshot = await collect(APRIL);
    expect(snapshot.parts).toEqual({
      platform: { state: 'collected' },
      addons: { state: 'collected' },
      deprecatedApis: { state: 'collected' },
    });
    expect(snapshot.platform).toEqual({
      provider: 'eks',
      eksVersions: expect.arrayContaining([
        {
          minor: '1.31',
          releaseDate: '2024-09-26T00:00:00.000Z',
          endOfStandardSupport: '2025-11-26T00:00:00.000Z',
          endOfExtendedSupport: '2026-11-26T00:00:00.000Z',
          status: 'EXTENDED_SUPPORT',
        },
      ]) as unknown,
      upgradePolicy: { supportType: 'EXTENDED' },
      source: 'eks:DescribeClusterVersions and eks:DescribeCluster (eu-west-1)',
    });
    // Both pages of DescribeClusterVersions were read.
    expect(snapshot.platform?.eksVersions?.map((v) => v.minor)).toEqual([
      '1.31',
      '1.32',
      '1.33',
      '1.34',
    ]);
    expect(snapshot.addons).toEqual([
      {
        name: 'coredns',
        version: 'v1.11.4-eksbuild.2',
        compatibleVersions: {
          '1.31': ['v1.11.4-eksbuild.2', 'v1.11.3-eksbuild.1'],
          '1.32': ['v1.12.1-eksbuild.2'],
        },
        defaultVersions: { '1.31': 'v1.11.4-eksbuild.2', '1.32': 'v1.12.1-eksbuild.2' },
        status: 'ACTIVE',
      },
      {
        name: 'vpc-cni',
        version: 'v1.19.2-eksbuild.1',
        compatibleVersions: {
          '1.31': ['v1.19.5-eksbuild.1', 'v1.19.2-eksbuild.1'],
          '1.32': ['v1.19.5-eksbuild.1', 'v1.19.2-eksbuild.1'],
        },
        defaultVersions: { '1.31': 'v1.19.5-eksbuild.1', '1.32': 'v1.19.5-eksbuild.1' },
        status: 'ACTIVE',
      },
      {
        name: 'example-agent',
        version: 'v2.4.0-eksbuild.1',
        compatibleVersions: { '1.31': ['v2.4.0-eksbuild.1'], '1.32': [] },
        defaultVersions: { '1.31': 'v2.4.0-eksbuild.1' },
        status: 'ACTIVE',
      },
    ]);
    expect(snapshot.deprecatedApis).toEqual([
      {
        group: 'flowcontrol.apiserver.k8s.io',
        version: 'v1beta3',
        resource: 'flowschemas',
        removedRelease: '1.32',
        requestCount: 4320,
        window: '30d',
        callers: [
          {
            userAgent: 'old-operator/v0.9',
            requestCount: 4320,
            lastRequestAt: '2026-12-06T23:55:00.000Z',
          },
        ],
        replacement: 'flowcontrol.apiserver.k8s.io/v1',
        source: 'eks-insights',
      },
    ]);
  });

  it('feeds the readiness rules: extended support, the add-on without a build and the removed API block 1.32', async () => {
    answerFrom('blocked');
    const merged = withCluster(await collect(APRIL), '1.31', APRIL);
    const findings = findingsOf(merged, APRIL).filter((f) =>
      [
        'VersionEndOfSupport',
        'AddonIncompatible',
        'DeprecatedApiInUse',
        'NextUpgradeBlocked',
      ].includes(f.ruleId),
    );
    expect(findings).toEqual(
      expect.arrayContaining([
        {
          ruleId: 'VersionEndOfSupport',
          severity: 'warning',
          subject: { kind: 'ClusterVersion', name: 'v1.31' },
        },
        expect.objectContaining({
          ruleId: 'AddonIncompatible',
          subject: expect.objectContaining({ name: 'example-agent' }) as unknown,
        }),
        expect.objectContaining({ ruleId: 'DeprecatedApiInUse', severity: 'warning' }),
        expect.objectContaining({ ruleId: 'NextUpgradeBlocked' }),
      ]),
    );
    const blocked = evaluate(merged, DEFAULT_POLICY, APRIL).findings.find(
      (f) => f.ruleId === 'NextUpgradeBlocked',
    );
    expect(blocked?.summary).toMatch(/example-agent/);
    expect(blocked?.summary).toMatch(/flowschemas/);
  });

  it('finds nothing to report on the clean case', async () => {
    answerFrom('clean');
    const now = Date.parse('2025-12-01T00:00:00Z'); // 1.33 has 240 days of standard support left
    const merged = withCluster(await collect(now), '1.33', now);
    const coverage = evaluate(merged, DEFAULT_POLICY, now).coverage;
    for (const ruleId of ['VersionEndOfSupport', 'AddonIncompatible', 'DeprecatedApiInUse'])
      expect(coverage).toContainEqual({ ruleId, status: 'evaluated' });
    expect(
      findingsOf(merged, now).filter((f) =>
        [
          'VersionEndOfSupport',
          'AddonIncompatible',
          'DeprecatedApiInUse',
          'NextUpgradeBlocked',
        ].includes(f.ruleId),
      ),
    ).toEqual([]);
  });

  it('reads EKS at most once per cache period, and again after it', async () => {
    answerFrom('blocked');
    const cache = new LedgerReadCache(new MemoryLedgerStore(), 'prod');
    const first = await collect(APRIL, cache);
    const calls = eks.calls().length;
    // DescribeCluster, 2 version pages, 2 add-on pages, 3×(DescribeAddon + 2 versions), insights: 1 + 2.
    expect(calls).toBe(1 + 2 + 2 + 9 + 3);
    const again = await collect(APRIL + 5 * 60_000, cache);
    expect(eks.calls()).toHaveLength(calls);
    expect(again.addons).toEqual(first.addons);
    expect(again.platform).toEqual(first.platform);
    expect(again.notes).toEqual([
      'EKS support calendar, add-ons and upgrade insights as read at 2026-04-15T12:00:00.000Z (re-read every 6 h).',
    ]);
    await collect(APRIL + EKS_FACTS_TTL_SECONDS * 1000, cache);
    expect(eks.calls()).toHaveLength(2 * calls);
  });

  it('a denied add-on read leaves only the add-ons missing, names the grant, and is not cached', async () => {
    answerFrom('blocked');
    eks.on(ListAddonsCommand).rejects(denied('ListAddons'));
    const cache = new LedgerReadCache(new MemoryLedgerStore(), 'prod');
    const snapshot = await collect(APRIL, cache);
    expect(snapshot.parts.platform).toEqual({ state: 'collected' });
    expect(snapshot.parts.deprecatedApis).toEqual({ state: 'collected' });
    expect(snapshot.parts.addons).toEqual({
      state: 'missing',
      reason: expect.stringContaining(
        "eks:ListAddons for cluster prod-eu-1 failed (User: arn:aws:sts::123456789012:assumed-role/check is not authorized to perform: eks:ListAddons); grant eks:ListAddons on arn:aws:eks:eu-west-1:<account>:cluster/prod-eu-1 to the checker's role",
      ) as unknown,
      failures: [expect.objectContaining({ source: 'eks', kind: 'forbidden' })],
    });
    expect(snapshot.addons).toBeUndefined();
    const merged = withCluster(snapshot, '1.31', APRIL);
    expect(evaluate(merged, DEFAULT_POLICY, APRIL).coverage).toContainEqual(
      expect.objectContaining({
        ruleId: 'AddonIncompatible',
        status: 'skipped',
        reason: expect.stringContaining('grant eks:ListAddons') as unknown,
      }),
    );
    const calls = eks.calls().length;
    await collect(APRIL + 60_000, cache);
    expect(eks.calls().length).toBeGreaterThan(calls);
  });

  it('without the support calendar, keeps the upgrade policy and says the table is used', async () => {
    answerFrom('blocked');
    eks.on(DescribeClusterVersionsCommand).rejects(denied('DescribeClusterVersions'));
    const snapshot = await collect(APRIL);
    expect(snapshot.parts.platform).toEqual({ state: 'collected' });
    expect(snapshot.platform).toEqual({
      provider: 'eks',
      upgradePolicy: { supportType: 'EXTENDED' },
      source: 'eks:DescribeCluster (eu-west-1)',
    });
    expect(snapshot.notes).toEqual([
      expect.stringContaining(
        "grant eks:DescribeClusterVersions on * to the checker's role; VersionEndOfSupport uses skewguard's table of EKS dates instead.",
      ),
    ]);
  });

  it('fails the source when DescribeCluster cannot be read, naming the call and the fix', async () => {
    answerFrom('blocked');
    eks
      .on(DescribeClusterCommand)
      .rejects(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }));
    const error = await collect(APRIL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      source: 'eks',
      kind: 'timeout',
      message:
        'eks:DescribeCluster for cluster prod-eu-1 failed (connect ETIMEDOUT); the EKS endpoint in eu-west-1 is not reachable from the checker: give its subnets a NAT gateway or an EKS interface endpoint',
    });
  });

  it('treats an unreadable cached entry as a miss', async () => {
    answerFrom('clean');
    const store = new MemoryLedgerStore();
    await store.put(
      {
        type: 'cache',
        pk: 'prod',
        sk: 'cache#eks-facts-v1',
        fetchedAt: new Date(APRIL).toISOString(),
        expiresAt: APRIL / 1000 + 3600,
        value: '{not json',
        version: 1,
      },
      undefined,
    );
    const snapshot = await collect(APRIL, new LedgerReadCache(store, 'prod'));
    expect(snapshot.addons?.map((a) => a.name)).toEqual(['vpc-cni']);
    expect(eks.calls().length).toBeGreaterThan(0);
  });
});

describe('parseApiPath', () => {
  it.each([
    [
      '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
      { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta3', resource: 'flowschemas' },
    ],
    ['/api/v1/componentstatuses', { group: '', version: 'v1', resource: 'componentstatuses' }],
    [
      '/apis/autoscaling/v2beta2/horizontalpodautoscalers/status',
      {
        group: 'autoscaling',
        version: 'v2beta2',
        resource: 'horizontalpodautoscalers',
        subresource: 'status',
      },
    ],
    ['flowschemas', undefined],
    ['/apis/policy', undefined],
  ])('%s', (path, expected) => {
    expect(parseApiPath(path)).toEqual(expected);
  });
});

describe('collectorsFor an EKS cluster', () => {
  it('adds the EKS source, read through the cache the run passes', async () => {
    answerFrom('clean');
    const [cluster] = parseConfig({
      clusters: [
        {
          name: 'prod',
          kubernetes: { eks: { name: 'prod-eu-1', region: 'eu-west-1', grantAccess: false } },
        },
      ],
    }).clusters;
    const store = new MemoryLedgerStore();
    const collectors = collectorsFor(
      cluster!,
      {
        secrets: { send: () => Promise.reject(new Error('no secret is read')) },
        aws: { eks: new EKSClient({ region: 'eu-west-1' }) },
        cache: new LedgerReadCache(store, 'prod'),
        now: () => APRIL,
      },
      () => new Date(APRIL).toISOString(),
    );
    expect(collectors.map((c) => c.source)).toEqual(['kubernetes', 'eks']);
    const snapshot = await collectors[1]!.collect();
    expect(snapshot.sources).toEqual([{ source: 'eks', status: 'ok' }]);
    expect(snapshot.platform?.upgradePolicy).toEqual({ supportType: 'STANDARD' });
    expect((await store.load('prod')).map((i) => [i.type, i.sk])).toEqual([
      ['cache', 'cache#eks-facts-v1'],
    ]);
  });
});
