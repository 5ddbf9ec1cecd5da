/** How skewguard authenticates to Prometheus: the auth union, its request headers, and the CLI's choice from the environment. */
import type { SignerCredentials } from '../aws/eks-token';
import { SourceError } from '../errors';
import { regionFromUrl } from './sigv4';

/** How skewguard authenticates to Prometheus; the config schema mirrors this. */
export type PrometheusAuth =
  | { readonly type: 'none' }
  | { readonly type: 'basic'; readonly username: string; readonly password: string }
  | { readonly type: 'bearer'; readonly token: string }
  | {
      readonly type: 'sigv4';
      /** Defaults to the region in an `aps-workspaces.<region>.amazonaws.com` URL. */
      readonly region?: string;
      /** Defaults to the AWS SDK's default provider chain. */
      readonly credentials?: SignerCredentials;
    };

/** Where Prometheus credentials go, for the deployed checker and for `skewguard check`. */
export const CREDENTIALS_HINT =
  'give them as prometheus.auth (basic or bearer) in skewguard.config.yaml, or for skewguard check ' +
  'in SKEWGUARD_PROMETHEUS_TOKEN, or SKEWGUARD_PROMETHEUS_USERNAME and SKEWGUARD_PROMETHEUS_PASSWORD';

export function authHeader(auth: PrometheusAuth): Record<string, string> {
  switch (auth.type) {
    case 'basic':
      return {
        Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
      };
    case 'bearer':
      return { Authorization: `Bearer ${auth.token}` };
    case 'none':
    case 'sigv4':
      return {};
  }
}

/**
 * The auth of `skewguard check --prometheus-url`: SigV4 for AMP URLs, else a bearer token or
 * basic credentials from the environment (kept out of the command line, shell history and ps).
 */
export function cliPrometheusAuth(
  url: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): PrometheusAuth {
  const token = env['SKEWGUARD_PROMETHEUS_TOKEN'];
  const username = env['SKEWGUARD_PROMETHEUS_USERNAME'];
  const password = env['SKEWGUARD_PROMETHEUS_PASSWORD'];
  const fail = (problem: string): SourceError =>
    new SourceError('prometheus', 'config', `${problem}; ${CREDENTIALS_HINT}`);
  if (regionFromUrl(url) !== undefined) {
    if (token !== undefined || username !== undefined || password !== undefined) {
      throw new SourceError(
        'prometheus',
        'config',
        'Amazon Managed Prometheus URLs are signed with SigV4 from the AWS credential chain and take no token or password; unset SKEWGUARD_PROMETHEUS_TOKEN, SKEWGUARD_PROMETHEUS_USERNAME and SKEWGUARD_PROMETHEUS_PASSWORD',
      );
    }
    return { type: 'sigv4' };
  }
  if (token !== undefined && (username !== undefined || password !== undefined))
    throw fail('both a bearer token and a username/password are set: keep one');
  if (token !== undefined) {
    if (token.trim() === '') throw fail('SKEWGUARD_PROMETHEUS_TOKEN is empty');
    return { type: 'bearer', token: token.trim() };
  }
  if (username !== undefined || password !== undefined) {
    if (!username || password === undefined)
      throw fail(
        'basic auth needs both SKEWGUARD_PROMETHEUS_USERNAME and SKEWGUARD_PROMETHEUS_PASSWORD',
      );
    return { type: 'basic', username, password };
  }
  return { type: 'none' };
}
