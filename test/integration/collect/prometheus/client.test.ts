import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SourceError } from '../../../../lib/collect/errors';
import type { PrometheusAuth } from '../../../../lib/collect/prometheus/auth';
import type { PrometheusClientOptions } from '../../../../lib/collect/prometheus/client';
import { collectFromPrometheus } from '../../../../lib/collect/prometheus/collect';
import { PrometheusClient } from '../../../../lib/collect/prometheus/client';
import { partialFailureWarnings } from '../../../../lib/cli/warnings';
import { DEFAULT_POLICY, evaluate } from '../../../../lib/rules';
import {
  KIND_LABEL,
  PRESENCE_FAMILIES,
  PROBE_LABEL,
} from '../../../../lib/collect/prometheus/queries';
import { testTls } from '../../../support/tls';

/** What the fault server saw of one request. */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A reply: status, body and headers, or `hang` to never answer. */
type Reply = { status: number; body: string; headers?: Record<string, string> } | 'hang';

/** A loopback HTTP(S) server answering each request from a script. */
interface FaultServer {
  readonly url: string;
  readonly seen: Seen[];
  close(): Promise<void>;
}

type Script = (request: Seen, index: number) => Reply;

const VECTOR_ONE = JSON.stringify({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: {}, value: [1795262400, '1'] }] },
});
const EMPTY_VECTOR = JSON.stringify({
  status: 'success',
  data: { resultType: 'vector', result: [] },
});

// The first round's answer naming one unhealthy workload of each kind.
const OFFENDING = JSON.stringify({
  status: 'success',
  data: {
    resultType: 'vector',
    result: [
      { metric: { [KIND_LABEL]: 'Deployment', namespace: 'a', deployment: 'web' } },
      { metric: { [KIND_LABEL]: 'StatefulSet', namespace: 'a', statefulset: 'db' } },
      { metric: { [KIND_LABEL]: 'DaemonSet', namespace: 'a', daemonset: 'agent' } },
    ].map((s) => ({ ...s, value: [1795262400, '1'] })),
  },
});

// The presence query's answer when every kube-state-metrics family reports now.
const PRESENT = JSON.stringify({
  status: 'success',
  data: {
    resultType: 'vector',
    result: PRESENCE_FAMILIES.map(({ metric }) => ({
      metric: { [PROBE_LABEL]: `now:${metric}` },
      value: [1795262400, '3'],
    })),
  },
});

const ok = (body = VECTOR_ONE): Reply => ({
  status: 200,
  body,
  headers: { 'content-type': 'application/json' },
});

async function startFaultServer(
  script: Script,
  tls?: { certPem: string; keyPem: string },
): Promise<FaultServer> {
  const seen: Seen[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(request);
      const reply = script(request, seen.length - 1);
      if (reply === 'hang') return;
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body);
    });
  };
  const server: Server = tls
    ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, handler)
    : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Small bounds so every failure path ends within a second.
const FAST = { timeoutMs: 300, maxRetries: 2, backoffMs: 10, maxRetryAfterMs: 200 };

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(
  script: Script,
  options: Partial<PrometheusClientOptions> = {},
): Promise<{ client: PrometheusClient; seen: Seen[] }> {
  server = await startFaultServer(script);
  const client = await PrometheusClient.create({
    url: server.url,
    auth: { type: 'none' },
    policy: FAST,
    ...options,
  });
  return { client, seen: server.seen };
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('Prometheus client against a misbehaving server', () => {
  it('sends the query as a form-encoded POST with the time', async () => {
    const { client, seen } = await clientFor(() => ok());
    await client.instant('up{cluster="a b"}', 1795262400_500);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.url).toBe('/api/v1/query');
    expect(seen[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(seen[0]?.body)).toEqual(
      new URLSearchParams({ query: 'up{cluster="a b"}', time: '1795262400.500' }),
    );
  });

  it.each<[string, PrometheusAuth, string]>([
    [
      'basic',
      { type: 'basic', username: 'reader', password: 's3cret' },
      `Basic ${Buffer.from('reader:s3cret').toString('base64')}`,
    ],
    ['bearer', { type: 'bearer', token: 'tok-123' }, 'Bearer tok-123'],
  ])('authenticates with %s auth', async (_case, auth, header) => {
    const { client, seen } = await clientFor(() => ok(), { auth });
    await client.probe();
    expect(seen[0]?.headers.authorization).toBe(header);
  });

  it('401 without credentials → auth, not retried, saying where credentials go', async () => {
    const { client, seen } = await clientFor(() => ({ status: 401, body: 'Unauthorized' }));
    const error = await failure(client.probe());
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(
      /rejected the credentials \(401 Unauthorized\); no credentials were sent/,
    );
    expect(error.message).toContain('prometheus.auth (basic or bearer) in skewguard.config.yaml');
    expect(error.message).toContain('SKEWGUARD_PROMETHEUS_TOKEN');
    expect(seen).toHaveLength(1);
  });

  it('401 with credentials → auth, saying they were refused', async () => {
    const { client } = await clientFor(() => ({ status: 401, body: '' }), {
      auth: { type: 'bearer', token: 'expired' },
    });
    expect((await failure(client.probe())).message).toContain(
      'the bearer credentials were refused',
    );
  });

  it('403 → forbidden, naming the AMP permission when signing with SigV4', async () => {
    const { client, seen } = await clientFor(
      () => ({
        status: 403,
        body: '{"message":"User is not authorized to perform: aps:QueryMetrics"}',
      }),
      {
        auth: {
          type: 'sigv4',
          region: 'eu-west-1',
          credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        },
      },
    );
    const error = await failure(client.probe());
    expect(error.kind).toBe('forbidden');
    expect(error.message).toContain('grant aps:QueryMetrics on the workspace');
    expect(seen).toHaveLength(1);
  });

  it('422 → config error naming the query', async () => {
    const { client, seen } = await clientFor(() => ({
      status: 422,
      body: JSON.stringify({
        status: 'error',
        errorType: 'execution',
        error: 'many-to-many matching not allowed',
      }),
    }));
    const error = await failure(client.instant('a * on(x) b'));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('"a * on(x) b"');
    expect(error.message).toContain('execution: many-to-many matching not allowed');
    expect(seen).toHaveLength(1);
  });

  it('503 then success → succeeds after one retry', async () => {
    const { client, seen } = await clientFor((_r, i) =>
      i === 0 ? { status: 503, body: 'Service Unavailable' } : ok(),
    );
    const result = await client.instant('vector(1)');
    expect(result.samples).toEqual([{ metric: {}, value: 1 }]);
    expect(seen).toHaveLength(2);
    expect(client.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('429 honours Retry-After within the bound, and gives up on a longer one', async () => {
    const { client, seen } = await clientFor((_r, i) =>
      i === 0
        ? { status: 429, body: '', headers: { 'retry-after': '0' } }
        : i === 1
          ? ok()
          : { status: 429, body: '', headers: { 'retry-after': '3600' } },
    );
    await client.probe();
    expect(seen).toHaveLength(2);
    const error = await failure(client.probe());
    expect(error.kind).toBe('server');
    expect(error.message).toContain('HTTP 429');
    expect(error.message).toContain('asked to retry after 3600 s');
    expect(seen).toHaveLength(3);
  });

  it('5xx every time → server error after the bounded attempts', async () => {
    const { client, seen } = await clientFor(() => ({
      status: 500,
      body: '<html>oops</html>',
      headers: { 'content-type': 'text/html' },
    }));
    const error = await failure(client.probe());
    expect(error.kind).toBe('server');
    expect(error.message).toMatch(/HTTP 500 \(text\/html.*gave up after 3 attempts/);
    expect(seen).toHaveLength(FAST.maxRetries + 1);
  });

  it('a server that never answers → timeout, bounded, nothing hangs', async () => {
    const started = Date.now();
    const { client, seen } = await clientFor(() => 'hang');
    const error = await failure(client.probe());
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('within 300 ms');
    expect(seen).toHaveLength(FAST.maxRetries + 1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a non-JSON body → protocol', async () => {
    const { client } = await clientFor(() => ({
      status: 200,
      body: '<!doctype html><title>Sign in</title>',
      headers: { 'content-type': 'text/html' },
    }));
    const error = await failure(client.probe());
    expect(error.kind).toBe('protocol');
    expect(error.message).toMatch(/not the Prometheus JSON envelope \(text\/html.*login page/);
  });

  it.each([
    ['bad_data', 'config'],
    ['execution', 'config'],
    ['internal', 'protocol'],
  ])('status: error with errorType %s → %s', async (errorType, kind) => {
    const { client } = await clientFor(() =>
      ok(JSON.stringify({ status: 'error', errorType, error: 'boom' })),
    );
    const error = await failure(client.instant('up'));
    expect(error.kind).toBe(kind);
    expect(error.message).toContain(`${errorType}: boom`);
  });

  it('a result that is not a vector → protocol', async () => {
    const { client } = await clientFor(() =>
      ok(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '1'] } })),
    );
    expect((await failure(client.instant('1'))).kind).toBe('protocol');
  });

  it('passes warnings on', async () => {
    const { client } = await clientFor(() =>
      ok(
        JSON.stringify({
          status: 'success',
          warnings: ['partial response'],
          data: { resultType: 'vector', result: [] },
        }),
      ),
    );
    expect((await client.instant('up')).warnings).toEqual(['partial response']);
  });

  it('a refused connection → connection kind naming the refusal, retried within bounds', async () => {
    const probe = await startFaultServer(() => ok());
    const url = probe.url;
    await probe.close();
    const client = await PrometheusClient.create({ url, auth: { type: 'none' }, policy: FAST });
    const error = await failure(client.probe());
    expect(error.kind).toBe('connection');
    expect(error.message).toContain('refused');
    expect(client.stats.requests).toBe(FAST.maxRetries + 1);
  });

  it('TLS: an unknown CA → tls error; with its CA bundle → success', async () => {
    const tls = await testTls();
    server = await startFaultServer(() => ok(), tls);
    const untrusted = await PrometheusClient.create({
      url: server.url,
      auth: { type: 'none' },
      policy: FAST,
    });
    const error = await failure(untrusted.probe());
    expect(error.kind).toBe('tls');
    expect(error.message).toContain('provide its CA bundle');
    const trusted = await PrometheusClient.create({
      url: server.url,
      auth: { type: 'none' },
      caPem: tls.caPem,
      policy: FAST,
    });
    await expect(trusted.probe()).resolves.toBeUndefined();
  });

  it.each([
    ['not a url', /is not a URL/],
    ['ftp://prometheus', /must be http\(s\)/],
    ['https://user:pw@prometheus.example.com', /must not carry a query, fragment or credentials/],
  ])('rejects the URL %s as config', async (url, message) => {
    const error = await failure(PrometheusClient.create({ url, auth: { type: 'none' } }));
    expect(error.kind).toBe('config');
    expect(error.message).toMatch(message);
  });

  it('404 → config, pointing at the API base URL', async () => {
    const { client } = await clientFor(() => ({ status: 404, body: 'not found' }));
    const error = await failure(client.probe());
    expect(error.kind).toBe('config');
    expect(error.message).toContain('/api/v1/query does not exist');
  });
});

describe('collectFromPrometheus against a misbehaving server', () => {
  const collect = (url: string) =>
    collectFromPrometheus({
      cluster: 'c',
      url,
      auth: { type: 'none' },
      selector: 'cluster="c"',
      policy: FAST,
      collectedAt: () => '2026-11-21T12:00:00.000Z',
    });

  it('rejects an invalid job pattern before sending anything', async () => {
    server = await startFaultServer(() => ok());
    const error = await failure(
      collectFromPrometheus({
        cluster: 'c',
        url: server.url,
        auth: { type: 'none' },
        jobs: { kubelet: 'kubelet(' },
        collectedAt: () => '2026-11-21T12:00:00.000Z',
      }),
    );
    expect(error.kind).toBe('config');
    expect(error.message).toContain('jobs.kubelet "kubelet(" is not a valid regular expression');
    expect(server.seen).toHaveLength(0);
  });

  it('reads history for at least twice the longest `for` window', async () => {
    server = await startFaultServer((request) => {
      const query = new URLSearchParams(request.body).get('query') ?? '';
      if (query === 'vector(1)') return ok();
      return ok(query.includes(KIND_LABEL) ? OFFENDING : EMPTY_VECTOR);
    });
    await collectFromPrometheus({
      cluster: 'c',
      url: server.url,
      auth: { type: 'none' },
      forWindows: { generationMismatch: 2 * 3600 },
      collectedAt: () => '2026-11-21T12:00:00.000Z',
    });
    const queries = server.seen.map((r) => new URLSearchParams(r.body).get('query') ?? '');
    const since = queries.filter((q) => q.includes('skewguard_edge'));
    expect(since).toHaveLength(3);
    for (const q of since) expect(q).toContain('[14460s:60s]');
  });

  it('fails the source when the probe is unauthorised', async () => {
    server = await startFaultServer(() => ({ status: 401, body: '' }));
    expect((await failure(collect(server.url))).kind).toBe('auth');
    expect(server.seen).toHaveLength(1);
  });

  it('marks only the parts of a rejected query missing, and keeps the rest', async () => {
    server = await startFaultServer((request) => {
      const query = new URLSearchParams(request.body).get('query') ?? '';
      if (query === 'vector(1)') return ok();
      if (query.includes('skewguard_probe')) return ok(PRESENT);
      if (query.includes(KIND_LABEL)) return ok(OFFENDING);
      if (query.includes('kube_statefulset_(')) {
        return {
          status: 422,
          body: JSON.stringify({
            status: 'error',
            errorType: 'execution',
            error: 'query processing would load too many samples',
          }),
        };
      }
      return ok(EMPTY_VECTOR);
    });
    const { snapshot, stats } = await collect(server.url);
    // The probe, five first-round queries, fields and since of each kind plus the Deployment's
    // ReplicaSets (7), and the pods of the StatefulSet and DaemonSet.
    expect(stats.requests).toBe(14);
    expect(snapshot.parts.statefulsets).toEqual({
      state: 'missing',
      reason: expect.stringContaining('too many samples') as unknown as string,
      failures: [expect.objectContaining({ source: 'prometheus' })],
    });
    // The CLI names the failed query on stderr: the skipped rules are not passes.
    const warnings = partialFailureWarnings(
      snapshot,
      evaluate(snapshot, DEFAULT_POLICY, Date.parse('2026-11-21T12:00:00Z')),
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        /^skewguard: warning: prometheus answered, but a read failed .*too many samples.*Not collected: statefulsets; skipped, not passed: StatefulSet/,
      ),
    ]);
    expect(snapshot.parts.deployments).toEqual({ state: 'collected' });
    expect(snapshot.sources).toEqual([{ source: 'prometheus', status: 'ok' }]);
  });

  it('counts a family everywhere when kube-system has none of it, before calling it absent', async () => {
    const probe = (entries: [string, number][]): string =>
      JSON.stringify({
        status: 'success',
        data: {
          resultType: 'vector',
          result: entries.map(([name, value]) => ({
            metric: { [PROBE_LABEL]: name },
            value: [1795262400, String(value)],
          })),
        },
      });
    server = await startFaultServer((request) => {
      const query = new URLSearchParams(request.body).get('query') ?? '';
      if (query === 'vector(1)') return ok();
      // kube-state-metrics watches other namespaces only: no kube-system pods or ReplicaSets.
      if (query.includes('now:kube_node_info'))
        return ok(
          probe(
            PRESENCE_FAMILIES.filter((f) => !f.probeNamespace).map((f) => [`now:${f.metric}`, 3]),
          ),
        );
      if (query.includes('seen:kube_pod_info'))
        return ok(
          probe([
            ['now:kube_pod_info', 40],
            ['now:kube_replicaset_owner', 12],
          ]),
        );
      return ok(EMPTY_VECTOR);
    });
    const { snapshot } = await collect(server.url);
    expect(snapshot.parts.pods).toEqual({ state: 'collected' });
    expect(snapshot.parts.replicasets).toEqual({ state: 'collected' });
    // Only the version series this fake server does not have are missing, no kube-state-metrics family.
    expect((snapshot.metricsMissing ?? []).map((m) => m.series)).not.toEqual(
      expect.arrayContaining(['kube_pod_info']),
    );
    expect((snapshot.metricsMissing ?? []).filter((m) => m.series.startsWith('kube_'))).toEqual([]);
    const seen = server.seen.map((r) => new URLSearchParams(r.body).get('query') ?? '');
    expect(seen.find((q) => q.includes('now:kube_node_info'))).toContain(
      'kube_pod_info{cluster="c", namespace="kube-system"}',
    );
  });

  it('fails the source when no query answers although the probe did', async () => {
    server = await startFaultServer((request) =>
      new URLSearchParams(request.body).get('query') === 'vector(1)'
        ? ok()
        : { status: 500, body: 'down' },
    );
    const error = await failure(collect(server.url));
    expect(error.kind).toBe('server');
  });
});
