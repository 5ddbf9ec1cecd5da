/**
 * The server's lifecycle: TLS material and the HTTPS listener on a random loopback port, the
 * sockets and timers it must end on `stop()`, and the handle tests drive it with.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:https';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { testTls } from '../tls';
import { accessPolicy } from './auth';
import { FaultInjector } from './faults';
import type { RequestContext } from './requests';
import { handleRequest } from './requests';
import { discoveryDocuments, servedTypes, versionInfo } from './resources';
import { PlainText } from './replies';
import { failure } from './status';
import { ObjectStore } from './store';
import type { KubeApiServer, KubeApiServerOptions, RecordedRequest } from './types';
import { TEST_CONTEXT } from './types';

/** Starts the test API server on 127.0.0.1 with a random port. Call `stop()` when done. */
export async function startKubeApiServer(
  options: KubeApiServerOptions = {},
): Promise<KubeApiServer> {
  const tls = await testTls();
  const token = options.token ?? randomBytes(24).toString('base64url');
  const store = new ObjectStore(options.objects ?? []);
  const faults = new FaultInjector();
  const requests: RecordedRequest[] = [];
  // Filled in once the port is known; no request can arrive before that.
  const documents = new Map<string, unknown>();
  const timers = new WakeableTimers();
  let stopped: Promise<void> | undefined;
  const served = servedTypes(options.crds ?? []);
  const context: RequestContext = {
    store,
    faults,
    access: accessPolicy(options, token),
    documents,
    served,
    requests,
    sleep: (ms) => timers.sleep(ms),
    stopping: () => stopped !== undefined,
  };

  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    handleRequest(context, req, res).catch((error: unknown) => {
      // A bug in the test server itself: answer 500 with the reason so the failing test shows it.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = `test API server error: ${error instanceof Error ? error.message : String(error)}`;
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(failure(500, 'InternalError', message, {})));
    });
  });
  const sockets = trackSockets(server);
  // A TLS handshake a test client aborts is not a test server failure.
  server.on('tlsClientError', () => undefined);

  const { port } = await listen(server);
  const url = `https://127.0.0.1:${port}`;
  for (const [path, body] of discoveryDocuments(`127.0.0.1:${port}`, served))
    documents.set(path, body);
  documents.set('/version', versionInfo(options.version));
  for (const [path, text] of Object.entries(options.texts ?? {}))
    documents.set(path, new PlainText(text));

  const kubeconfig = (overrides: { readonly token?: string } = {}): string =>
    kubeconfigText(url, tls.caPem, overrides.token ?? token);

  return {
    url,
    caPem: tls.caPem,
    token,
    requests,
    setFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    clearRequests() {
      requests.length = 0;
    },
    setObjects: (objects) => store.replace(objects),
    compact: () => store.compact(),
    kubeconfig,
    async writeKubeconfig(dir, overrides) {
      const file = join(dir, 'kubeconfig');
      await writeFile(file, kubeconfig(overrides), { mode: 0o600 });
      return file;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        // Delayed requests wake up, see that the server is stopping and give up.
        timers.wakeAll();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** Waits for the server to listen on a random loopback port. */
function listen(server: Server): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** The open sockets, so `stop()` can end keep-alive connections a client left open. */
function trackSockets(server: Server): ReadonlySet<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** Timers for `delay` faults that `stop()` can fire early, so a slow request never outlives it. */
class WakeableTimers {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  wakeAll(): void {
    for (const [timer, wake] of this.pending) {
      clearTimeout(timer);
      wake();
    }
    this.pending.clear();
  }
}

/** A kubeconfig for the server: its CA inline and a token user, as one context. */
function kubeconfigText(url: string, caPem: string, token: string): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: TEST_CONTEXT,
        cluster: {
          server: url,
          'certificate-authority-data': Buffer.from(caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: TEST_CONTEXT, user: { token } }],
    contexts: [{ name: TEST_CONTEXT, context: { cluster: TEST_CONTEXT, user: TEST_CONTEXT } }],
    'current-context': TEST_CONTEXT,
    preferences: {},
  };
  // JSON is valid YAML, and every kubeconfig loader reads it.
  return `${JSON.stringify(config, null, 2)}\n`;
}
