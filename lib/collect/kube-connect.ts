import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from './errors';
import type { SignerCredentials } from './eks-token';
import { mintEksToken } from './eks-token';
import type { KubeTarget } from './kube-client';
import { verifyingAgent } from './kubernetes';

/** How to reach a cluster's API server. */
export type KubeConnection =
  | { readonly kind: 'kubeconfig'; readonly file?: string; readonly context?: string }
  /** A kubeconfig's text, e.g. from a Secrets Manager secret. */
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
  if (connection.kind === 'eks') return connectEks(connection, maxSockets, aws);
  const kc = new KubeConfig();
  if (connection.kind === 'token') {
    kc.loadFromOptions({
      clusters: [
        {
          name: 'target',
          server: connection.server,
          caData: connection.caPem ? Buffer.from(connection.caPem).toString('base64') : undefined,
          skipTLSVerify: false,
        },
      ],
      users: [{ name: 'skewguard', token: connection.token }],
      contexts: [{ name: 'target', cluster: 'target', user: 'skewguard' }],
      currentContext: 'target',
    });
  } else if (connection.kind === 'kubeconfigText') {
    try {
      kc.loadFromString(connection.text);
    } catch (error) {
      throw new SourceError(
        'kubernetes',
        'config',
        `the kubeconfig secret is not a readable kubeconfig (${(error as Error).message}); store the kubeconfig YAML as the secret string`,
        { cause: error },
      );
    }
    if (connection.context !== undefined) kc.setCurrentContext(connection.context);
  } else {
    loadKubeconfig(kc, connection.file, connection.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new SourceError(
      'kubernetes',
      'config',
      `kubeconfig context "${kc.getCurrentContext()}" names no cluster; pass --context with one of: ${
        kc
          .getContexts()
          .map((c) => c.name)
          .join(', ') || '(none)'
      }`,
    );
  }
  if (cluster.skipTLSVerify) {
    throw new SourceError(
      'kubernetes',
      'tls',
      `kubeconfig cluster "${cluster.name}" sets insecure-skip-tls-verify; skewguard always verifies TLS — set certificate-authority or certificate-authority-data instead`,
    );
  }
  if (!cluster.server.startsWith('https://')) {
    throw new SourceError(
      'kubernetes',
      'config',
      `API server URL "${cluster.server}" is not https://; skewguard talks to API servers over TLS only`,
    );
  }
  const base: RequestOptions = {};
  await kc.applyToHTTPSOptions(base);
  const agent = verifyingAgent(
    {
      ...(base.ca ? { ca: base.ca as string | Buffer } : {}),
      ...(base.cert ? { cert: base.cert as string | Buffer } : {}),
      ...(base.key ? { key: base.key as string | Buffer } : {}),
      ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
    },
    maxSockets,
  );
  return {
    server: cluster.server,
    agent,
    description: `${cluster.server} (context ${kc.getCurrentContext()})`,
    name:
      connection.kind === 'kubeconfig' ? kc.getCurrentContext() : new URL(cluster.server).hostname,
    headers: async () => {
      // Re-applied per request: exec plugins and token files refresh themselves here.
      const opts: RequestOptions = {};
      await kc.applyToHTTPSOptions(opts);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(opts.headers ?? {}))
        if (typeof v === 'string') headers[k] = v;
      if (opts.auth)
        headers['Authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
      return headers;
    },
  };
}

function loadKubeconfig(
  kc: KubeConfig,
  file: string | undefined,
  context: string | undefined,
): void {
  const where = file ?? process.env['KUBECONFIG'] ?? join(homedir(), '.kube', 'config');
  if (!file && !process.env['KUBECONFIG'] && !existsSync(where)) {
    // loadFromDefault would silently fall back to http://localhost:8080; say what is missing instead.
    throw new SourceError(
      'kubernetes',
      'config',
      `no kubeconfig found (${where} does not exist and KUBECONFIG is not set); pass --kubeconfig FILE, or --from-file with saved kubectl output`,
    );
  }
  try {
    if (file) kc.loadFromFile(file);
    else kc.loadFromDefault();
  } catch (error) {
    const message = (error as Error).message;
    const problem = /reading '(clusters|contexts|users)'/.test(message)
      ? 'it is empty or not a kubeconfig'
      : message;
    throw new SourceError(
      'kubernetes',
      'config',
      `cannot load kubeconfig ${where}: ${problem}; pass --kubeconfig FILE or --from-file`,
      { cause: error },
    );
  }
  if (kc.getContexts().length === 0) {
    throw new SourceError(
      'kubernetes',
      'config',
      `no contexts in kubeconfig ${where}; pass --kubeconfig FILE, or --from-file with saved kubectl output`,
    );
  }
  if (context !== undefined) {
    if (!kc.getContextObject(context)) {
      throw new SourceError(
        'kubernetes',
        'config',
        `kubeconfig has no context "${context}"; available: ${kc
          .getContexts()
          .map((c) => c.name)
          .join(', ')}`,
      );
    }
    kc.setCurrentContext(context);
  }
}

async function connectEks(
  connection: { name: string; region: string },
  maxSockets: number,
  aws: AwsDeps,
): Promise<ConnectedTarget> {
  const eks = aws.eks ?? new EKSClient({ region: connection.region });
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
