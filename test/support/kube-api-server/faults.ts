/**
 * Fault injection: the rules a test sets, which request each one hits, and the status bodies an
 * injected failure answers with (the same ones the real API server sends for that code).
 */
import { decodeContinue, expired } from './continue-tokens';
import type { Reply } from './replies';
import { jsonReply } from './replies';
import type { Route } from './routes';
import { failure, forbidden, RESOURCE_NOT_FOUND, UNAUTHORIZED } from './status';
import type { Fault, FaultRule, FaultStatusCode } from './types';

interface ActiveFault {
  readonly rule: FaultRule;
  remaining: number;
}

/** The fault rules in force, each with the uses it has left. */
export class FaultInjector {
  private readonly active: ActiveFault[] = [];

  /** Adds a rule after the others; throws on a `times` that could never be used up. */
  add(rule: FaultRule): void {
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
      throw new Error(
        `setFault: times must be a positive integer, got ${rule.times}; omit it for every request.`,
      );
    }
    this.active.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.active.length = 0;
  }

  /** The fault of the first rule with uses left that matches, using one of them. */
  take(path: string, page: number | undefined): Fault | undefined {
    const active = this.active.find(
      (f) =>
        f.remaining > 0 &&
        (f.rule.path === undefined ||
          (typeof f.rule.path === 'string' ? f.rule.path === path : f.rule.path.test(path))) &&
        (f.rule.page === undefined || f.rule.page === page),
    );
    if (!active) return undefined;
    active.remaining--;
    return active.rule.fault;
  }
}

/**
 * Which page of a list a request fetches (1 without `continue`), for rules that target page N;
 * undefined for non-lists and for a token that does not parse (that request gets its 400 later).
 */
export function pageOf(route: Route, query: URLSearchParams): number | undefined {
  if (route.type !== 'list') return undefined;
  const rawContinue = query.get('continue');
  try {
    return rawContinue ? decodeContinue(rawContinue).page : 1;
  } catch {
    return undefined;
  }
}

/** The reply an injected status code gets: what the real API server sends for it. */
export function faultReply(
  code: FaultStatusCode,
  route: Route,
  path: string,
  query: URLSearchParams,
  retryAfter: number,
  user: string,
): Reply {
  switch (code) {
    case 401:
      return jsonReply(401, UNAUTHORIZED);
    case 403:
      return jsonReply(403, forbidden(route, path, user));
    case 404:
      return jsonReply(404, RESOURCE_NOT_FOUND);
    case 410:
      return jsonReply(410, expired(query.get('continue')));
    case 429:
      return {
        ...jsonReply(
          429,
          failure(429, 'TooManyRequests', 'Too many requests, please try again later.', {
            retryAfterSeconds: retryAfter,
          }),
        ),
        headers: { 'Retry-After': String(retryAfter) },
      };
    case 500:
      return jsonReply(
        500,
        failure(500, 'InternalError', 'Internal error occurred: injected by the test server', {
          causes: [{ message: 'injected by the test server' }],
        }),
      );
    case 503:
      return jsonReply(
        503,
        failure(
          503,
          'ServiceUnavailable',
          'the server is currently unable to handle the request',
          {},
        ),
      );
    case 504:
      return jsonReply(
        504,
        failure(
          504,
          'Timeout',
          'Timeout: request did not complete within requested timeout - context deadline exceeded',
          {},
        ),
      );
  }
}
