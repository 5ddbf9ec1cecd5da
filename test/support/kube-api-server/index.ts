/**
 * A small, faithful HTTPS test double of the Kubernetes API server for the live collector's
 * tests: discovery, /version, get and list of Node, Namespace, Pod, Deployment, StatefulSet,
 * DaemonSet and ReplicaSet with label/field selectors and real `limit`/`continue` pagination,
 * bearer-token auth, RBAC denials and injectable faults. Binds 127.0.0.1 only. Read-only: any
 * method but GET is 405, and watches are refused.
 *
 * The parts, in the order a request meets them: server.ts (TLS, listener, lifecycle),
 * requests.ts (the pipeline), faults.ts, auth.ts, routes.ts, handlers.ts (get, list and paging)
 * over store.ts (snapshots per resourceVersion) with selectors.ts and continue-tokens.ts, and
 * replies.ts and status.ts for what goes back. Tests import only this file.
 */
export { startKubeApiServer } from './server';
export { useKubeApiServer } from './suite';
export type { SuiteApiServer } from './suite';
export { DEFAULT_TEST_USER, TEST_CONTEXT } from './types';
export type {
  Denial,
  Fault,
  FaultRule,
  FaultStatusCode,
  KubeApiServer,
  KubeApiServerOptions,
  RecordedRequest,
} from './types';
