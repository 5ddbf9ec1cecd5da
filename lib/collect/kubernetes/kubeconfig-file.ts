/** The CLI's kubeconfig-file connection via client-node, with exec plugins under a deadline. */
import { KubeConfig } from '@kubernetes/client-node';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { isUrlOf } from '../../config';
import { SourceError } from '../errors';
import { descendantsOf, killAll } from './process-tree';
import { proxyFor, proxyRefusal } from './proxy';
import { ExecPluginTimeoutError, kubeconfigUseError } from './kubeconfig-errors';
import type { ConnectedTarget } from './connect';
import { verifyingAgent } from './tls';

/** A kubeconfig file and context, as kubectl takes them (default: KUBECONFIG or ~/.kube/config). */
export interface KubeconfigFileConnection {
  readonly file?: string;
  readonly context?: string;
  /** How long an exec plugin may take to print credentials (default EXEC_PLUGIN_TIMEOUT_MS). */
  readonly execTimeoutMs?: number;
}

/**
 * Deadline of one exec plugin run. client-node sets none, so a plugin waiting for a login prompt
 * or a browser sign-in would hang the check for good; a minute leaves room for a slow SSO token.
 */
export const EXEC_PLUGIN_TIMEOUT_MS = 60_000;

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
  boundExecPlugins(kc, connection.execTimeoutMs ?? EXEC_PLUGIN_TIMEOUT_MS);
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
  const proxy = proxyFor(cluster.server, cluster.proxyUrl);
  if (proxy) {
    throw new SourceError(
      'kubernetes',
      'config',
      `kubeconfig cluster "${cluster.name}": ${proxyRefusal(cluster.server, proxy)}`,
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

/**
 * Gives client-node's exec plugin runs a deadline: its ExecAuth spawns through a replaceable
 * `execFn`; past the deadline the plugin is killed and the run fails with ExecPluginTimeoutError.
 */
function boundExecPlugins(kc: KubeConfig, timeoutMs: number): void {
  const authenticators = (kc as unknown as { authenticators?: unknown[] }).authenticators ?? [];
  // ExecAuth is not exported; it is the authenticator that spawns through `execFn`.
  const exec = authenticators.find(
    (a) => typeof (a as { execFn?: unknown } | undefined)?.execFn === 'function',
  );
  // A client-node upgrade that moves this would otherwise drop the bound silently.
  if (!exec) throw new Error('@kubernetes/client-node has no exec authenticator with an execFn');
  (exec as unknown as { execFn: typeof spawn }).execFn = ((
    command: string,
    args: readonly string[],
    options: object,
  ) => {
    const child = spawn(command, args, options);
    const timer = setTimeout(() => {
      // client-node rejects with the last 'error' once the killed plugin closes.
      child.emit('error', new ExecPluginTimeoutError(timeoutMs));
      // The plugin's own children (a shell plugin's `sleep`, a browser helper) go with it;
      // read before the kill, since orphans are re-parented and no longer found below it.
      const descendants = child.pid !== undefined ? descendantsOf(child.pid) : [];
      child.kill('SIGKILL');
      killAll(descendants, 'SIGKILL');
      // 'close' waits for our ends of the pipes only.
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, timeoutMs);
    child.once('close', () => clearTimeout(timer));
    return child;
  }) as typeof spawn;
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
  if (context === undefined && !kc.getCurrentContext()) {
    throw new SourceError(
      'kubernetes',
      'config',
      `kubeconfig ${where}: current-context is not set; pass --context with one of: ${kc
        .getContexts()
        .map((c) => c.name)
        .join(', ')} (or run \`kubectl config use-context NAME\`)`,
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
