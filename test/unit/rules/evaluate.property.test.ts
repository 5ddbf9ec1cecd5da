import fc from 'fast-check';
import type { ClusterSnapshot, ControlPlaneComponent } from '../../../lib/rules';
import { DEFAULT_POLICY, evaluate, parseKubeVersion, RULES } from '../../../lib/rules';
import { NOW } from '../../support/evaluate';

const versionish = fc.oneof(
  fc.tuple(fc.nat(40), fc.nat(20)).map(([minor, patch]) => `v1.${minor}.${patch}`),
  fc
    .tuple(fc.nat(40), fc.nat(20))
    .map(([minor, patch]) => `registry.k8s.io/kube-proxy:v1.${minor}.${patch}-eksbuild.1`),
  fc.string({ maxLength: 30 }),
);
const component = fc.constantFrom<ControlPlaneComponent>(
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'cloud-controller-manager',
  'etcd',
);
const partStatus = fc.oneof(
  fc.constant({ state: 'collected' as const }),
  fc.constant({ state: 'missing' as const, reason: 'not in input' }),
  fc.constant({ state: 'notObservable' as const, reason: 'managed' }),
);

const snapshot: fc.Arbitrary<ClusterSnapshot> = fc.record({
  cluster: fc.string({ minLength: 1, maxLength: 20 }),
  collectedAt: fc.constant(new Date(NOW).toISOString()),
  sources: fc.constant([{ source: 'files' as const, status: 'ok' as const }]),
  parts: fc.record({
    apiserver: partStatus,
    controlPlane: partStatus,
    etcd: partStatus,
    nodes: partStatus,
    kubeProxy: partStatus,
    pods: partStatus,
    deployments: partStatus,
    statefulsets: partStatus,
    daemonsets: partStatus,
    replicasets: partStatus,
    sources: partStatus,
  }),
  controlPlane: fc.array(
    fc.record({
      component,
      instance: fc.string({ maxLength: 10 }),
      version: fc.record({ raw: versionish, source: fc.constant('test') }),
    }),
    { maxLength: 6 },
  ),
  nodes: fc.array(
    fc.record({
      name: fc.string({ minLength: 1, maxLength: 10 }),
      kubeletVersion: fc.record({ raw: versionish, source: fc.constant('test') }),
      kubeProxyVersion: fc.option(fc.record({ raw: versionish, source: fc.constant('test') }), {
        nil: undefined,
      }),
      nodeGroup: fc.option(fc.constantFrom('ng-a', 'ng-b'), { nil: undefined }),
    }),
    { maxLength: 12 },
  ),
  workloads: fc.constant([]),
  replicaSets: fc.constant([]),
  pods: fc.constant([]),
  notes: fc.constant([]),
});

describe('evaluate on arbitrary snapshots', () => {
  it('never throws, covers every rule once, and reports every unparseable version (property)', () => {
    fc.assert(
      fc.property(snapshot, (snap) => {
        const result = evaluate(snap, DEFAULT_POLICY, NOW);
        expect(result.coverage.map((c) => c.ruleId)).toEqual(RULES.map((r) => r.id));
        for (const c of result.coverage) {
          if (c.status === 'skipped') expect(c.reason).not.toMatch(/^rule failed/);
        }
        // Every kubelet version the parser refuses must surface as a VersionUnparseable finding.
        const refused = snap.nodes
          .filter((n) => !parseKubeVersion(n.kubeletVersion.raw).ok)
          .map((n) => n.name);
        const reportedOwners = result.findings
          .filter((f) => f.ruleId === 'VersionUnparseable' && f.details['component'] === 'kubelet')
          .flatMap((f) => f.details['owners'] as string[]);
        expect([...reportedOwners].sort()).toEqual([...refused].sort());
        for (const f of result.findings) {
          expect(f.summary.length).toBeGreaterThan(0);
          expect(f.fingerprint).toMatch(/^[0-9a-f]{16}$/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
