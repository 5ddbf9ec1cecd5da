/** The proxy kubectl would use for an API server, so skewguard refuses it rather than silently connecting around it. */

/** Whether `host` is excluded from proxying by a NO_PROXY list, as kubectl (Go's net/http) reads it. */
function noProxyMatches(host: string, port: string, noProxy: string): boolean {
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const [name = '', entryPort] = entry.startsWith('[')
      ? [entry.slice(0, entry.indexOf(']') + 1), entry.split(']:')[1]]
      : entry.split(':');
    if (entryPort !== undefined && entryPort !== port) continue;
    const bare = name.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

/**
 * The proxy a request to `server` would go through: the kubeconfig cluster's `proxy-url`, else
 * HTTPS_PROXY (or https_proxy) unless NO_PROXY excludes the host; undefined when none applies.
 */
export function proxyFor(
  server: string,
  proxyUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { url: string; from: string } | undefined {
  if (proxyUrl !== undefined && proxyUrl !== '') return { url: proxyUrl, from: 'proxy-url' };
  const fromEnv = env['HTTPS_PROXY'] ?? env['https_proxy'];
  if (fromEnv === undefined || fromEnv === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(server);
  } catch {
    return undefined;
  }
  const host = parsed.hostname.toLowerCase();
  const port = parsed.port || '443';
  const noProxy = env['NO_PROXY'] ?? env['no_proxy'] ?? '';
  if (noProxyMatches(host, port, noProxy)) return undefined;
  return { url: fromEnv, from: env['HTTPS_PROXY'] !== undefined ? 'HTTPS_PROXY' : 'https_proxy' };
}

/** Credentials in a proxy URL never reach a message. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}

/**
 * The refusal for a proxied API server: skewguard does not tunnel through proxies, and
 * connecting directly would go around the egress path the user set up.
 */
export function proxyRefusal(server: string, proxy: { url: string; from: string }): string {
  const unset =
    proxy.from === 'proxy-url'
      ? 'remove proxy-url from the cluster entry'
      : `add the API server's host to NO_PROXY (or unset ${proxy.from})`;
  return `requests to ${server} would go through the proxy ${redacted(proxy.url)} (${proxy.from}), and skewguard does not send API requests through a proxy: run it where the API server is reachable directly and ${unset}, or save \`kubectl get nodes,pods,deploy,sts,ds,rs -A -o json\` through the proxy and pass it with --from-file`;
}
