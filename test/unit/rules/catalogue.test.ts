/** Pins the rule catalogue and checks each rule has its metadata, runbook, fixtures and README row. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../../lib/rules';

/** The catalogue of the README's rule table, pinned: adding, renaming or dropping a rule must change this list. */
const CATALOGUE = [
  'ApiServerVersionSkew',
  'KubeletVersionSkew',
  'KubeProxyVersionSkew',
  'ControlPlaneVersionSkew',
  'KubectlVersionSkew',
  'NextUpgradeBlocked',
  'ComponentVersionMismatch',
  'EtcdVersionMismatch',
  'VersionUnparseable',
  'DeploymentGenerationMismatch',
  'StatefulSetGenerationMismatch',
  'DaemonSetGenerationMismatch',
  'DeploymentRolloutStuck',
  'DeploymentReplicasMismatch',
  'StatefulSetReplicasMismatch',
  'StatefulSetUpdateNotRolledOut',
  'DaemonSetRolloutStuck',
  'DaemonSetNotScheduled',
  'DaemonSetMisScheduled',
  'PodCrashLooping',
  'VersionEndOfSupport',
  'DeprecatedApiInUse',
  'AddonIncompatible',
  'NodeOsEndOfLife',
  'GitOpsDegraded',
  'GitOpsSyncFailed',
  'GitOpsOutOfSync',
  'GitOpsSuspended',
  'ConfigDrift',
  'SourceUnavailable',
  'MetricsMissing',
];

const REPO = join(__dirname, '../../..');

describe('rule catalogue', () => {
  it('registers exactly the pinned rule ids, each once', () => {
    const ids = RULES.map((r) => r.id);
    expect(ids).toEqual(CATALOGUE);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(RULES.map((r) => [r.id, r] as const))(
    '%s is complete: metadata, runbook page, fires and quiet fixtures',
    (id, rule) => {
      expect(id).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(rule.title.length).toBeGreaterThan(0);
      expect(rule.description.length).toBeGreaterThan(0);
      expect(rule.forSeconds).toBeGreaterThanOrEqual(0);
      // Other severities are cases that differ from the default, each described.
      for (const form of rule.otherSeverities ?? []) {
        expect(form.severity).not.toBe(rule.severity);
        expect(form.when.length).toBeGreaterThan(0);
      }
      const runbook = join(REPO, 'docs', 'runbooks', rule.runbook);
      expect(existsSync(runbook)).toBe(true);
      expect(readFileSync(runbook, 'utf8')).toMatch(new RegExp(`^# ${id}\\b`));
      const dir = join(REPO, 'test', 'fixtures', 'rules', id);
      const files = existsSync(dir) ? readdirSync(dir) : [];
      expect(files.some((f) => f.startsWith('fires.'))).toBe(true);
      expect(files.some((f) => f.startsWith('quiet.'))).toBe(true);
    },
  );

  it('lists every rule in the README rule table', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const table = readme.slice(
      readme.indexOf('<!-- rules:start -->'),
      readme.indexOf('<!-- rules:end -->'),
    );
    const listed = [...table.matchAll(/^\| \[?`?([A-Za-z]+)`?/gm)]
      .map((m) => m[1])
      .filter((id) => id !== 'Rule');
    expect(listed).toEqual(RULES.map((r) => r.id));
  });
});
