/**
 * The one factory of kubectl-shaped objects (as `kubectl get -o json` prints them, or as the API
 * server sends them), shared by the tests and the demo generator
 * (examples/demo-cluster/generate.ts). Deterministic: every id, name and time derives from the
 * arguments.
 *
 * It lives in test/support because the tests are most of its users; the demo generator is a fixture generator like the ones under
 * test/fixtures, and its output is checked by a test. Nothing it holds describes a particular
 * cluster: the demo's plans stay in the generator.
 *
 * - documents.ts: JSON types, cluster facts, List, `kubectl version -o json`, kubectl's key order
 * - ids.ts: uids, generated names, hashes, resourceVersions, times
 * - containers.ts, pods.ts: containers with API defaults, pods with admission and kubelet status
 * - owners.ts, workloads.ts: Deployments + ReplicaSets, StatefulSets, DaemonSets and their pods
 * - nodes.ts: EKS managed-node-group nodes
 * - compact.ts: small nodes and kube-system pods, and whole clusters, for table tests
 */
export * from './compact';
export * from './containers';
export * from './documents';
export * from './ids';
export * from './nodes';
export * from './owners';
export * from './pods';
export * from './workloads';
