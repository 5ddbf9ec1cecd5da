import type { CheckReport, ReportedFinding } from '../../../lib/cli/report';
import { renderMarkdown } from '../../../lib/cli/report';
import { renderTerminalReport } from '../../../lib/cli/terminal-report';
import { wrap } from '../../../lib/notify/text';
import type { FindingSpec } from '../notify/build';
import { CLUSTER, finding, RUN_AT } from '../notify/build';

function reported(status: ReportedFinding['status'], spec: FindingSpec): ReportedFinding {
  const f = finding(spec);
  return { ...f, status, incident: f.fingerprint };
}

/** One firing finding, two pending, a skipped rule, a failed source and an input note. */
function report(overrides: Partial<CheckReport> = {}): CheckReport {
  return {
    cluster: CLUSTER,
    collectedAt: RUN_AT,
    sources: [
      { source: 'files', status: 'ok' },
      { source: 'prometheus', status: 'failed', kind: 'timeout', reason: 'no answer in 10s' },
    ],
    findings: [
      reported('firing', {
        ruleId: 'DeploymentRolloutStuck',
        subject: { kind: 'Deployment', namespace: 'app', name: 'stuck' },
        summary: 'Rollout of app/stuck is stuck | pipes escaped.',
      }),
      reported('pending', {
        ruleId: 'DeploymentGenerationMismatch',
        subject: { kind: 'Deployment', namespace: 'app', name: 'gen' },
        since: '2024-05-01T11:55:00.000Z',
      }),
      reported('pending', {
        ruleId: 'DeploymentReplicasMismatch',
        severity: 'warning',
        subject: { kind: 'Deployment', namespace: 'app', name: 'fewer' },
      }),
    ],
    coverage: [
      { ruleId: 'DeploymentRolloutStuck', status: 'evaluated' },
      {
        ruleId: 'PodCrashLooping',
        status: 'skipped',
        reason: 'pods missing: no pods in the input',
      },
    ],
    notes: ['node status.nodeInfo.kubeProxyVersion is ignored: it is deprecated.'],
    ...overrides,
  };
}

/** The markdown table rows (lines starting with `| ` that are not the header). */
function rows(section: string): string[] {
  return section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Severity'));
}

describe('renderMarkdown', () => {
  it('counts firing findings in the headline and shows pending ones apart, with their for', () => {
    const md = renderMarkdown(report());
    expect(md).toMatch(
      /^Firing: \*\*1\*\* critical · \*\*0\*\* warning · \*\*0\*\* info; pending: \*\*2\*\* — /m,
    );
    const [, firing = '', pending = ''] = md.split(/^#### /m);
    expect(firing).toMatch(/^Firing \(1\)/);
    expect(rows(firing)).toHaveLength(1);
    expect(rows(firing)[0]).toContain('| critical | [DeploymentRolloutStuck](');
    expect(rows(firing)[0]).toContain('is stuck \\| pipes escaped.');
    expect(pending).toMatch(/^Pending \(2\)/);
    expect(pending).toContain('| Severity | Rule | Subject | Summary | Fires once held for |');
    expect(rows(pending).map((r) => r.split(' | ')[2])).toEqual([
      'Deployment app/gen',
      'Deployment app/fewer',
    ]);
    expect(rows(pending)[0]).toMatch(/\| 10m \(holding since 2024-05-01T11:55:00.000Z\) \|$/);
  });

  it('prints the notes and failed sources the table prints', () => {
    const r = report();
    const md = renderMarkdown(r);
    const table = renderTerminalReport(r);
    expect(md).toContain('**Notes**');
    for (const remark of [
      'Source prometheus failed (timeout): no answer in 10s',
      'node status.nodeInfo.kubeProxyVersion is ignored: it is deprecated.',
    ]) {
      expect(md).toContain(`- ${remark}`);
      expect(table.replace(/\n/g, ' ')).toContain(remark);
    }
    expect(md).toContain('- pods missing: no pods in the input: PodCrashLooping');
  });

  it.each([
    ['nothing found', [], 'No findings.', []],
    ['only pending', [reported('pending', {})], '#### Pending (1)', ['#### Firing']],
    ['only firing', [reported('firing', {})], '#### Firing (1)', ['#### Pending', 'No findings']],
  ] as const)('%s', (_case, findings, shown, absent) => {
    const md = renderMarkdown(report({ findings, notes: [] }));
    expect(md).toContain(shown);
    for (const text of absent) expect(md).not.toContain(text);
    expect(md).not.toContain('**Notes**\n\n- node');
  });
});

describe('renderTerminalReport', () => {
  it('wraps at 80 columns except unbreakable words (URLs, image references)', () => {
    const r = report({
      cluster: 'prod-eu-west-1-platform-cluster-with-a-long-name',
      findings: [
        reported('pending', {
          subject: {
            kind: 'Deployment',
            namespace: 'team-payments-europe',
            name: 'checkout-api-gateway-service',
          },
          summary: `The image registry.example.com/${'x'.repeat(90)}:1.0 cannot be pulled.`,
        }),
      ],
      coverage: [
        {
          ruleId: 'KubeletVersionSkew',
          status: 'skipped',
          reason: `apiserver missing: ${'no `kubectl version -o json` output and no pods; '.repeat(4)}`,
        },
      ],
    });
    const lines = renderTerminalReport(r).split('\n');
    const unbreakable = lines.filter((l) => /\S{60,}/.test(l));
    expect(unbreakable).toHaveLength(1);
    for (const line of lines.filter((l) => !unbreakable.includes(l)))
      expect(line.length).toBeLessThanOrEqual(80);
    const heading = lines.indexOf('[CRITICAL] DeploymentRolloutStuck - Deployment');
    expect(lines[heading + 1]).toBe('    team-payments-europe/checkout-api-gateway-service');
  });
});

describe('wrap', () => {
  it.each([
    ['one two three four', 9, '  ', '', ['one two', '  three', '  four']],
    ['one two three', 9, '  ', '> ', ['> one two', '  three']],
    [`short ${'x'.repeat(12)} end`, 9, ' ', '', ['short', ` ${'x'.repeat(12)}`, ' end']],
  ] as const)('%j at %i', (text, width, indent, first, lines) => {
    expect(wrap(text, width, indent, first)).toEqual(lines);
  });
});
