/**
 * One test API server per Jest suite, reset before each test: the usual way a suite uses it.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeApiServer } from './server';
import type { KubeApiServer } from './types';

/** The suite's test API server and a kubeconfig for it, as `useKubeApiServer` keeps them. */
export interface SuiteApiServer {
  readonly server: KubeApiServer;
  readonly kubeconfig: string;
}

/**
 * One test API server for a Jest suite, serving `documents` (`kubectl version -o json` output
 * first, then the object lists), reset to them with no faults or recorded requests before each
 * test. Read `server` and `kubeconfig` inside tests, once `beforeAll` has run.
 */
export function useKubeApiServer(documents: readonly unknown[]): SuiteApiServer {
  const [versionDoc, ...objects] = documents as [Record<string, unknown>, ...unknown[]];
  let started: { server: KubeApiServer; kubeconfig: string } | undefined;
  const current = (): { server: KubeApiServer; kubeconfig: string } => {
    if (!started) throw new Error('the test API server is not started: use it inside tests');
    return started;
  };
  beforeAll(async () => {
    const server = await startKubeApiServer({
      objects,
      version: versionDoc['serverVersion'] as Record<string, unknown>,
    });
    const dir = await mkdtemp(join(tmpdir(), 'skewguard-kc-'));
    started = { server, kubeconfig: await server.writeKubeconfig(dir) };
  });
  afterAll(async () => {
    await started?.server.stop();
  });
  beforeEach(() => {
    const { server } = current();
    server.clearFaults();
    server.clearRequests();
    server.setObjects(objects);
  });
  return {
    get server() {
      return current().server;
    },
    get kubeconfig() {
      return current().kubeconfig;
    },
  };
}
