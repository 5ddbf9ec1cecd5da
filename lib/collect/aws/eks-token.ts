/** Mints EKS bearer tokens locally from a SigV4-presigned STS GetCallerIdentity URL. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** Static credentials or a provider, as the SigV4 signer takes them. */
export type SignerCredentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

/** What minting an EKS bearer token needs. */
export interface EksTokenInput {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: SignerCredentials;
  /** Signing time; defaults to the current time (tests pin it). */
  readonly signingDate?: Date;
}

/** Prefix EKS (aws-iam-authenticator) expects in front of the encoded URL. */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** Presigned URL lifetime: EKS rejects more than 900 s; `aws eks get-token` uses 60 s. */
export const EKS_TOKEN_EXPIRES_SECONDS = 60;

/**
 * Mints an EKS bearer token locally: a presigned STS GetCallerIdentity URL whose signature covers
 * the `x-k8s-aws-id: <cluster>` header, base64url-encoded without padding behind `k8s-aws-v1.`.
 */
export async function mintEksToken(input: EksTokenInput): Promise<string> {
  const hostname = `sts.${input.region}.amazonaws.com`;
  const signer = new SignatureV4({
    service: 'sts',
    region: input.region,
    credentials: input.credentials,
    sha256: Sha256,
  });
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname,
    path: '/',
    headers: { host: hostname, 'x-k8s-aws-id': input.clusterName },
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
  });
  const signed = await signer.presign(request, {
    expiresIn: EKS_TOKEN_EXPIRES_SECONDS,
    ...(input.signingDate ? { signingDate: input.signingDate } : {}),
  });
  const query = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) =>
      Array.isArray(v)
        ? v.map((x) => [k, x] as const)
        : v === null || v === undefined
          ? []
          : [[k, v] as const],
    )
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}

/** Percent-encoding as SigV4 canonicalises it (encodeURIComponent leaves !'()* alone). */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
