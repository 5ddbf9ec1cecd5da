/** The CI gate that counts what was not checked: --fail-on-skipped, --fail-on-pending and the grouped coverage. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionablySkipped, notCheckedGroups } from '../../../lib/cli/not-checked';
import type { CoverageEntry } from '../../../lib/rules';
import { cli } from '../../support/cli';
import { clusterDocuments } from '../../support/kube-objects';

/** A file of nodes only: no version, no workloads, no pods. */
function nodesOnly(): string {
  const dir = mkdtempSync(join(tmpdir(), 'skewguard-nodes-'));
  const file = join(dir, 'nodes.json');
  const docs = clusterDocuments({
    serverVersion: 'v1.30.4',
    kubelets: { a: 'v1.30.4' },
    nodeGroups: { a: 'ng-1' },
  }) as { kind?: string; items?: { kind?: string }[] }[];
  const nodes = docs
    .flatMap((d) => (d.kind === 'List' ? (d.items ?? []) : [d]))
    .filter((o) => o.kind === 'Node');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: nodes }));
  return file;
}

describe('--fail-on-skipped', () => {
  it('exits 3 for a nodes-only file, naming each missing input once', async () => {
    const run = await cli('check', '--from-file', nodesOnly(), '--fail-on-skipped');
    expect(run.code).toBe(3);
    const line = run.stderr.split('\n').find((l) => l.includes('--fail-on-skipped')) ?? '';
    expect(line).toMatch(
      /^skewguard: \d+ rules not checked \(--fail-on-skipped exits 3\); supply: /,
    );
    expect(line).toContain('apiserver missing');
    expect(line).toContain('pods missing');
    // Each cause once, however many rules it kept from being checked.
    expect(line.split('pods missing').length).toBe(2);
  });

  it('without the flag exits 0 and the headline says how many rules were not checked', async () => {
    const run = await cli('check', '--from-file', nodesOnly());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /No findings\. \d+ of \d+ rules were not checked, so this is not an all-clear/,
    );
    expect(run.stdout).toMatch(
      /Coverage: \d+ of \d+ rules checked; \d+ not checked \(not passed\):/,
    );
  });
});

describe('notCheckedGroups', () => {
  const coverage: CoverageEntry[] = [
    { ruleId: 'A', status: 'evaluated' },
    {
      ruleId: 'B',
      status: 'skipped',
      reason: 'nodes missing: not in the input',
      unmet: [{ part: 'nodes', state: 'missing', reason: 'not in the input' }],
    },
    {
      ruleId: 'C',
      status: 'skipped',
      reason: 'nodes missing: not in the input; etcd not observable: EKS manages etcd',
      unmet: [
        { part: 'nodes', state: 'missing', reason: 'not in the input' },
        { part: 'etcd', state: 'notObservable', reason: 'EKS manages etcd' },
      ],
    },
    { ruleId: 'D', status: 'skipped', reason: 'no kube-apiserver version to compare with' },
  ];

  it('lists each cause once with its rules; what a managed platform hides is not actionable', () => {
    expect(notCheckedGroups(coverage)).toEqual([
      { cause: 'nodes missing: not in the input', ruleIds: ['B', 'C'], actionable: true },
      { cause: 'etcd not observable: EKS manages etcd', ruleIds: ['C'], actionable: false },
      { cause: 'no kube-apiserver version to compare with', ruleIds: ['D'], actionable: true },
    ]);
  });
});

describe('opt-in inputs', () => {
  it('a rule skipped only for manifests nobody gave is not requested, and not counted by --fail-on-skipped', () => {
    const coverage: CoverageEntry[] = [
      {
        ruleId: 'ConfigDrift',
        status: 'skipped',
        reason: 'manifests not requested: supply rendered manifests',
        unmet: [{ part: 'manifests', state: 'notRequested', reason: 'supply rendered manifests' }],
      },
    ];
    expect(actionablySkipped(coverage)).toEqual([]);
    expect(notCheckedGroups(coverage)).toEqual([
      {
        cause: 'manifests not requested: supply rendered manifests',
        ruleIds: ['ConfigDrift'],
        actionable: false,
      },
    ]);
  });
});
