/**
 * The one factory of kubectl-shaped objects (as `kubectl get -o json` prints them, or as the API
 * server sends them), shared by the tests, the benchmarks (bench/synthetic-objects.ts) and the
 * demo generator (examples/demo-cluster/generate.ts). Deterministic: every id, name and time
 * derives from the arguments.
 *
 * It lives in test/support because the tests are most of its users (a dozen suites and the
 * fixture generators) and the bench already runs the test API server from here; under examples/
 * or bench/, every test would import from a demo or a benchmark instead. The demo generator is a
 * fixture generator like the ones under test/fixtures, and a test checks its output. Nothing
 * here describes a particular cluster: the bench's model and the demo's plans stay with them.
 *
 * - documents.ts: JSON types, cluster facts, List, `kubectl version -o json`, kubectl's key order
 * - ids.ts: uids, generated names, hashes, resourceVersions, times
 * - containers.ts, pods.ts: containers with API defaults, pods with admission and kubelet status
 * - owners.ts, workloads.ts: Deployments + ReplicaSets, StatefulSets, DaemonSets and their pods
 * - nodes.ts: EKS managed-node-group nodes
 * - managed-fields.ts: the managedFields the API server adds (kubectl hides them)
 * - compact.ts: small nodes and kube-system pods, and whole clusters, for table tests
 * - rollout.ts: the rollout fixtures' workloads and pods with their status given outright; not
 *   exported here (its `uid`, `running` and `pod` would clash), import it by path
 */
export * from './compact';
export * from './containers';
export * from './documents';
export * from './ids';
export * from './managed-fields';
export * from './nodes';
export * from './owners';
export * from './pods';
export * from './workloads';
