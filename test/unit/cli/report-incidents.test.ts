/** The CLI report shows one entry per workload incident (lib/rules/incident.ts), exact text. */
import type { CheckReport, ReportedFinding } from '../../../lib/cli/report';
import { renderMarkdown } from '../../../lib/cli/report';
import { terminalStyle } from '../../../lib/cli/terminal';
import { renderTerminalReport } from '../../../lib/cli/terminal-report';
import { incidentKey } from '../../../lib/rules';
import type { FindingSpec } from '../notify/build';
import { CLUSTER, finding, RUN_AT } from '../notify/build';

const DB = { kind: 'StatefulSet', namespace: 'shop', name: 'orders-db' };

function pending(spec: FindingSpec): ReportedFinding {
  const f = finding({ subject: DB, ...spec });
  return { ...f, status: 'pending', incident: incidentKey(CLUSTER, f) };
}

const report: CheckReport = {
  cluster: CLUSTER,
  collectedAt: RUN_AT,
  sources: [{ source: 'files', status: 'ok' }],
  findings: [
    pending({
      ruleId: 'PodCrashLooping',
      severity: 'warning',
      summary: 'StatefulSet shop/orders-db: 1 pod crash-loops.',
    }),
    pending({
      ruleId: 'StatefulSetReplicasMismatch',
      severity: 'critical',
      summary: 'StatefulSet shop/orders-db has 0 of 1 replicas ready.',
    }),
  ],
  coverage: [],
  notes: [],
};

describe('incidents in the CLI report', () => {
  it('lists a pending incident once in the terminal report, headline first, the rest as Also', () => {
    const text = renderTerminalReport(report, terminalStyle());
    expect(text).toContain('PENDING (2 findings in 1 incident)');
    expect(text).toContain(`[CRITICAL] StatefulSetReplicasMismatch - StatefulSet shop/orders-db
  StatefulSet shop/orders-db has 0 of 1 replicas ready. Also: PodCrashLooping.
`);
    expect(text.match(/PodCrashLooping/g)).toHaveLength(1);
  });

  it('gives a pending incident one markdown row with the other rules linked as also', () => {
    const rows = renderMarkdown(report)
      .split('\n')
      .filter((l) => l.startsWith('| critical'));
    expect(rows).toEqual([
      '| critical | [StatefulSetReplicasMismatch](https://runbooks.example.com/StatefulSetReplicasMismatch.md) | StatefulSet shop/orders-db | StatefulSet shop/orders-db has 0 of 1 replicas ready. — also: [PodCrashLooping](https://runbooks.example.com/PodCrashLooping.md) | 10m |',
    ]);
  });
});
