/** Paged Kubernetes list calls (`limit` + `continue`), with 403s worded as RBAC grants. */
import type { KubeClient } from './client';
import { KubeHttpError } from './client';
import type { Raw } from '../kube-objects';
import { arr, isRecord, str } from '../kube-objects';

/** One list call: which resource, where, and how to name it in a permission message. */
export interface ListRequest {
  /** Plural resource name, e.g. `nodes`, `deployments`. */
  readonly resource: string;
  /** API group ('' for core). */
  readonly group: string;
  /** API version of the group. @default 'v1' (HorizontalPodAutoscalers are read as `autoscaling/v2`) */
  readonly version?: string;
  /** Namespace, or undefined for all namespaces / cluster scope. */
  readonly namespace?: string;
  readonly labelSelector?: string;
}

/** Page size: the Kubernetes default chunk size kubectl uses too. */
export const PAGE_LIMIT = 500;
// A misbehaving server could hand out continue tokens forever; 2,000 pages is a million objects.
const MAX_PAGES = 2_000;

/** The REST path of a list request. */
export function listPath(req: ListRequest): string {
  const base = req.group === '' ? '/api/v1' : `/apis/${req.group}/${req.version ?? 'v1'}`;
  return req.namespace
    ? `${base}/namespaces/${req.namespace}/${req.resource}`
    : `${base}/${req.resource}`;
}

/**
 * Turns one list item into what the caller keeps (e.g. a slim copy); the whole page is dropped
 * right after, so only what `keep` returns stays in memory. `kind` and `apiVersion` come from
 * the list, as list items omit their own.
 */
export type KeepItem<T> = (item: Raw, kind: string, apiVersion: string) => T;

/**
 * Lists every object of a request, page by page (`limit` + `continue`), passing each item
 * through `keep` as its page arrives. A 410 Expired continue token restarts the list once from
 * the beginning.
 */
export async function listAll<T>(
  client: KubeClient,
  req: ListRequest,
  keep: KeepItem<T>,
): Promise<T[]> {
  let restarted = false;
  for (;;) {
    try {
      return await listOnce(client, req, keep);
    } catch (error) {
      if (error instanceof KubeHttpError && error.status === 410 && !restarted) {
        restarted = true;
        continue;
      }
      throw withPermissionHint(error, req);
    }
  }
}

async function listOnce<T>(client: KubeClient, req: ListRequest, keep: KeepItem<T>): Promise<T[]> {
  const path = listPath(req);
  const kept: T[] = [];
  let token: string | undefined;
  const seenTokens = new Set<string>();
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const body = await client.getJson(path, {
      limit: String(PAGE_LIMIT),
      continue: token,
      labelSelector: req.labelSelector,
    });
    if (!isRecord(body) || !Array.isArray(body['items'])) {
      throw new KubeHttpError(
        'protocol',
        `GET ${path}: the answer is not a Kubernetes list (no items array)`,
        200,
        undefined,
      );
    }
    const itemKind = (str(body, 'kind') ?? '').replace(/List$/, '');
    const apiVersion = str(body, 'apiVersion') ?? '';
    for (const item of arr(body, 'items')) {
      if (isRecord(item)) kept.push(keep(item, itemKind, apiVersion));
    }
    token = str(body, 'metadata', 'continue') || undefined;
    if (token === undefined) return kept;
    if (seenTokens.has(token))
      throw new KubeHttpError(
        'protocol',
        `GET ${path}: the server repeated a continue token; pagination would never end`,
        200,
        undefined,
      );
    seenTokens.add(token);
  }
  throw new KubeHttpError(
    'protocol',
    `GET ${path}: more than ${MAX_PAGES} pages of ${PAGE_LIMIT}; refusing to read further`,
    200,
    undefined,
  );
}

/** A 403 on a list, with the request it denied, so several denials can be named in one sentence. */
export class ListDeniedError extends KubeHttpError {
  constructor(
    readonly request: ListRequest,
    denied: KubeHttpError,
  ) {
    super(
      'forbidden',
      deniedMessage(
        [request],
        denied.statusBody?.message && `server said: ${denied.statusBody.message}`,
      ),
      denied.status,
      denied.statusBody,
      {
        cause: denied,
      },
    );
  }
}

/**
 * One 403 for several denied lists: every list and every grant in one sentence, so a cluster
 * admin fixes the RBAC in one go instead of one run per permission.
 */
export function combineDenials(
  denied: readonly [ListDeniedError, ...ListDeniedError[]],
): KubeHttpError {
  const [first] = denied;
  if (denied.length === 1) return first;
  const said = first.statusBody?.message;
  return new KubeHttpError(
    'forbidden',
    deniedMessage(
      denied.map((d) => d.request),
      said && `server said for ${first.request.resource}: ${said}`,
    ),
    first.status,
    first.statusBody,
    { cause: first },
  );
}

/** Turns a 403 into the sentence a cluster admin acts on: which verb on which resource at which scope. */
function withPermissionHint(error: unknown, req: ListRequest): unknown {
  if (!(error instanceof KubeHttpError) || error.kind !== 'forbidden') return error;
  return new ListDeniedError(req, error);
}

/** "cannot list nodes at cluster scope: grant list on nodes (API group core) — see …". */
function deniedMessage(requests: readonly ListRequest[], note: string | undefined): string {
  const byScope = groupBy(requests, (r) =>
    r.namespace ? `in namespace ${r.namespace}` : 'at cluster scope',
  );
  const byGroup = groupBy(requests, (r) => `API group ${r.group === '' ? 'core' : r.group}`);
  const lists = [...byScope].map(([scope, names]) => `${names.join(', ')} ${scope}`);
  const grants = [...byGroup].map(([group, names]) => `${names.join(', ')} (${group})`);
  return (
    `cannot list ${lists.join(' and ')}: grant list on ${grants.join(' and ')} — ` +
    (requests.length > 1
      ? 'deploy/rbac/skewguard-reader.yaml grants all of them and the reads that follow (ReplicaSets and pods of unhealthy workloads)'
      : 'see deploy/rbac/skewguard-reader.yaml') +
    (note ? ` (${note})` : '')
  );
}

/** Resource names grouped by `key`, each name once, in first-seen order. */
function groupBy(
  requests: readonly ListRequest[],
  key: (r: ListRequest) => string,
): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const r of requests) {
    const names = groups.get(key(r)) ?? [];
    groups.set(key(r), names);
    if (!names.includes(r.resource)) names.push(r.resource);
  }
  return groups;
}
