/**
 * What every builder shares: the JSON types, the cluster-wide facts objects are stamped with,
 * the documents kubectl prints around objects (a List, `kubectl version -o json`) and the order
 * it prints keys in.
 */

/** A JSON value under construction; undefined members are dropped (see {@link defined}). */
export type Json = string | number | boolean | null | Json[] | JsonObject;

/** A JSON object under construction. */
export interface JsonObject {
  [key: string]: Json | undefined;
}

/** Facts about the whole cluster that objects carry. */
export interface Cluster {
  /** The cluster name, as the cloud provider tags nodes with it. */
  readonly name: string;
  readonly region: string;
  /** When kubectl ran (or the API server answered): every time in the objects lies before it. */
  readonly collectedAt: string;
}

/**
 * `value` without its undefined members, so a built object is exactly what JSON.parse of its
 * text would give (consumers that test for a key's presence see no difference).
 */
export function defined<T extends JsonObject>(value: T): T {
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}

/**
 * A deep copy with object keys sorted, as kubectl prints unstructured objects (Go's
 * encoding/json prints maps sorted), and without undefined members.
 */
export function canonical(value: Json | undefined): Json | undefined {
  if (Array.isArray(value)) return value.map((v) => canonical(v) ?? null);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) {
    const v = canonical(value[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** A `kubectl get … -o json` List (kubectl leaves its resourceVersion empty). */
export type KubectlList<T> = {
  apiVersion: 'v1';
  kind: 'List';
  metadata: { resourceVersion: string };
  items: T[];
};

/** A `kubectl get … -o json` List of the given items. */
export function list<T>(items: readonly T[]): KubectlList<T> {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [...items] };
}

/** Orders objects by namespace, then name: the order of `kubectl get -A`. */
export function byNamespacedName(a: JsonObject, b: JsonObject): number {
  const key = (o: JsonObject): string => {
    const meta = o['metadata'] as JsonObject;
    return `${String(meta['namespace'] ?? '')}/${String(meta['name'])}`;
  };
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/** How the server and client builds of `kubectl version -o json` differ from the defaults. */
export interface VersionOptions {
  /** serverVersion.minor; EKS prints a trailing "+" (`30+`). Default: the gitVersion's minor. */
  readonly minor?: string;
  /** clientVersion.platform: where kubectl ran. Default linux/amd64. */
  readonly clientPlatform?: string;
  /** clientVersion.gitVersion: the kubectl that printed it, for KubectlVersionSkew. Default v1.31.2. */
  readonly clientVersion?: string;
}

/** What `kubectl version -o json` prints. */
export type VersionOutput = {
  clientVersion: Record<string, string>;
  kustomizeVersion: string;
  serverVersion: Record<string, string>;
};

/** `kubectl version -o json` output for a server at `gitVersion` (struct field order, unsorted). */
export function versionOutput(gitVersion: string, options: VersionOptions = {}): VersionOutput {
  const m = /^v?(\d+)\.(\d+)/.exec(gitVersion);
  const clientGitVersion = options.clientVersion ?? 'v1.31.2';
  const c = /^v?(\d+)\.(\d+)/.exec(clientGitVersion);
  return {
    clientVersion: {
      major: c?.[1] ?? '',
      minor: c?.[2] ?? '',
      gitVersion: clientGitVersion,
      gitCommit: '5864a4677267e6adeae276ad85882a8714d69d9d',
      gitTreeState: 'clean',
      buildDate: '2024-10-22T20:35:25Z',
      goVersion: 'go1.22.8',
      compiler: 'gc',
      platform: options.clientPlatform ?? 'linux/amd64',
    },
    kustomizeVersion: 'v5.4.2',
    serverVersion: {
      major: m?.[1] ?? '',
      minor: options.minor ?? m?.[2] ?? '',
      gitVersion,
      gitCommit: 'a737599e1e0e5f2a6c4f5c1fb3fe5e1c0e3d4e2b',
      gitTreeState: 'clean',
      buildDate: '2024-08-26T21:27:41Z',
      goVersion: 'go1.22.5',
      compiler: 'gc',
      platform: 'linux/amd64',
    },
  };
}
