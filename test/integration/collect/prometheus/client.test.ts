/** PrometheusClient against a misbehaving server: retries, timeouts, auth, TLS and answer shapes, each fault named. */
import type { PrometheusAuth } from '../../../../lib/collect/prometheus/auth';
import type { PrometheusClientOptions } from '../../../../lib/collect/prometheus/client';
import { PrometheusClient } from '../../../../lib/collect/prometheus/client';
import { testTls } from '../../../support/tls';
import type { FaultServer, Script, Seen } from '../../../support/prometheus-fault-server';
import { FAST, failure, ok, startFaultServer } from '../../../support/prometheus-fault-server';

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
