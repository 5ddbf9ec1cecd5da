/**
 * AWS Signature Version 4 for Amazon Managed Prometheus (service `aps`), as an axios request
 * interceptor that signs exactly the bytes axios sends: the body must already be a string.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { InternalAxiosRequestConfig } from 'axios';
import type { SignerCredentials } from '../aws/eks-token';
import { SourceError } from '../errors';

/** The signing service of Amazon Managed Service for Prometheus. */
export const APS_SERVICE = 'aps';

/** What signing needs: region, service, credentials and (for tests) the clock. */
export interface SigV4Settings {
  readonly region: string;
  /** @default 'aps' */
  readonly service?: string;
  readonly credentials: SignerCredentials;
  /** The signing time; defaults to the current time (tests pin it). */
  readonly now?: () => Date;
}

const APS_HOST = /^aps-workspaces(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/;

/** The region of an AMP endpoint URL (`aps-workspaces.<region>.amazonaws.com`), else undefined. */
export function regionFromUrl(url: string): string | undefined {
  try {
    return APS_HOST.exec(new URL(url).hostname)?.[1];
  } catch {
    return undefined;
  }
}

/** The region to sign for: the configured one, else the one in the URL; throws a config error. */
export function signingRegion(url: string, configured: string | undefined): string {
  const region = configured ?? regionFromUrl(url);
  if (region === undefined) {
    throw new SourceError(
      'prometheus',
      'config',
      `cannot tell the AWS region to sign Prometheus requests for from ${new URL(url).host}; ` +
        'set `region` in the sigv4 auth of the prometheus config (AMP URLs look like https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>)',
    );
  }
  return region;
}

/** Credentials from the default Node provider chain (env, SSO, profile, web identity, IMDS), loaded lazily. */
export async function defaultCredentials(): Promise<SignerCredentials> {
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  return defaultProvider();
}

/**
 * An axios request interceptor that adds SigV4 headers (`authorization`, `x-amz-date`,
 * `x-amz-content-sha256`, `x-amz-security-token`) computed over the method, path, query,
 * `host` and `content-type` headers and the body string that will be sent unchanged.
 */
export function sigV4Interceptor(
  settings: SigV4Settings,
): (config: InternalAxiosRequestConfig) => Promise<InternalAxiosRequestConfig> {
  const signer = new SignatureV4({
    service: settings.service ?? APS_SERVICE,
    region: settings.region,
    credentials: settings.credentials,
    sha256: Sha256,
  });
  return async (config) => {
    if (config.data !== undefined && typeof config.data !== 'string') {
      // Signing a body axios might still re-serialise would sign different bytes than it sends.
      throw new Error('SigV4 signing needs the request body as a string; serialise it first');
    }
    const url = new URL(config.url ?? '', config.baseURL);
    const contentType = config.headers.get('content-type');
    const headers: Record<string, string> = { host: url.host };
    if (typeof contentType === 'string') headers['content-type'] = contentType;
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] ?? '') : values;
    }
    const request = new HttpRequest({
      method: (config.method ?? 'get').toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers,
      ...(config.data !== undefined ? { body: config.data } : {}),
    });
    let signed;
    try {
      signed = await signer.sign(request, {
        signingDate: settings.now ? settings.now() : new Date(),
      });
    } catch (error) {
      throw new SourceError(
        'prometheus',
        'auth',
        `cannot sign the Prometheus request with SigV4: no usable AWS credentials (${(error as Error).message}); ` +
          'give skewguard an IAM role or profile allowed to call aps:QueryMetrics on the workspace',
        { cause: error },
      );
    }
    for (const [name, value] of Object.entries(signed.headers)) config.headers.set(name, value);
    return config;
  };
}
