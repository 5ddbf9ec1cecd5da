import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterSnapshot, RolloutCondition, Workload } from '../../../lib/rules';
import { DEFAULT_POLICY, evaluate } from '../../../lib/rules';
import { NOW, snapshotOf } from '../../support/evaluate';

const FIXTURES = join(__dirname, '../../fixtures/rules');

/** The fires fixture of a rule, as a snapshot whose workloads carry history for `condition`. */
function withHistory(ruleId: string, condition: RolloutCondition, since: string): ClusterSnapshot {
  const dir = join(FIXTURES, ruleId);
  const file = readdirSync(dir).find((f) => f.startsWith('fires.')) ?? '';
  const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { documents: unknown[] };
  const snap = snapshotOf(fixture.documents);
  return {
    ...snap,
    workloads: snap.workloads.map((w): Workload => ({
      ...w,
      conditionSince: { [condition]: since },
    })),
  };
}

describe('history from the source dates rollout findings', () => {
  it.each([
    ['DeploymentGenerationMismatch', 'generationMismatch'],
    ['StatefulSetGenerationMismatch', 'generationMismatch'],
    ['DaemonSetGenerationMismatch', 'generationMismatch'],
    ['DeploymentRolloutStuck', 'rolloutStuck'],
    ['DeploymentReplicasMismatch', 'replicasMismatch'],
    ['StatefulSetReplicasMismatch', 'replicasMismatch'],
    ['StatefulSetUpdateNotRolledOut', 'updateNotRolledOut'],
    ['DaemonSetRolloutStuck', 'rolloutStuck'],
    ['DaemonSetNotScheduled', 'notScheduled'],
    ['DaemonSetMisScheduled', 'misscheduled'],
  ] as const)('%s takes since from conditionSince.%s', (ruleId, condition) => {
    const since = '2026-11-21T11:48:00Z';
    const findings = evaluate(
      withHistory(ruleId, condition, since),
      DEFAULT_POLICY,
      NOW,
    ).findings.filter((f) => f.ruleId === ruleId);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.since).toBe(since);
  });
});
