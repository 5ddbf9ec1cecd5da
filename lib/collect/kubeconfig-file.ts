import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { isUrlOf } from '../config';
import { SourceError } from './errors';
import { kubeconfigUseError } from './kubeconfig-errors';
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
  const userName = kc.getContextObject(kc.getCurrentContext())?.user;
  if (userName && !kc.getCurrentUser()) {
    // client-node would go on without credentials and the API server would answer 401.
    throw new SourceError(
      'kubernetes',
      'config',
      `kubeconfig context "${kc.getCurrentContext()}" names user "${userName}", which is not in the kubeconfig's users (${
        kc
          .getUsers()
          .map((u) => u.name)
          .join(', ') || 'none'
      }); fix the context's user or pick another context with --context`,
    );
  }
  if (cluster.skipTLSVerify) {
    throw new SourceError(
      'kubernetes',
      'tls',
      `kubeconfig cluster "${cluster.name}" sets insecure-skip-tls-verify; skewguard always verifies TLS — set certificate-authority or certificate-authority-data instead`,
    );
  }
  if (!isUrlOf(cluster.server, ['https'])) {
    throw new SourceError(
      'kubernetes',
      'config',
      `API server URL "${cluster.server}" of kubeconfig cluster "${cluster.name}" is not an https:// URL with a host; skewguard talks to API servers over TLS only: fix the cluster's server or pick another context with --context`,
    );
  }
  const base: RequestOptions = {};
  await applyContext(kc, base);
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
      await applyContext(kc, opts);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(opts.headers ?? {}))
        if (typeof v === 'string') headers[k] = v;
      if (opts.auth)
        headers['Authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
      return headers;
    },
  };
}

/** Applies the context's TLS files and credentials (running its exec plugin) to `opts`. */
async function applyContext(kc: KubeConfig, opts: RequestOptions): Promise<void> {
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (error) {
    throw kubeconfigUseError(kc, error);
  }
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
    const { message, path, code } = error as NodeJS.ErrnoException;
    const problem = /reading '(clusters|contexts|users)'/.test(message)
      ? 'it is empty or not a kubeconfig'
      : path !== undefined && !where.split(delimiter).includes(path) && code !== undefined
        ? // client-node reads every user's token-file while loading, whichever context is used.
          `the token-file ${path} of one of its users cannot be read (${code}); fix or remove that user's token-file`
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
