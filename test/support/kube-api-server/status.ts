/**
 * Status bodies, word for word as the API server sends them for failures, so the collector's
 * error handling is tested against the real texts.
 */
import { qualified, resourceDetails } from './resources';
import type { Route } from './routes';

/** A bad selector, continue token or query value: answered with 400 BadRequest and its message. */
export class BadRequestError extends Error {}

/** A `Status` object with `status: Failure`. */
export interface Status {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly code: number;
}

/** A failure Status; `metadata` carries a continue token for 410s. */
export function failure(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata,
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** 403: what the authorizer says when RBAC denies `user` the route. */
export function forbidden(route: Route, path: string, user: string): Status {
  if (route.type !== 'list' && route.type !== 'get') {
    return failure(403, 'Forbidden', `forbidden: User "${user}" cannot get path "${path}"`, {});
  }
  const { resource, namespace } = route;
  const subject =
    route.type === 'get' ? `${qualified(resource)} "${route.name}"` : qualified(resource);
  const where =
    namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${route.type} resource "${resource.plural}" in API group "${resource.group}" ${where}`,
    resourceDetails(resource, route.type === 'get' ? route.name : undefined),
  );
}

/** 401: a missing or wrong token (the API server says no more). */
export const UNAUTHORIZED = failure(401, 'Unauthorized', 'Unauthorized');
/** 404 for an unknown resource path (not a missing object: that one names the object). */
export const RESOURCE_NOT_FOUND = failure(
  404,
  'NotFound',
  'the server could not find the requested resource',
  {},
);
