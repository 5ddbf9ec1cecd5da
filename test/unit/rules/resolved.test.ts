/** Pins every rule's resolved wording (exact text) on one of its firing fixtures, and that every rule has one. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ledgerDetails } from '../../../lib/ledger/reconcile';
import type { Finding } from '../../../lib/rules';
import {
  DEFAULT_POLICY,
  evaluate,
  materialState,
  resolvedSummary,
  RULES,
} from '../../../lib/rules';
import { snapshotOf } from '../../support/evaluate';

const ROOT = join(__dirname, '../../fixtures/rules');

/** Rule → [fires fixture, the resolved notice of its first finding]. */
const RESOLVED: Record<string, readonly [string, string]> = {
  GitOpsOutOfSync: [
    'fires.flux-kustomization-unapplied-3h.json',
    'Flux Kustomization flux-system/apps runs what Git says again (was: OutOfSync, Git at main@9e8d7c6, cluster at main@4b1d2c3)',
  ],
  GitOpsSyncFailed: [
    'fires.argocd-sync-failed.json',
    'The last sync of Argo CD Application argocd/shop no longer fails (was: operation Failed)',
  ],
  GitOpsDegraded: [
    'fires.argocd-degraded.json',
    'Argo CD Application argocd/shop is no longer degraded (was: Degraded)',
  ],
  GitOpsSuspended: [
    'fires.flux-suspended-10d.json',
    'Flux Kustomization flux-system/legacy is reconciled again (was: suspended at main@4b1d2c3)',
  ],
  ApiServerVersionSkew: [
    'fires.rolling-upgrade.json',
    'All kube-apiserver instances run one minor again (was: 1.29 to 1.30)',
  ],
  KubeletVersionSkew: [
    'fires.four-minors-behind.json',
    'No kubelet on 1.26 is out of policy any more (was: 2 nodes on 1.26)',
  ],
  KubeProxyVersionSkew: [
    'fires.four-minors-behind.json',
    'No kube-proxy on 1.26 is out of policy any more (was: 2 nodes on 1.26)',
  ],
  ControlPlaneVersionSkew: [
    'fires.scheduler-two-behind.json',
    'No kube-scheduler on 1.28 is out of policy any more (was: 1 instance on 1.28)',
  ],
  KubectlVersionSkew: [
    'fires.three-minors-behind.json',
    'kubectl 1.27 is no longer out of policy (was: 3 minors behind kube-apiserver 1.30)',
  ],
  NextUpgradeBlocked: [
    'fires.every-blocker.json',
    'Nothing blocks the control-plane upgrade to 1.33 any more (was: 4 blockers)',
  ],
  ComponentVersionMismatch: [
    'fires.stalled-upgrade.json',
    'All components run the same version again (was: 1.29 and 1.30)',
  ],
  EtcdVersionMismatch: [
    'fires.two-versions.json',
    'All etcd members run the same version again (was: 3.5.12 and 3.5.15)',
  ],
  VersionUnparseable: [
    'fires.latest-tag.json',
    'No kube-proxy reports the unreadable version "registry.k8s.io/kube-proxy:latest" any more (was: 1 instance)',
  ],
  DeploymentGenerationMismatch: [
    'fires.controller-behind.json',
    'The deployment controller observed the latest spec of Deployment shop/web (was: generation 12, last observed 11)',
  ],
  StatefulSetGenerationMismatch: [
    'fires.never-observed.json',
    'The statefulset controller observed the latest spec of StatefulSet db/postgres (was: generation 1, never observed)',
  ],
  DaemonSetGenerationMismatch: [
    'fires.controller-behind.json',
    'The daemonset controller observed the latest spec of DaemonSet kube-system/fluent-bit (was: generation 5, last observed 4)',
  ],
  DeploymentRolloutStuck: [
    'fires.image-pull.json',
    'Rollout of shop/web is no longer stuck (was: revision 7, 5/5 available)',
  ],
  DeploymentReplicasMismatch: [
    'fires.zero-available-critical.json',
    'Deployment shop/checkout is no longer short of available replicas (was: 0/3 available)',
  ],
  StatefulSetReplicasMismatch: [
    'fires.one-crash-looping.json',
    'StatefulSet cache/redis is no longer short of ready replicas (was: 2/3 ready)',
  ],
  StatefulSetUpdateNotRolledOut: [
    'fires.rolling-update-crash.json',
    'Update of StatefulSet db/postgres is no longer pending (was: 1 of 3 pods updated)',
  ],
  DaemonSetRolloutStuck: [
    'fires.image-pull.json',
    'Rollout of DaemonSet kube-system/fluent-bit is no longer stuck (was: 1 of 6 pods updated, 5 available)',
  ],
  DaemonSetNotScheduled: [
    'fires.two-nodes-without-pod.json',
    'DaemonSet kube-system/fluent-bit no longer misses pods on nodes (was: on 4 of 6 nodes, 2 missing)',
  ],
  DaemonSetMisScheduled: [
    'fires.tainted-node.json',
    'DaemonSet kube-system/fluent-bit no longer runs on nodes it should not (was: 1 node)',
  ],
  PodCrashLooping: [
    'fires.init-container.json',
    'Pods of Deployment shop/orders no longer crash-loop (was: 2 pods, 14 restarts)',
  ],
  VersionEndOfSupport: [
    'fires.eks-1.32-extended-cost.json',
    'Kubernetes 1.32 support no longer needs attention (was: in extended support)',
  ],
  DeprecatedApiInUse: [
    'fires.removed-next-minor-with-traffic.json',
    'Nothing requests flowcontrol.apiserver.k8s.io/v1beta3/flowschemas any more (was: removed in 1.32)',
  ],
  AddonIncompatible: [
    'fires.blocked.json',
    'EKS add-on aws-ebs-csi-driver is no longer incompatible (was: v1.38.1-eksbuild.1, no build for 1.33)',
  ],
  NodeOsEndOfLife: [
    'fires.al2-node-group-on-1.32.json',
    'Node group ng-al2 no longer has an OS support problem with Amazon Linux 2 (was: 2 nodes, out of support)',
  ],
  ConfigDrift: [
    'fires.image-changed-live.json',
    'Deployment shop/web matches its manifests again (was: 2 fields differed)',
  ],
  SourceUnavailable: [
    'fires.three-failed-runs.json',
    'Prometheus answers again (was: failed 3 runs in a row, forbidden)',
  ],
  MetricsMissing: [
    'fires.kube-state-metrics-absent.json',
    'etcd_server_version updates in Prometheus again (was: stale)',
  ],
};

/** The findings of `ruleId` on one of its fixtures, as the fixture test evaluates them. */
function fixtureFindings(ruleId: string, file: string): Finding[] {
  const fixture = JSON.parse(readFileSync(join(ROOT, ruleId, file), 'utf8')) as {
    now?: string;
    policy?: object;
    documents: unknown[];
    snapshot?: { parts?: object };
  };
  const base = snapshotOf(fixture.documents, 'fixture');
  const snapshot = {
    ...base,
    ...fixture.snapshot,
    parts: { ...base.parts, ...fixture.snapshot?.parts },
  };
  const now = Date.parse(fixture.now ?? '2026-11-21T12:00:00Z');
  return evaluate(snapshot, { ...DEFAULT_POLICY, ...fixture.policy }, now).findings.filter(
    (f) => f.ruleId === ruleId,
  );
}

describe('resolved wording', () => {
  it('is declared by every rule and pinned here', () => {
    expect(RULES.filter((r) => r.resolved === undefined).map((r) => r.id)).toEqual([]);
    expect(Object.keys(RESOLVED).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it.each(Object.entries(RESOLVED))('%s', (ruleId, [file, text]) => {
    const [first] = fixtureFindings(ruleId, file);
    expect(first).toBeDefined();
    expect(resolvedSummary(ruleId, first!)).toBe(text);
    // What the ledger stores (big lists cut) words the same notice, with no instruction in it.
    expect(resolvedSummary(ruleId, { ...first!, details: ledgerDetails(first!.details) })).toBe(
      text,
    );
  });

  it('counts a list the ledger cut to {truncated, count, first}', () => {
    const last = {
      subject: { kind: 'KubeScheduler', name: 'v1.28' },
      summary: '',
      details: {
        component: 'kube-scheduler',
        minor: '1.28',
        instances: { truncated: true, count: 9000, first: ['a'] },
      },
    };
    expect(resolvedSummary('ControlPlaneVersionSkew', last)).toBe(
      'No kube-scheduler on 1.28 is out of policy any more (was: 9000 instances on 1.28)',
    );
  });

  it('names rule and subject for a rule id the catalogue does not know', () => {
    const last = {
      subject: { kind: 'Thing', namespace: 'a', name: 'b' },
      summary: '',
      details: {},
    };
    expect(resolvedSummary('RetiredRule', last)).toBe('RetiredRule no longer holds for Thing a/b.');
  });
});

describe('materialState', () => {
  it('follows the summary for a rule without materialKeys', () => {
    const base = { ruleId: 'DaemonSetMisScheduled', details: {} };
    expect(materialState({ ...base, summary: 'blocked by 2 things' })).not.toBe(
      materialState({ ...base, summary: 'blocked by 3 things' }),
    );
  });

  it('reads list entries with *: a new blocker is a change, a node count moving is not', () => {
    const blocked = (...blockers: [string, number][]): Parameters<typeof materialState>[0] => ({
      ruleId: 'NextUpgradeBlocked',
      summary: blockers.map(([c, n]) => `${c} (${n} nodes)`).join('; '),
      details: {
        targetMinor: '1.31',
        blockers: blockers.map(([component, count]) => ({ kind: 'skew', component, count })),
      },
    });
    const now = materialState(blocked(['kubelet', 4]));
    expect(materialState(blocked(['kubelet', 3]))).toBe(now);
    expect(materialState(blocked(['kubelet', 3], ['kube-proxy', 7]))).not.toBe(now);
  });

  it('ignores counts outside the declared keys (restarts) and sees a new cause', () => {
    const crash = (restarts: number, kind: string): Parameters<typeof materialState>[0] => ({
      ruleId: 'DeploymentRolloutStuck',
      summary: `Rollout of shop/web is stuck: ${restarts} restarts.`,
      details: { revision: 7, cause: { kind, restarts } },
    });
    expect(materialState(crash(3, 'CrashLoop'))).toBe(materialState(crash(9, 'CrashLoop')));
    expect(materialState(crash(3, 'CrashLoop'))).not.toBe(materialState(crash(3, 'ImagePull')));
  });
});
