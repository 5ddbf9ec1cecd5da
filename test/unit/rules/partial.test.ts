/**
 * Rules on incomplete input are `partial`: their findings stand, the reason is named, and their
 * silence is never an all-clear (the ledger test checks it resolves nothing).
 */
import { partialFailureWarnings } from '../../../lib/cli/warnings';
import type { ClusterSnapshot } from '../../../lib/rules';
import { DEFAULT_POLICY, evaluate } from '../../../lib/rules';
import { NOW, snapshotOf } from '../../support/evaluate';
import { clusterDocuments } from '../../support/kube-objects';

const coverageOf = (snapshot: ClusterSnapshot, ruleId: string) =>
  evaluate(snapshot, DEFAULT_POLICY, NOW).coverage.find((c) => c.ruleId === ruleId);

describe('partial coverage', () => {
  it('a rule reading a part answered in part is partial, and keeps its findings', () => {
    const base = snapshotOf(
      clusterDocuments({ serverVersion: 'v1.30.2', kubelets: { old: 'v1.26.3' } }),
    );
    const why = 'Prometheus answered the versions query in part (store eu-1 is down)';
    const snapshot: ClusterSnapshot = {
      ...base,
      parts: { ...base.parts, nodes: { state: 'collected', partial: [why] } },
    };
    const evaluation = evaluate(snapshot, DEFAULT_POLICY, NOW);
    expect(evaluation.coverage.find((c) => c.ruleId === 'KubeletVersionSkew')).toEqual({
      ruleId: 'KubeletVersionSkew',
      status: 'partial',
      reason: `nodes partial: ${why}`,
    });
    expect(evaluation.findings.map((f) => f.ruleId)).toContain('KubeletVersionSkew');
    // Rules that do not read nodes are whole.
    expect(evaluation.coverage.find((c) => c.ruleId === 'DeploymentRolloutStuck')?.status).not.toBe(
      'partial',
    );
    expect(partialFailureWarnings(snapshot, evaluation)).toEqual([
      expect.stringMatching(
        /^skewguard: warning: Prometheus answered the versions query in part \(store eu-1 is down\); checked in part, so their silence proves nothing: .*KubeletVersionSkew.*; rerun when every store answers\n$/,
      ),
    ]);
  });

  it('a kubelet version that cannot be parsed leaves KubeletVersionSkew partial, naming the node', () => {
    const snapshot = snapshotOf(
      clusterDocuments({
        serverVersion: 'v1.30.2',
        kubelets: { good: 'v1.30.1', odd: 'banana' },
      }),
    );
    expect(coverageOf(snapshot, 'KubeletVersionSkew')).toEqual({
      ruleId: 'KubeletVersionSkew',
      status: 'partial',
      reason:
        '1 node (odd) reports a kubelet version that cannot be parsed, so it was not judged (see VersionUnparseable)',
    });
  });

  it('every kubelet judged: evaluated, not partial', () => {
    const snapshot = snapshotOf(
      clusterDocuments({ serverVersion: 'v1.30.2', kubelets: { good: 'v1.30.1' } }),
    );
    expect(coverageOf(snapshot, 'KubeletVersionSkew')?.status).toBe('evaluated');
  });
});
