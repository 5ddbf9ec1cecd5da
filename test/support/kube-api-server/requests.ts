/**
 * One request from arrival to the last byte: record it, apply an injected fault, admit it, answer
 * it from the store. The order is the real server's as far as a client can tell: a fault stands
 * in for the network or a failing server, so it comes before authentication.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessPolicy } from './auth';
import { admit } from './auth';
import type { FaultInjector } from './faults';
import { faultReply, pageOf } from './faults';
import { serve } from './handlers';
import type { Reply } from './replies';
import { jsonReply, resetConnection, sendReply, sendTruncated } from './replies';
import type { ResourceType } from './resources';
import type { Route } from './routes';
import { routeOf } from './routes';
import { BadRequestError, failure } from './status';
import type { ObjectStore } from './store';
import type { RecordedRequest } from './types';

/** What the request pipeline works with; the server's lifecycle owns all of it. */
export interface RequestContext {
  readonly store: ObjectStore;
  readonly faults: FaultInjector;
  readonly access: AccessPolicy;
  /** Discovery and /version bodies by path. */
  readonly documents: ReadonlyMap<string, unknown>;
  /** The resource types served: the built-in ones and the installed custom resources. */
  readonly served: readonly ResourceType[];
  /** Every request so far; the pipeline appends and fills in its record. */
  readonly requests: RecordedRequest[];
  /** A wait that `stop()` cuts short. */
  sleep(ms: number): Promise<void>;
  readonly stopping: () => boolean;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Handles one request; rejects only on a bug in the test server itself. */
export async function handleRequest(
  ctx: RequestContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const path = url.pathname;
  const { record, settle } = recordRequest(ctx, req, res, url);
  const route = routeOf(path, ctx.documents, ctx.served);

  let fault = ctx.faults.take(path, pageOf(route, url.searchParams));
  if (fault?.type === 'delay') {
    record.fault = 'delay';
    await ctx.sleep(fault.ms);
    if (res.destroyed || ctx.stopping()) return;
    fault = undefined;
  }
  if (fault?.type === 'reset') {
    record.fault = 'reset';
    resetConnection(req.socket);
    settle(0);
    return;
  }
  if (fault?.type === 'status') {
    record.fault = `status:${fault.code}`;
    const retryAfter = fault.retryAfterSeconds ?? 1;
    await sendReply(
      res,
      faultReply(fault.code, route, path, url.searchParams, retryAfter, ctx.access.user),
    );
    settle(res.statusCode);
    return;
  }

  const reply = answer(ctx, req, route, path, url.searchParams);
  if (fault?.type === 'truncate') {
    record.fault = 'truncate';
    sendTruncated(res, reply, fault.abort ?? false);
    settle(fault.abort ? 0 : res.statusCode);
    return;
  }
  await sendReply(res, reply);
  settle(res.statusCode);
}

/**
 * Appends the request's record. `settle` fills in status and duration as soon as the server has
 * written everything, before the client can see the end, so tests may assert on a record right
 * after their request resolves; the first call wins (a cut socket settles with 0).
 */
function recordRequest(
  ctx: RequestContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): { record: Writable<RecordedRequest>; settle: (status: number) => void } {
  const record: Writable<RecordedRequest> = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    authorization: req.headers.authorization !== undefined,
    accept: req.headers.accept,
    userAgent: req.headers['user-agent'],
    fault: undefined,
    startedAt: Date.now(),
    durationMs: undefined,
    status: undefined,
  };
  ctx.requests.push(record);
  const settle = (status: number): void => {
    record.durationMs ??= Date.now() - record.startedAt;
    record.status ??= status;
  };
  res.on('close', () => settle(0));
  return { record, settle };
}

/** The reply to a request no fault stopped: admission, then what this read-only server allows. */
function answer(
  ctx: RequestContext,
  req: IncomingMessage,
  route: Route,
  path: string,
  query: URLSearchParams,
): Reply {
  const denied = admit(ctx.access, req, route, path);
  if (denied) return denied;
  if (req.method !== 'GET') {
    return jsonReply(
      405,
      failure(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
        {},
      ),
    );
  }
  if (route.type === 'list' && /^(true|1)$/.test(query.get('watch') ?? '')) {
    return jsonReply(
      400,
      failure(
        400,
        'BadRequest',
        'watch is not supported by the skewguard test API server; list without watch=true',
        {},
      ),
    );
  }
  try {
    return serve(ctx.store, route, query);
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    return jsonReply(400, failure(400, 'BadRequest', error.message, {}));
  }
}
