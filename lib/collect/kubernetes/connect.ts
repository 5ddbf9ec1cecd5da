/** Connects the scheduled checker to an API server: kubeconfig text, a token, or EKS via IAM. */
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { AWS_CALL_TIMEOUTS } from '../aws/timeouts';
import { SourceError } from '../errors';
import type { SignerCredentials } from '../aws/eks-token';
import { mintEksToken } from '../aws/eks-token';
import type { KubeTarget } from './client';
import type { StaticKubeconfig } from './kubeconfig-text';
import { parseKubeconfigText } from './kubeconfig-text';
import { verifyingAgent } from './tls';

/**
 * How the scheduled checker reaches a cluster's API server: everything it needs is in the config
 * and its secrets. (Kubeconfig files with exec plugins are the CLI's: see kubeconfig-file.ts,
 * which keeps @kubernetes/client-node out of the function bundle.)
 */
export type KubeConnection =
  /** A kubeconfig's text, e.g. from a Secrets Manager secret; credentials embedded. */
  | { readonly kind: 'kubeconfigText'; readonly text: string; readonly context?: string }
  | {
      readonly kind: 'token';
      readonly server: string;
      readonly token: string;
      readonly caPem?: string;
    }
  | { readonly kind: 'eks'; readonly name: string; readonly region: string };

/** AWS pieces the EKS connection needs; tests pass fakes. */
export interface AwsDeps {
  readonly credentials?: SignerCredentials;
  readonly eks?: Pick<EKSClient, 'send'>;
}

// EKS tokens are accepted for 15 minutes; mint a new one well before that.
const EKS_TOKEN_REUSE_MS = 10 * 60 * 1000;

/** A connected target plus names for messages and the default cluster name. */
export type ConnectedTarget = KubeTarget & { readonly description: string; readonly name: string };

/** Resolves a connection into a target: server URL, verifying TLS agent, fresh auth headers. */
export async function connect(
  connection: KubeConnection,
  maxSockets = 8,
  aws: AwsDeps = {},
): Promise<ConnectedTarget> {
  switch (connection.kind) {
    case 'eks':
      return connectEks(connection, maxSockets, aws);
    case 'token':
      return connectStatic(
        {
          context: 'token',
          server: checkedServer(connection.server),
          ...(connection.caPem ? { caPem: connection.caPem } : {}),
          auth: { kind: 'token', token: connection.token },
        },
        maxSockets,
      );
    case 'kubeconfigText':
      return connectStatic(parseKubeconfigText(connection.text, connection.context), maxSockets);
  }
}

function checkedServer(server: string): string {
  if (!server.startsWith('https://')) {
    throw new SourceError(
      'kubernetes',
      'config',
      `API server URL "${server}" is not https://; skewguard talks to API servers over TLS only`,
    );
  }
  return server;
}

/** A target whose credentials never change during a run (token, client certificate, basic). */
function connectStatic(config: StaticKubeconfig, maxSockets: number): ConnectedTarget {
  const tls: Parameters<typeof verifyingAgent>[0] = {
    ...(config.caPem ? { ca: config.caPem } : {}),
    ...(config.tlsServerName ? { servername: config.tlsServerName } : {}),
  };
  const headers: Record<string, string> = {};
  const auth = config.auth;
  if (auth.kind === 'token') headers['Authorization'] = `Bearer ${auth.token}`;
  else if (auth.kind === 'basic')
    headers['Authorization'] =
      `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  else Object.assign(tls, { cert: auth.certPem, key: auth.keyPem });
  return {
    server: config.server,
    agent: verifyingAgent(tls, maxSockets),
    description: `${config.server} (context ${config.context})`,
    name: new URL(config.server).hostname,
    headers: () => Promise.resolve({ ...headers }),
  };
}

async function connectEks(
  connection: { name: string; region: string },
  maxSockets: number,
  aws: AwsDeps,
): Promise<ConnectedTarget> {
  const eks = aws.eks ?? new EKSClient({ region: connection.region, ...AWS_CALL_TIMEOUTS });
  let endpoint: string | undefined;
  let caData: string | undefined;
  try {
    const out = await eks.send(new DescribeClusterCommand({ name: connection.name }));
    endpoint = out.cluster?.endpoint;
    caData = out.cluster?.certificateAuthority?.data;
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (name === 'ResourceNotFoundException') {
      throw new SourceError(
        'kubernetes',
        'config',
        `no EKS cluster "${connection.name}" in ${connection.region}; check the cluster name and region in the config`,
        { cause: error },
      );
    }
    if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException') {
      throw new SourceError(
        'kubernetes',
        'forbidden',
        `eks:DescribeCluster on ${connection.name} was denied; grant eks:DescribeCluster on arn:aws:eks:${connection.region}:<account>:cluster/${connection.name}`,
        { cause: error },
      );
    }
    throw new SourceError(
      'kubernetes',
      'server',
      `eks:DescribeCluster ${connection.name} failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (!endpoint || !caData) {
    throw new SourceError(
      'kubernetes',
      'protocol',
      `EKS cluster ${connection.name} has no endpoint or CA yet (is it still CREATING?)`,
    );
  }
  const credentials =
    aws.credentials ?? (await import('@aws-sdk/credential-provider-node')).defaultProvider();
  let cached: { token: string; at: number } | undefined;
  return {
    server: endpoint,
    agent: verifyingAgent({ ca: Buffer.from(caData, 'base64') }, maxSockets),
    description: `EKS ${connection.name} (${connection.region})`,
    name: connection.name,
    headers: async () => {
      const now = Date.now();
      if (!cached || now - cached.at > EKS_TOKEN_REUSE_MS) {
        cached = {
          token: await mintEksToken({
            clusterName: connection.name,
            region: connection.region,
            credentials,
          }),
          at: now,
        };
      }
      return { Authorization: `Bearer ${cached.token}` };
    },
  };
}
