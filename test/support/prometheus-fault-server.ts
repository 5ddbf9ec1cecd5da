/** A fake Prometheus on 127.0.0.1 that answers each request from a script: the faults the client and the collection must survive. */
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SourceError } from '../../lib/collect/errors';
import { KIND_LABEL, PRESENCE_FAMILIES, PROBE_LABEL } from '../../lib/collect/prometheus/queries';

/** Small bounds so every failure path ends within a second. */
export const FAST = { timeoutMs: 300, maxRetries: 2, backoffMs: 10, maxRetryAfterMs: 200 };

/** What the fault server saw of one request. */
export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A reply: status, body and headers, or `hang` to never answer. */
type Reply = { status: number; body: string; headers?: Record<string, string> } | 'hang';

/** A loopback HTTP(S) server answering each request from a script. */
export interface FaultServer {
  readonly url: string;
  readonly seen: Seen[];
  close(): Promise<void>;
}

export type Script = (request: Seen, index: number) => Reply;

const VECTOR_ONE = JSON.stringify({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: {}, value: [1795262400, '1'] }] },
});
export const EMPTY_VECTOR = JSON.stringify({
  status: 'success',
  data: { resultType: 'vector', result: [] },
});

// The first round's answer naming one unhealthy workload of each kind.
export const OFFENDING = JSON.stringify({
  status: 'success',
  data: {
    resultType: 'vector',
    result: [
      { metric: { [KIND_LABEL]: 'Deployment', namespace: 'a', deployment: 'web' } },
      { metric: { [KIND_LABEL]: 'StatefulSet', namespace: 'a', statefulset: 'db' } },
      { metric: { [KIND_LABEL]: 'DaemonSet', namespace: 'a', daemonset: 'agent' } },
    ].map((s) => ({ ...s, value: [1795262400, '1'] })),
  },
});

// The presence query's answer when every kube-state-metrics family reports now.
export const PRESENT = JSON.stringify({
  status: 'success',
  data: {
    resultType: 'vector',
    result: PRESENCE_FAMILIES.map(({ metric }) => ({
      metric: { [PROBE_LABEL]: `now:${metric}` },
      value: [1795262400, '3'],
    })),
  },
});

export const ok = (body = VECTOR_ONE): Reply => ({
  status: 200,
  body,
  headers: { 'content-type': 'application/json' },
});

export async function startFaultServer(
  script: Script,
  tls?: { certPem: string; keyPem: string },
): Promise<FaultServer> {
  const seen: Seen[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(request);
      const reply = script(request, seen.length - 1);
      if (reply === 'hang') return;
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body);
    });
  };
  const server: Server = tls
    ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, handler)
    : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The SourceError a promise rejects with; fails the test when it resolves or throws something else. */
export async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}
