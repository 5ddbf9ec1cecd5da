import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SourceError } from '../../../../lib/collect/errors';
import { PrometheusClient } from '../../../../lib/collect/prometheus/client';
import { regionFromUrl, signingRegion } from '../../../../lib/collect/prometheus/sigv4';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDEXAMPLE',
};
const signingDate = new Date('2026-11-21T12:00:00Z');

/** One request exactly as it arrived: the raw body bytes, not a re-serialisation. */
interface Captured {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const VECTOR = JSON.stringify({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: {}, value: [1795262400, '1'] }] },
});

let server: Server;
let base: string;
const captured: Captured[] = [];
let statuses: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      captured.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      const status = statuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? VECTOR : '{"status":"error","errorType":"unavailable","error":"x"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/workspaces/ws-0a1b2c3d`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  captured.length = 0;
  statuses = [];
});

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * Recomputes the SigV4 signature of a captured request independently (AWS General Reference,
 * "Create a signed AWS API request"): canonical request over the bytes that arrived, string to
 * sign, derived key.
 */
function expectedSignature(request: Captured, secret: string): string {
  const auth = String(request.headers.authorization);
  const [, scope = '', signedHeaders = ''] =
    /^AWS4-HMAC-SHA256 Credential=[^/]+\/([^,]+), SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(
      auth,
    ) ?? [];
  const [date = '', region = '', service = ''] = scope.split('/');
  const url = new URL(request.path, 'http://placeholder');
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((h) => `${h}:${String(request.headers[h]).trim()}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    url.pathname,
    url.search.replace(/^\?/, ''),
    canonicalHeaders,
    signedHeaders,
    sha256(request.body),
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    String(request.headers['x-amz-date']),
    scope,
    sha256(canonicalRequest),
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

function signatureOf(request: Captured): string {
  return /Signature=([0-9a-f]{64})$/.exec(String(request.headers.authorization))?.[1] ?? '';
}

async function signingClient(): Promise<PrometheusClient> {
  return PrometheusClient.create({
    url: base,
    auth: { type: 'sigv4', region: 'eu-west-1', credentials },
    signingNow: () => signingDate,
    policy: { backoffMs: 1 },
  });
}

describe('SigV4 for Amazon Managed Prometheus', () => {
  it('signs with service aps, the region, the date and the session token', async () => {
    await (await signingClient()).instant('up', 1795262400_000);
    const [request] = captured;
    expect(request?.path).toBe('/workspaces/ws-0a1b2c3d/api/v1/query');
    expect(request?.headers['x-amz-date']).toBe('20261121T120000Z');
    expect(request?.headers['x-amz-security-token']).toBe(credentials.sessionToken);
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261121\/eu-west-1\/aps\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
  });

  it('signs exactly the body that is sent: the recomputed signature verifies', async () => {
    const query = 'sum by (job) (up{cluster="prod", job=~"kube-.*"}) > 0 & 1';
    await (await signingClient()).instant(query, 1795262400_000);
    const [request] = captured;
    if (!request) throw new Error('no request captured');
    // The body that arrived is the form the client built, byte for byte.
    expect(request.body.toString('utf8')).toBe(
      new URLSearchParams({ query, time: '1795262400.000' }).toString(),
    );
    expect(request.headers['x-amz-content-sha256']).toBe(sha256(request.body));
    expect(request.headers.host).toBe(new URL(base).host);
    expect(signatureOf(request)).toBe(expectedSignature(request, credentials.secretAccessKey));
    // One changed byte of the body breaks it: the signature really covers the body.
    const tampered = {
      ...request,
      body: Buffer.from(request.body.toString('utf8').replace('prod', 'prue')),
    };
    expect(signatureOf(request)).not.toBe(expectedSignature(tampered, credentials.secretAccessKey));
  });

  it('signs each retry afresh', async () => {
    statuses = [503];
    await (await signingClient()).probe();
    expect(captured).toHaveLength(2);
    for (const request of captured) {
      expect(signatureOf(request)).toBe(expectedSignature(request, credentials.secretAccessKey));
    }
  });

  it('fails with an auth error naming the fix when no credentials resolve', async () => {
    const client = await PrometheusClient.create({
      url: base,
      auth: {
        type: 'sigv4',
        region: 'eu-west-1',
        credentials: () =>
          Promise.reject(new Error('Could not load credentials from any providers')),
      },
    });
    const error = await client.probe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('aps:QueryMetrics'),
    });
    expect(captured).toHaveLength(0);
  });
});

describe('the region to sign for', () => {
  it.each([
    ['https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1', 'eu-west-1'],
    ['https://aps-workspaces.us-gov-west-1.amazonaws.com/workspaces/ws-1', 'us-gov-west-1'],
    ['https://aps-workspaces-fips.us-east-1.amazonaws.com/workspaces/ws-1', 'us-east-1'],
    ['https://aps-workspaces.cn-north-1.amazonaws.com.cn/workspaces/ws-1', 'cn-north-1'],
    ['https://prometheus.example.com', undefined],
    ['not a url', undefined],
  ])('%s → %s', (url, region) => {
    expect(regionFromUrl(url)).toBe(region);
  });

  it('prefers the configured region, and asks for one when the URL has none', () => {
    expect(signingRegion('https://aps-workspaces.eu-west-1.amazonaws.com/w', 'us-east-1')).toBe(
      'us-east-1',
    );
    expect(() => signingRegion('https://thanos.example.com', undefined)).toThrow(
      expect.objectContaining({ kind: 'config', message: expect.stringContaining('set `region`') }),
    );
  });
});
