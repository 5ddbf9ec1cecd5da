/**
 * A request target parsed from its URL path: a resource list or get, a discovery document, a
 * health path, or one of the two kinds of 404 the API server tells apart.
 */
import type { ResourceType } from './resources';
import { groupVersionOf, servedTypes } from './resources';

/** A parsed request target: a resource get/list, or a non-resource path. */
export type Route =
  | {
      readonly type: 'list';
      readonly resource: ResourceType;
      readonly namespace: string | undefined;
    }
  | {
      readonly type: 'get';
      readonly resource: ResourceType;
      readonly namespace: string | undefined;
      readonly name: string;
    }
  | { readonly type: 'document'; readonly body: unknown }
  | { readonly type: 'health' }
  | { readonly type: 'unknownResource' }
  | { readonly type: 'pageNotFound' };

/**
 * The route of `path`; `documents` are the discovery and /version bodies by path, `served` the
 * types the server serves (a custom resource whose CRD is not installed is an unknown resource).
 */
export function routeOf(
  path: string,
  documents: ReadonlyMap<string, unknown>,
  served: readonly ResourceType[] = servedTypes([]),
): Route {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const document = documents.get(trimmed);
  if (document !== undefined) return { type: 'document', body: document };
  if (['/healthz', '/livez', '/readyz'].includes(trimmed)) return { type: 'health' };
  // `/api/v1/…` or `/apis/<group>/<version>/…`, for a group and version some served type has.
  const groupVersion = trimmed.startsWith('/api/v1/')
    ? 'v1'
    : served.map(groupVersionOf).find((gv) => gv !== 'v1' && trimmed.startsWith(`/apis/${gv}/`));
  if (groupVersion === undefined) {
    return trimmed.startsWith('/api') ? { type: 'unknownResource' } : { type: 'pageNotFound' };
  }
  const segments = trimmed
    .slice(groupVersion === 'v1' ? '/api/v1/'.length : `/apis/${groupVersion}/`.length)
    .split('/')
    .map((s) => decodeURIComponent(s));
  const find = (plural: string | undefined): ResourceType | undefined =>
    served.find((r) => groupVersionOf(r) === groupVersion && r.plural === plural);
  const [first, second, third, fourth] = segments;
  if (segments.length <= 2) {
    const resource = find(first);
    if (!resource) return { type: 'unknownResource' };
    if (second === undefined) return { type: 'list', resource, namespace: undefined };
    if (resource.namespaced) return { type: 'unknownResource' };
    return { type: 'get', resource, namespace: undefined, name: second };
  }
  const resource = find(third);
  if (first !== 'namespaces' || !second || !resource?.namespaced || segments.length > 4) {
    return { type: 'unknownResource' };
  }
  return fourth === undefined
    ? { type: 'list', resource, namespace: second }
    : { type: 'get', resource, namespace: second, name: fourth };
}
