import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from './errors';
import type { ConnectedTarget } from './kube-connect';
import { verifyingAgent } from './kubernetes';

/** A kubeconfig file and context, as kubectl takes them (default: KUBECONFIG or ~/.kube/config). */
export interface KubeconfigFileConnection {
  readonly file?: string;
  readonly context?: string;
}

/**
 * Resolves a kubeconfig file into a target with @kubernetes/client-node, which runs exec plugins
 * (`aws eks get-token`, `gke-gcloud-auth-plugin`) and reads token files — what a person's
 * kubeconfig needs. Only the CLI uses it; the function bundle stays without client-node.
 */
export async function connectKubeconfigFile(
  connection: KubeconfigFileConnection,
  maxSockets = 8,
): Promise<ConnectedTarget> {
  const kc = new KubeConfig();
  loadKubeconfig(kc, connection.file, connection.context);
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
    name: kc.getCurrentContext(),
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
