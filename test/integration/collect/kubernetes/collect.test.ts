import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { SourceError } from '../../../../lib/collect/errors';
import { connect } from '../../../../lib/collect/kubernetes/connect';
import type { KubeConnection } from '../../../../lib/collect/kubernetes/connect';
import { connectKubeconfigFile } from '../../../../lib/collect/kubernetes/kubeconfig-file';
import type { RequestPolicy } from '../../../../lib/collect/kubernetes/client';
import { collectFromKubernetes } from '../../../../lib/collect/kubernetes/collect';
import type { ClusterSnapshot, SnapshotPart } from '../../../../lib/rules';
import { DEFAULT_POLICY, evaluate, RULES } from '../../../../lib/rules';
import { cli } from '../../../support/cli';
import { freePort } from '../../../support/prometheus';
import { NOW, snapshotOf } from '../../../support/evaluate';
import type { Fault } from '../../../support/kube-api-server';
import { useKubeApiServer } from '../../../support/kube-api-server';
import { clusterDocuments, list, node } from '../../../support/kube-objects';

// Fast bounds so fault tests finish in well under a second each.
const FAST: RequestPolicy = { timeoutMs: 800, maxRetries: 2, maxRetryAfterMs: 1500, backoffMs: 10 };

const CLUSTER = clusterDocuments({
  serverVersion: 'v1.30.4-eks-a737599',
  kubelets: {
    'ip-10-0-1-10': 'v1.26.15-eks-59bf375',
    'ip-10-0-1-11': 'v1.26.15-eks-59bf375',
    'ip-10-0-2-20': 'v1.29.8-eks-a737599',
  },
  nodeGroups: { 'ip-10-0-1-10': 'ng-old', 'ip-10-0-1-11': 'ng-old', 'ip-10-0-2-20': 'ng-new' },
  kubeProxies: {
    'ip-10-0-1-10': 'v1.27.16-minimal-eksbuild.1',
    'ip-10-0-1-11': 'v1.27.16-minimal-eksbuild.1',
    'ip-10-0-2-20': 'v1.27.16-minimal-eksbuild.1',
  },
});

const api = useKubeApiServer(CLUSTER);

async function collect(policy: RequestPolicy = FAST) {
  const target = await connectKubeconfigFile({ file: api.kubeconfig });
  try {
    return await collectFromKubernetes({
      cluster: 'live',
      target,
      policy,
      collectedAt: () => new Date(NOW).toISOString(),
    });
  } finally {
    target.agent.destroy();
  }
}

/**
 * Asserts that every rule needing `part` (taken from the registry, so new rules are held to it
 * too) is skipped with a reason naming the part and matching `why`, and that a rule not needing
 * it is still evaluated: a failed list costs only its own rules.
 */
function expectSkippedForLack(snapshot: ClusterSnapshot, part: SnapshotPart, why: RegExp): void {
  const needing = RULES.filter((r) => r.needs.includes(part)).map((r) => r.id);
  expect(needing.length).toBeGreaterThan(0);
  const { coverage } = evaluate(snapshot, DEFAULT_POLICY, NOW);
  expect(coverage.filter((c) => needing.includes(c.ruleId))).toEqual(
    needing.map((ruleId) => ({
      ruleId,
      status: 'skipped',
      reason: expect.stringMatching(new RegExp(`${part} missing: .*${why.source}`)) as unknown,
      unmet: expect.arrayContaining([
        { part, state: 'missing', reason: expect.stringMatching(why) as unknown },
      ]) as unknown,
    })),
  );
  expect(coverage.find((c) => c.ruleId === 'ApiServerVersionSkew')).toEqual({
    ruleId: 'ApiServerVersionSkew',
    status: 'evaluated',
  });
}

const summary = (findings: readonly { ruleId: string; severity: string; subject: unknown }[]) =>
  findings.map((f) => `${f.severity} ${f.ruleId} ${JSON.stringify(f.subject)}`).sort();

describe('live collection through a api.kubeconfig with CA and token', () => {
  it('gives the same findings as --from-file on the same objects', async () => {
    const { snapshot } = await collect();
    const live = evaluate(snapshot, DEFAULT_POLICY, NOW);
    const fromFiles = evaluate(snapshotOf(CLUSTER, 'live'), DEFAULT_POLICY, NOW);
    expect(summary(live.findings)).toEqual(summary(fromFiles.findings));
    expect(summary(live.findings)).toContain(
      'critical KubeletVersionSkew {"kind":"Kubelet","name":"v1.26"}',
    );
    expect(api.server.requests.every((r) => r.authorization)).toBe(true);
  });

  /** A live check through the test api.kubeconfig, as JSON, saving its snapshot to `file`. */
  function checkAndSave(file: string, ...extra: string[]) {
    return cli(
      'check',
      '--kubeconfig',
      api.kubeconfig,
      '--save-snapshot',
      file,
      '--output',
      'json',
      ...extra,
    );
  }

  it('replays a saved snapshot under the live name, with the live notes', async () => {
    const saved = join(mkdtempSync(join(tmpdir(), 'skewguard-save-')), 'anything.json');
    const live = await checkAndSave(saved);
    const replay = await cli('check', '--from-file', saved, '--output', 'json');
    type Report = { cluster: string; notes: string[]; findings: { fingerprint: string }[] };
    const a = JSON.parse(live.stdout) as Report;
    const b = JSON.parse(replay.stdout) as Report;
    // Named after the kube context, not the file: the fingerprints match the live run's.
    expect(b.cluster).toBe(a.cluster);
    expect(b.cluster).not.toBe('anything');
    expect(b.findings.map((f) => f.fingerprint)).toEqual(a.findings.map((f) => f.fingerprint));
    expect(a.notes.length).toBeGreaterThan(0);
    for (const note of a.notes) expect(b.notes).toContainEqual(expect.stringContaining(note));
    // --cluster still wins over the saved name.
    const renamed = await cli(
      'check',
      '--from-file',
      saved,
      '--output',
      'json',
      '--cluster',
      'other',
    );
    expect((JSON.parse(renamed.stdout) as Report).cluster).toBe('other');
  });

  it('round-trips through --save-snapshot and --from-file in the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skewguard-save-'));
    const saved = join(dir, 'snapshot.json');
    const live = await checkAndSave(saved, '--cluster', 'rt');
    expect(live.stderr).toBe('');
    expect(live.code).toBe(1);
    const replay = await cli('check', '--from-file', saved, '--output', 'json', '--cluster', 'rt');
    const a = JSON.parse(live.stdout) as { findings: { fingerprint: string; summary: string }[] };
    const b = JSON.parse(replay.stdout) as { findings: { fingerprint: string; summary: string }[] };
    expect(b.findings.map((f) => [f.fingerprint, f.summary])).toEqual(
      a.findings.map((f) => [f.fingerprint, f.summary]),
    );
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          serverVersion: expect.objectContaining({ gitVersion: 'v1.30.4-eks-a737599' }),
        }),
      ]),
    );
  });

  it.each<[string, () => KubeConnection]>([
    [
      'a api.kubeconfig secret',
      () => ({ kind: 'kubeconfigText', text: readFileSync(api.kubeconfig, 'utf8') }),
    ],
    [
      'a token and CA secret',
      () => ({
        kind: 'token',
        server: api.server.url,
        token: api.server.token,
        caPem: api.server.caPem,
      }),
    ],
  ])('the scheduled checker connects with %s and finds the same', async (_, connection) => {
    const target = await connect(connection());
    try {
      const { snapshot } = await collectFromKubernetes({
        cluster: 'live',
        target,
        policy: FAST,
        collectedAt: () => new Date(NOW).toISOString(),
      });
      const fromFiles = evaluate(snapshotOf(CLUSTER, 'live'), DEFAULT_POLICY, NOW);
      expect(summary(evaluate(snapshot, DEFAULT_POLICY, NOW).findings)).toEqual(
        summary(fromFiles.findings),
      );
      expect(api.server.requests.every((r) => r.authorization)).toBe(true);
    } finally {
      target.agent.destroy();
    }
  });

  /** Connects with `connection` and expects the collection to fail with `kind`, naming `said`. */
  async function expectFailure(
    connection: KubeConnection,
    kind: string,
    said: string,
  ): Promise<void> {
    const target = await connect(connection);
    try {
      await expect(
        collectFromKubernetes({ cluster: 'live', target, policy: FAST, collectedAt: () => '' }),
      ).rejects.toMatchObject({
        source: 'kubernetes',
        kind,
        message: expect.stringContaining(said) as unknown,
      });
    } finally {
      target.agent.destroy();
    }
  }

  it('refuses a server whose certificate the configured CA did not sign', async () => {
    await expectFailure(
      { kind: 'token', server: api.server.url, token: api.server.token },
      'tls',
      "provide the cluster's CA bundle",
    );
  });

  it('names a refused connection: nothing listens at the server URL', async () => {
    const url = `https://127.0.0.1:${await freePort()}`;
    await expectFailure(
      { kind: 'token', server: url, token: 't', caPem: api.server.caPem },
      'connection',
      'refused',
    );
  });

  it('pages through big lists with limit=500 and continue', async () => {
    const nodes = Array.from({ length: 1203 }, (_, i) => node(`n-${i}`, 'v1.30.1'));
    api.server.setObjects([list(nodes)]);
    const { snapshot, stats } = await collect();
    expect(snapshot.nodes).toHaveLength(1203);
    const nodePages = api.server.requests.filter((r) => r.path === '/api/v1/nodes');
    expect(nodePages.map((r) => r.query['limit'])).toEqual(['500', '500', '500']);
    expect(nodePages.filter((r) => r.query['continue'])).toHaveLength(2);
    expect(stats.requests).toBeGreaterThanOrEqual(nodePages.length);
  });
});

describe('faults', () => {
  it('retries 429 with Retry-After and succeeds', async () => {
    api.server.setFault({
      path: '/api/v1/nodes',
      times: 1,
      fault: { type: 'status', code: 429, retryAfterSeconds: 1 },
    });
    const started = Date.now();
    const { snapshot, stats } = await collect();
    expect(snapshot.nodes).toHaveLength(3);
    expect(stats.retries).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('stops at once on a Retry-After beyond the bound, saying how long the server asked to wait', async () => {
    api.server.setFault({
      path: '/api/v1/nodes',
      fault: { type: 'status', code: 429, retryAfterSeconds: 120 },
    });
    const started = Date.now();
    const { snapshot, stats } = await collect();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(stats.retries).toBe(0);
    expect(snapshot.parts.nodes).toMatchObject({
      state: 'missing',
      reason: expect.stringContaining(
        'GET /api/v1/nodes: 429 Too Many Requests; the API server asked to wait 120 s (Retry-After), longer than the',
      ) as unknown,
    });
  });

  it('a certificate for another host name names tls-server-name, not the CA bundle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skewguard-altname-'));
    const file = join(dir, 'config');
    const config = parse(readFileSync(api.kubeconfig, 'utf8')) as {
      clusters: { cluster: Record<string, unknown> }[];
    };
    for (const c of config.clusters) c.cluster['tls-server-name'] = 'api.wrong.example';
    writeFileSync(file, stringify(config));
    const target = await connectKubeconfigFile({ file });
    try {
      const outcome = await collectFromKubernetes({
        cluster: 'live',
        target,
        policy: FAST,
        collectedAt: () => new Date(NOW).toISOString(),
      }).then(
        () => 'collected',
        (e: unknown) => (e as Error).message,
      );
      expect(outcome).toMatch(
        /the certificate of .* is for another host name \(.*api\.wrong\.example.*\); set tls-server-name in the kubeconfig cluster to a name the certificate carries/,
      );
      expect(outcome).not.toMatch(/CA bundle/);
    } finally {
      target.agent.destroy();
    }
  });

  it('a 404 on a list names the API group the server does not serve', async () => {
    api.server.setFault({
      path: '/apis/apps/v1/statefulsets',
      fault: { type: 'status', code: 404 },
    });
    const { snapshot } = await collect();
    expect(snapshot.parts.statefulsets).toMatchObject({
      state: 'missing',
      reason: expect.stringContaining(
        'GET /apis/apps/v1/statefulsets: 404 Not Found (the server could not find the requested resource): the API server does not serve apps/v1; the rules that need it are skipped',
      ) as unknown,
    });
    expect(snapshot.parts.deployments).toEqual({ state: 'collected' });
  });

  it('retries 500 and 503 with backoff and succeeds', async () => {
    api.server.setFault({
      path: '/apis/apps/v1/deployments',
      times: 1,
      fault: { type: 'status', code: 500 },
    });
    api.server.setFault({
      path: '/apis/apps/v1/deployments',
      times: 1,
      fault: { type: 'status', code: 503 },
    });
    const { snapshot, stats } = await collect();
    expect(snapshot.parts.deployments).toEqual({ state: 'collected' });
    expect(stats.retries).toBe(2);
  });

  // Reasons are anchored at the end: once retries are spent, the reason must not promise another.
  describe.each<[string, Fault, RegExp]>([
    [
      'a response cut mid-body',
      { type: 'truncate', abort: true },
      /GET \/apis\/apps\/v1\/statefulsets: the connection closed mid-response$/,
    ],
    [
      'a connection reset before the response',
      { type: 'reset' },
      /GET \/apis\/apps\/v1\/statefulsets on 127\.0\.0\.1:\d+ failed \(ECONNRESET\)$/,
    ],
  ])('%s on one list', (_, fault, reason) => {
    const path = '/apis/apps/v1/statefulsets';
    const attempts = () => api.server.requests.filter((r) => r.path === path);

    it('is retried once and the list succeeds when it happens once', async () => {
      api.server.setFault({ path, times: 1, fault });
      const { snapshot, stats } = await collect();
      expect(snapshot.parts.statefulsets).toEqual({ state: 'collected' });
      expect(attempts().map((r) => [r.fault, r.status])).toEqual([
        [fault.type, 0],
        [undefined, 200],
      ]);
      expect(stats.retries).toBe(1);
      const needing = RULES.filter((r) => r.needs.includes('statefulsets')).map((r) => r.id);
      const { coverage } = evaluate(snapshot, DEFAULT_POLICY, NOW);
      expect(coverage.filter((c) => needing.includes(c.ruleId))).toEqual(
        needing.map((ruleId) => ({ ruleId, status: 'evaluated' })),
      );
    });

    it('marks the list missing after the bounded retries when it persists', async () => {
      api.server.setFault({ path, fault });
      const started = Date.now();
      const { snapshot, stats } = await collect();
      expect(Date.now() - started).toBeLessThan(1500);
      expect(attempts()).toHaveLength(FAST.maxRetries + 1);
      expect(attempts().every((r) => r.fault === fault.type && r.status === 0)).toBe(true);
      expect(stats.retries).toBe(FAST.maxRetries);
      expect(snapshot.parts.statefulsets).toEqual({
        state: 'missing',
        reason: expect.stringMatching(reason) as unknown,
        failures: [
          {
            source: 'kubernetes',
            kind: 'server',
            message: expect.stringMatching(reason) as unknown,
          },
        ],
      });
      expect(snapshot.parts.deployments).toEqual({ state: 'collected' });
      expectSkippedForLack(snapshot, 'statefulsets', reason);
    });
  });

  it.each<
    [string, string, SnapshotPart, Extract<Fault, { type: 'status' }>, RegExp, [number, number]]
  >([
    [
      '429 with Retry-After',
      '/api/v1/nodes',
      'nodes',
      { type: 'status', code: 429, retryAfterSeconds: 1 },
      /GET \/api\/v1\/nodes: 429 Too Many Requests/,
      // Retry-After is honoured before each of the two retries: about 2 s, and no more.
      [1950, 3500],
    ],
    [
      '503',
      '/apis/apps/v1/deployments',
      'deployments',
      { type: 'status', code: 503 },
      /GET \/apis\/apps\/v1\/deployments: the API server answered 503/,
      [0, 1000],
    ],
  ])(
    'gives up on a persistent %s after the bounded retries and skips the rules needing it',
    async (_, path, part, fault, reason, [atLeastMs, atMostMs]) => {
      api.server.setFault({ path, fault });
      const started = Date.now();
      const { snapshot, stats } = await collect();
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(atLeastMs);
      expect(elapsed).toBeLessThan(atMostMs);
      const attempts = api.server.requests.filter((r) => r.path === path);
      expect(attempts.map((r) => r.status)).toEqual(
        Array.from({ length: FAST.maxRetries + 1 }, () => fault.code),
      );
      expect(stats.retries).toBe(FAST.maxRetries);
      expect(snapshot.parts[part]).toMatchObject({
        state: 'missing',
        reason: expect.stringMatching(reason) as unknown,
        failures: [{ source: 'kubernetes', kind: 'server' }],
      });
      expectSkippedForLack(snapshot, part, reason);
    },
  );

  it('restarts a list once when its continue token expires (410 mid-list)', async () => {
    api.server.setObjects([
      list(Array.from({ length: 1100 }, (_, i) => node(`n-${i}`, 'v1.30.1'))),
    ]);
    api.server.setFault({
      path: '/api/v1/nodes',
      page: 2,
      times: 1,
      fault: { type: 'status', code: 410 },
    });
    const { snapshot } = await collect();
    expect(snapshot.nodes).toHaveLength(1100);
    const nodeRequests = api.server.requests.filter((r) => r.path === '/api/v1/nodes');
    expect(nodeRequests.filter((r) => !r.query['continue'])).toHaveLength(2);
  });

  it('fails the source with kind auth on 401', async () => {
    const wrong = await api.server.writeKubeconfig(mkdtempSync(join(tmpdir(), 'skewguard-kc-')), {
      token: 'not-the-token',
    });
    const target = await connectKubeconfigFile({ file: wrong });
    const error = await collectFromKubernetes({
      cluster: 'x',
      target,
      policy: FAST,
      collectedAt: () => '',
    }).catch((e: unknown) => e);
    target.agent.destroy();
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ kind: 'auth', message: expect.stringContaining('401') });
  });

  it('marks only the rules that need nodes as skipped on 403, naming the permission', async () => {
    api.server.setFault({ path: '/api/v1/nodes', fault: { type: 'status', code: 403 } });
    const { snapshot } = await collect();
    const coverage = evaluate(snapshot, DEFAULT_POLICY, NOW).coverage;
    expect(coverage.find((c) => c.ruleId === 'KubeletVersionSkew')).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('cannot list nodes at cluster scope: grant list on nodes'),
    });
    expect(coverage.find((c) => c.ruleId === 'ApiServerVersionSkew')).toMatchObject({
      status: 'evaluated',
    });
  });

  it('reports a slow server as a timeout, without hanging', async () => {
    api.server.setFault({ path: '/api/v1/nodes', fault: { type: 'delay', ms: 3000 } });
    const started = Date.now();
    const { snapshot } = await collect({ ...FAST, maxRetries: 0 });
    expect(snapshot.parts.nodes).toMatchObject({
      state: 'missing',
      reason: expect.stringContaining('no complete answer within 800 ms'),
    });
    expect(Date.now() - started).toBeLessThan(2500);
    expectSkippedForLack(snapshot, 'nodes', /no complete answer within 800 ms/);
  });

  it('reports truncated JSON as a protocol error on that list', async () => {
    api.server.setFault({ path: '/apis/apps/v1/daemonsets', fault: { type: 'truncate' } });
    const { snapshot } = await collect();
    expect(snapshot.parts.daemonsets).toMatchObject({
      state: 'missing',
      reason: expect.stringContaining('not JSON'),
    });
    expect(snapshot.parts.nodes).toEqual({ state: 'collected' });
    expectSkippedForLack(snapshot, 'daemonsets', /not JSON/);
  });

  it('gives the CLI a clear message and exit 2 when the server rejects the token', async () => {
    const wrong = await api.server.writeKubeconfig(mkdtempSync(join(tmpdir(), 'skewguard-kc-')), {
      token: 'nope',
    });
    const run = await cli('check', '--kubeconfig', wrong);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^skewguard: the API server rejected the credentials \(401 Unauthorized/,
    );
  });
});
