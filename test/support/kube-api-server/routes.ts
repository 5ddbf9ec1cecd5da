/**
 * A request target parsed from its URL path: a resource list or get, a discovery document, a
 * health path, or one of the two kinds of 404 the API server tells apart.
 */
import type { ResourceType } from './resources';
import { RESOURCE_TYPES } from './resources';

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

/** The route of `path`; `documents` are the discovery and /version bodies by path. */
export function routeOf(path: string, documents: ReadonlyMap<string, unknown>): Route {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const document = documents.get(trimmed);
  if (document !== undefined) return { type: 'document', body: document };
  if (['/healthz', '/livez', '/readyz'].includes(trimmed)) return { type: 'health' };
  const prefix = trimmed.startsWith('/api/v1/')
    ? ''
    : trimmed.startsWith('/apis/apps/v1/')
      ? 'apps'
      : trimmed.startsWith('/apis/autoscaling/v2/')
        ? 'autoscaling'
        : undefined;
  if (prefix === undefined) {
    return trimmed.startsWith('/api') ? { type: 'unknownResource' } : { type: 'pageNotFound' };
  }
  const segments = trimmed
    .slice(
      prefix === 'autoscaling'
        ? '/apis/autoscaling/v2/'.length
        : prefix
          ? '/apis/apps/v1/'.length
          : '/api/v1/'.length,
    )
    .split('/')
    .map((s) => decodeURIComponent(s));
  const find = (plural: string | undefined): ResourceType | undefined =>
    RESOURCE_TYPES.find((r) => r.group === prefix && r.plural === plural);
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
