/**
 * Child process of the bench: serves one synthetic cluster from the test Kubernetes API server,
 * so the collector's memory and CPU are measured without the server's. Spoken to over IPC:
 * `mark` zeroes the request log and byte counter, `report` returns them, `stop` ends it.
 */
import { mkdtempSync } from 'node:fs';
import { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeApiServer } from '../test/support/kube-api-server';
import { kubeObjects } from './synthetic-objects';
import type { SizeName } from './synthetic-cluster';
import { clusterModel, SERVER_VERSION, SIZES } from './synthetic-cluster';

/** A request the server answered, as the bench needs it. */
export interface ServedRequest {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number | undefined;
}

/** Messages the parent sends. */
export type ServeCommand = { readonly type: 'mark' | 'report' | 'stop' };

/** Messages the child sends. */
export type ServeReply =
  | {
      readonly type: 'ready';
      readonly url: string;
      readonly kubeconfig: string;
      readonly caPem: string;
      readonly token: string;
      readonly objects: number;
      readonly startMs: number;
    }
  | { readonly type: 'marked' }
  | {
      readonly type: 'report';
      readonly requests: readonly ServedRequest[];
      readonly bytes: number;
    };

// Every byte the server writes in answers, counted where it leaves: the test server itself has
// no byte counter, and kubectl's requests cannot be counted on the client side.
let bytesServed = 0;
function countWrites(): void {
  const proto = ServerResponse.prototype as unknown as {
    write: (chunk: unknown, ...rest: unknown[]) => boolean;
    end: (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
  };
  const size = (chunk: unknown): number =>
    typeof chunk === 'string'
      ? Buffer.byteLength(chunk)
      : chunk instanceof Uint8Array
        ? chunk.byteLength
        : 0;
  const write = proto.write;
  const end = proto.end;
  proto.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    bytesServed += size(chunk);
    return write.call(this, chunk, ...rest);
  };
  proto.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk !== 'function') bytesServed += size(chunk);
    return end.call(this, chunk, ...rest);
  };
}

function send(reply: ServeReply): void {
  process.send?.(reply);
}

async function main(): Promise<void> {
  const size = process.argv[2] as SizeName | undefined;
  if (!size || !(size in SIZES)) {
    throw new Error(`bench/serve.ts needs a size argument (${Object.keys(SIZES).join(', ')})`);
  }
  if (!process.send) throw new Error('bench/serve.ts runs as a child of bench/run.ts (IPC)');
  const started = performance.now();
  countWrites();
  const objects = kubeObjects(clusterModel(SIZES[size]));
  const server = await startKubeApiServer({ objects, version: SERVER_VERSION });
  // Collect the generator's garbage now, not as a pause in the middle of a measured run.
  (globalThis as { gc?: () => void }).gc?.();
  const kubeconfig = await server.writeKubeconfig(
    mkdtempSync(join(tmpdir(), 'skewguard-bench-kube-')),
  );
  process.on('message', (message: ServeCommand) => {
    if (message.type === 'mark') {
      server.clearRequests();
      bytesServed = 0;
      send({ type: 'marked' });
    } else if (message.type === 'report') {
      send({
        type: 'report',
        requests: server.requests.map((r) => ({ path: r.path, query: r.query, status: r.status })),
        bytes: bytesServed,
      });
    } else {
      void server.stop().then(() => process.exit(0));
    }
  });
  // A parent that died must not leave the server running.
  process.on('disconnect', () => void server.stop().then(() => process.exit(0)));
  send({
    type: 'ready',
    url: server.url,
    kubeconfig,
    caPem: server.caPem,
    token: server.token,
    objects: objects.length,
    startMs: performance.now() - started,
  });
}

main().catch((error: unknown) => {
  console.error(
    `bench/serve.ts: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
