/**
 * Writing responses: bodies as JSON text chunks streamed with backpressure, the API server's
 * headers, and the broken answers faults need (a truncated body, a TCP reset).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { StoredObject } from './store';

/** A response body as JSON text chunks, so large lists never become one giant string. */
export type Body = Iterable<string>;

// About 64 KiB a write: a large page streams in many writes instead of one huge string.
const CHUNK_CHARS = 64 * 1024;

function* jsonBody(value: unknown): Body {
  yield JSON.stringify(value);
}

/** A `*List` body, serialized item by item as it is written. */
export function* listBody(
  kind: string,
  apiVersion: string,
  metadata: Record<string, unknown>,
  items: readonly StoredObject[],
): Body {
  let buffer = `{"kind":${JSON.stringify(kind)},"apiVersion":"${apiVersion}","metadata":${JSON.stringify(metadata)},"items":[`;
  for (let i = 0; i < items.length; i++) {
    buffer += (i ? ',' : '') + JSON.stringify(items[i]!.item);
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  yield `${buffer}]}`;
}

/** A response before it is written: status, body and the headers beyond the usual ones. */
export interface Reply {
  readonly status: number;
  readonly body: Body;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A reply with a JSON body. */
/** A document served as plain text (the Prometheus exposition format of /metrics) rather than JSON. */
export class PlainText {
  constructor(readonly text: string) {}
}

export const jsonReply = (status: number, value: unknown): Reply => ({
  status,
  body: jsonBody(value),
});

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function writeHead(
  res: ServerResponse,
  reply: Reply,
  extra: Record<string, string | number> = {},
): void {
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType ?? 'application/json',
    'Cache-Control': 'no-cache, private',
    'Audit-Id': randomUUID(),
    ...reply.headers,
    ...extra,
  });
}

/** Writes a reply in full, waiting for the socket to drain between chunks. */
export async function sendReply(res: ServerResponse, reply: Reply): Promise<void> {
  writeHead(res, reply);
  for (const chunk of reply.body) {
    if (res.destroyed) return;
    // Respect backpressure so a 150,000-pod list streams instead of piling up in memory.
    if (!res.write(chunk)) await waitForDrain(res);
  }
  if (!res.destroyed) res.end();
}

/** Writes the first half of a reply's body, then ends cleanly or (`abort`) cuts the connection. */
export function sendTruncated(res: ServerResponse, reply: Reply, abort: boolean): void {
  const full = Buffer.from([...reply.body].join(''));
  const half = full.subarray(0, Math.floor(full.length / 2));
  if (abort) {
    // Promise the whole length, deliver half, then drop the connection: a mid-body network cut.
    writeHead(res, reply, { 'Content-Length': full.length });
    res.write(half, () => res.socket?.destroy());
  } else {
    writeHead(res, reply);
    res.end(half);
  }
}

/** Sends a TCP RST, as a load balancer or crashed API server does. */
export function resetConnection(socket: Socket): void {
  // TLS sockets cannot RST themselves; the TCP socket under them (`_parent`) can.
  const tcp = (socket as Socket & { _parent?: Socket })._parent ?? socket;
  try {
    tcp.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
