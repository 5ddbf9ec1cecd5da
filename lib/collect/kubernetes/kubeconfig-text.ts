/** Reads a self-contained kubeconfig from a secret; file paths and exec plugins are refused. */
import { parse } from 'yaml';
import { SourceError } from '../errors';
import { proxyRefusal } from './proxy';

/** What a self-contained kubeconfig (e.g. a Secrets Manager secret) says about one context. */
export interface StaticKubeconfig {
  readonly context: string;
  readonly server: string;
  readonly caPem?: string;
  readonly tlsServerName?: string;
  readonly auth:
    | { readonly kind: 'token'; readonly token: string }
    | { readonly kind: 'basic'; readonly username: string; readonly password: string }
    | { readonly kind: 'clientCertificate'; readonly certPem: string; readonly keyPem: string };
}

type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

const fail = (problem: string, cause?: unknown): never => {
  throw new SourceError(
    'kubernetes',
    'config',
    `the kubeconfig secret ${problem}`,
    cause === undefined ? undefined : { cause },
  );
};

/**
 * Reads a kubeconfig whose credentials are all embedded (`*-data` fields, `token`), the form a
 * secret can hold. The scheduled checker has no files, no `aws` CLI and no browser, so file
 * paths, exec plugins and auth providers are refused with what to store instead, rather than
 * failing later with an unrelated error. (The CLI reads kubeconfig files with
 * @kubernetes/client-node, which runs exec plugins.)
 */
export function parseKubeconfigText(text: string, context?: string): StaticKubeconfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    fail(
      `is not YAML (${(error as Error).message.split('\n')[0] ?? ''}); store the kubeconfig YAML as the secret string`,
      error,
    );
  }
  if (!isRec(doc) || !Array.isArray(doc['contexts'])) {
    return fail(
      'is not a kubeconfig (no contexts); store the kubeconfig YAML as the secret string',
    );
  }
  const contextName =
    context ?? (typeof doc['current-context'] === 'string' ? doc['current-context'] : '');
  const names = (key: string): string[] =>
    (Array.isArray(doc[key]) ? (doc[key] as unknown[]) : [])
      .filter(isRec)
      .map((e) => String(e['name'] ?? ''));
  const entry = (key: 'contexts' | 'clusters' | 'users', name: string, field: string): Rec => {
    const found = (Array.isArray(doc[key]) ? (doc[key] as unknown[]) : [])
      .filter(isRec)
      .find((e) => e['name'] === name);
    const body = found?.[field];
    if (!isRec(body)) {
      return fail(
        `has no ${key.slice(0, -1)} "${name}"; it has: ${names(key).join(', ') || '(none)'}`,
      );
    }
    return body;
  };
  if (!contextName) {
    return fail(
      `sets no current-context; set current-context to one of: ${names('contexts').join(', ') || '(none)'}`,
    );
  }
  const ctx = entry('contexts', contextName, 'context');
  const cluster = entry('clusters', String(ctx['cluster'] ?? ''), 'cluster');
  const userName = String(ctx['user'] ?? '');
  const user = entry('users', userName, 'user');

  const server = typeof cluster['server'] === 'string' ? cluster['server'] : '';
  if (!server.startsWith('https://')) {
    fail(
      `names API server "${server}", which is not https://; skewguard talks to API servers over TLS only`,
    );
  }
  // Only the secret's own proxy-url: the function's environment sets no proxy for the cluster.
  const proxyUrl = typeof cluster['proxy-url'] === 'string' ? cluster['proxy-url'] : undefined;
  if (proxyUrl !== undefined) fail(proxyRefusal(server, { url: proxyUrl, from: 'proxy-url' }));
  if (cluster['insecure-skip-tls-verify'] === true) {
    fail(
      'sets insecure-skip-tls-verify; skewguard always verifies TLS — set certificate-authority-data instead',
    );
  }
  for (const [where, obj, key] of [
    ['cluster', cluster, 'certificate-authority'],
    ['user', user, 'client-certificate'],
    ['user', user, 'client-key'],
    ['user', user, 'tokenFile'],
  ] as const) {
    if (obj[key] !== undefined) {
      fail(
        `refers to a file (${where}.${key}); a secret must embed it: use ${key === 'tokenFile' ? 'token' : `${key}-data`}`,
      );
    }
  }
  if (user['exec'] !== undefined || user['auth-provider'] !== undefined) {
    const what = user['exec'] !== undefined ? 'an exec plugin' : 'an auth-provider';
    fail(
      `user "${userName}" authenticates with ${what}, which the scheduled checker cannot run; store a ServiceAccount token instead (kubectl -n skewguard create token skewguard-reader), or configure the cluster as EKS by name and region`,
    );
  }
  const caData = base64Field(cluster, 'certificate-authority-data');
  const tlsServerName =
    typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined;
  const base = {
    context: contextName,
    server,
    ...(caData !== undefined ? { caPem: caData } : {}),
    ...(tlsServerName !== undefined ? { tlsServerName } : {}),
  };
  if (typeof user['token'] === 'string' && user['token'] !== '') {
    return { ...base, auth: { kind: 'token', token: user['token'] } };
  }
  const certPem = base64Field(user, 'client-certificate-data');
  const keyPem = base64Field(user, 'client-key-data');
  if (certPem !== undefined && keyPem !== undefined) {
    return { ...base, auth: { kind: 'clientCertificate', certPem, keyPem } };
  }
  if (typeof user['username'] === 'string' && typeof user['password'] === 'string') {
    return {
      ...base,
      auth: { kind: 'basic', username: user['username'], password: user['password'] },
    };
  }
  return fail(
    `user "${userName}" has no credentials skewguard can use; set token, or client-certificate-data with client-key-data`,
  );
}

function base64Field(obj: Rec, key: string): string | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/=\s]+$/.test(value)) {
    return fail(`has a ${key} that is not base64`);
  }
  return Buffer.from(value, 'base64').toString('utf8');
}
