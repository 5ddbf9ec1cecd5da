/** One EKS API call, bounded, with its failure sorted into a SourceError that names the grant to add. */
import type { EKSClient } from '@aws-sdk/client-eks';
import { SourceError } from '../errors';
import type { SourceErrorKind } from '../../rules/model';

/** The EKS client methods the source uses; tests pass aws-sdk-client-mock's. */
export type EksApi = Pick<EKSClient, 'send'>;

/** The cluster the calls are about, for ARNs and messages. */
export interface EksClusterRef {
  readonly name: string;
  readonly region: string;
}

/** A paginated EKS list with more pages than this is not what skewguard expects; it stops there. */
export const MAX_PAGES = 20;

/** The resource a grant must name for `action`, as the IAM policy of the checker does. */
function resourceFor(action: string, cluster: EksClusterRef): string {
  // DescribeClusterVersions and DescribeAddonVersions are not resource-scoped in IAM.
  if (action === 'DescribeClusterVersions' || action === 'DescribeAddonVersions') return '*';
  if (action === 'DescribeAddon')
    return `arn:aws:eks:${cluster.region}:<account>:addon/${cluster.name}/*`;
  return `arn:aws:eks:${cluster.region}:<account>:cluster/${cluster.name}`;
}

function kindOf(error: unknown): SourceErrorKind {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? '';
  if (name === 'AccessDeniedException' || name === 'AccessDenied') return 'forbidden';
  if (
    name === 'UnrecognizedClientException' ||
    name === 'ExpiredTokenException' ||
    name === 'CredentialsProviderError' ||
    name === 'InvalidSignatureException'
  )
    return 'auth';
  if (name === 'ResourceNotFoundException' || name === 'InvalidParameterException') return 'config';
  if (name === 'TimeoutError' || e.code === 'ETIMEDOUT' || name === 'RequestTimeout')
    return 'timeout';
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return 'dns';
  if (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === 'EHOSTUNREACH')
    return 'connection';
  return 'server';
}

/** What to do about a failure of `kind`, completing the message. */
function remedy(kind: SourceErrorKind, action: string, cluster: EksClusterRef): string {
  switch (kind) {
    case 'forbidden':
      return `grant eks:${action} on ${resourceFor(action, cluster)} to the checker's role`;
    case 'auth':
      return "check the checker's AWS credentials (role, region, clock)";
    case 'config':
      return `check the EKS cluster name and region in the config (${cluster.name} in ${cluster.region})`;
    case 'timeout':
    case 'dns':
    case 'connection':
      return `the EKS endpoint in ${cluster.region} is not reachable from the checker: give its subnets a NAT gateway or an EKS interface endpoint`;
    default:
      return 'EKS answered with an error; it is retried on the next run';
  }
}

/** Runs one call; a failure becomes a SourceError('eks', kind) naming the call and the fix. */
export async function eksCall<T>(
  action: string,
  cluster: EksClusterRef,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const kind = kindOf(error);
    const detail = (error as Error).message || (error as { name?: string }).name || 'failed';
    throw new SourceError(
      'eks',
      kind,
      `eks:${action} for cluster ${cluster.name} failed (${detail}); ${remedy(kind, action, cluster)}`,
      { cause: error },
    );
  }
}

/** Follows `nextToken` up to MAX_PAGES pages; more is reported, never silently cut. */
export async function allPages<T>(
  action: string,
  cluster: EksClusterRef,
  page: (nextToken: string | undefined) => Promise<{ items: readonly T[]; nextToken?: string }>,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const { items, nextToken } = await eksCall(action, cluster, () => page(token));
    out.push(...items);
    if (!nextToken) return out;
    token = nextToken;
  }
  throw new SourceError(
    'eks',
    'protocol',
    `eks:${action} for cluster ${cluster.name} returned more than ${MAX_PAGES} pages; skewguard stops there rather than read on`,
  );
}
