import { createHash, createHmac } from 'node:crypto';
import { EKS_TOKEN_PREFIX, mintEksToken } from '../../../../lib/collect/aws/eks-token';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEJr//////////wEaDEXAMPLE',
};
const signingDate = new Date('2026-11-21T12:00:00Z');

function decode(token: string): URL {
  expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
  const encoded = token.slice(EKS_TOKEN_PREFIX.length);
  expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
  return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
}

const enc = (s: string): string =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/** Recomputes the SigV4 query signature from the URL alone, as STS would. */
function expectedSignature(url: URL, clusterName: string, secret: string): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== 'X-Amz-Signature');
  const canonicalQuery = params
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const signedHeaders = url.searchParams.get('X-Amz-SignedHeaders') ?? '';
  const headers: Record<string, string> = { host: url.host, 'x-k8s-aws-id': clusterName };
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((h) => `${h}:${headers[h] ?? ''}\n`)
    .join('');
  const emptyHash = createHash('sha256').update('').digest('hex');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    emptyHash,
  ].join('\n');
  const [, date = '', region = '', service = ''] =
    /^[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(
      url.searchParams.get('X-Amz-Credential') ?? '',
    ) ?? [];
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    url.searchParams.get('X-Amz-Date'),
    `${date}/${region}/${service}/aws4_request`,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('EKS token', () => {
  it('follows the token rules aws-iam-authenticator enforces', async () => {
    const token = await mintEksToken({
      clusterName: 'prod-eu',
      region: 'eu-west-1',
      credentials,
      signingDate,
    });
    const url = decode(token);
    expect(url.protocol).toBe('https:');
    expect(url.hostname).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const allowed = new Set([
      'Action',
      'Version',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-Security-Token',
      'X-Amz-Signature',
      'X-Amz-SignedHeaders',
    ]);
    for (const key of url.searchParams.keys()) expect(allowed.has(key)).toBe(true);
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('Version')).toBe('2011-06-15');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('x-k8s-aws-id');
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261121T120000Z');
    expect(url.searchParams.get('X-Amz-Credential')).toBe(
      'AKIDEXAMPLE/20261121/eu-west-1/sts/aws4_request',
    );
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(credentials.sessionToken);
  });

  it('carries a signature that verifies for the cluster it names, and only that one', async () => {
    const token = await mintEksToken({
      clusterName: 'prod-eu',
      region: 'eu-west-1',
      credentials,
      signingDate,
    });
    const url = decode(token);
    const signature = url.searchParams.get('X-Amz-Signature');
    expect(signature).toBe(expectedSignature(url, 'prod-eu', credentials.secretAccessKey));
    expect(signature).not.toBe(
      expectedSignature(url, 'other-cluster', credentials.secretAccessKey),
    );
  });

  it('is deterministic for fixed credentials and clock', async () => {
    const a = await mintEksToken({
      clusterName: 'c',
      region: 'us-east-1',
      credentials,
      signingDate,
    });
    const b = await mintEksToken({
      clusterName: 'c',
      region: 'us-east-1',
      credentials,
      signingDate,
    });
    expect(a).toBe(b);
  });
});
