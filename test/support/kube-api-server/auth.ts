/**
 * Authentication and authorization: one bearer token, anonymous requests as the options say, and
 * per-resource RBAC denials, checked in the API server's order (401 before 403).
 */
import type { IncomingMessage } from 'node:http';
import type { Reply } from './replies';
import { jsonReply } from './replies';
import type { Route } from './routes';
import { forbidden, UNAUTHORIZED } from './status';
import type { Denial, KubeApiServerOptions } from './types';
import { DEFAULT_TEST_USER } from './types';

// What system:anonymous may read on EKS (the system:public-info-viewer role).
const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** Who may read what, from the server's options. */
export interface AccessPolicy {
  readonly token: string;
  /** The authenticated user named in 403 messages. */
  readonly user: string;
  readonly anonymous: 'unauthorized' | 'forbidden';
  readonly denials: readonly Denial[];
}

/** The policy the options ask for, accepting `token`. */
export function accessPolicy(options: KubeApiServerOptions, token: string): AccessPolicy {
  return {
    token,
    user: options.user ?? DEFAULT_TEST_USER,
    anonymous: options.anonymous ?? 'unauthorized',
    denials: (options.deny ?? []).map((d): Denial => (typeof d === 'string' ? { resource: d } : d)),
  };
}

/** The 401 or 403 a request gets, or undefined when it may go on. */
export function admit(
  policy: AccessPolicy,
  req: IncomingMessage,
  route: Route,
  path: string,
): Reply | undefined {
  const header = req.headers.authorization;
  if (header === undefined) {
    if (policy.anonymous === 'unauthorized') return jsonReply(401, UNAUTHORIZED);
    return PUBLIC_PATHS.has(path)
      ? undefined
      : jsonReply(403, forbidden(route, path, 'system:anonymous'));
  }
  const match = /^bearer\s+(.+)$/i.exec(header.trim());
  if (!match || match[1] !== policy.token) return jsonReply(401, UNAUTHORIZED);
  return isDenied(policy, route) ? jsonReply(403, forbidden(route, path, policy.user)) : undefined;
}

function isDenied(policy: AccessPolicy, route: Route): boolean {
  if (route.type !== 'list' && route.type !== 'get') return false;
  const scope = route.namespace ?? 'cluster';
  return policy.denials.some(
    (d) =>
      d.resource === route.resource.plural &&
      (d.verb === undefined || d.verb === route.type) &&
      (d.scope === undefined || d.scope === scope),
  );
}
