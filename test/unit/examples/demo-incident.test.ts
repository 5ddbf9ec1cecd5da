/** The demo's crash-looping shop/orders-db is one incident in the table, markdown and JSON. */
import { join } from 'node:path';
import { runCli } from '../../../lib/cli/main';
import { NOW } from '../../support/evaluate';

const DIR = join(__dirname, '../../../examples/demo-cluster');
/**
 * An hour after the test clock, given as --as-of: every orders-db finding has held for its `for`.
 * (Read alone, the files are evaluated as of their newest timestamp, when the crash loop was 3
 * minutes old and pending.)
 */
const LATER = NOW + 3600_000;

async function check(output: string): Promise<{ stdout: string }> {
  let stdout = '';
  const asOf = new Date(LATER).toISOString();
  const argv = [
    'check',
    '--from-file',
    DIR,
    '--as-of',
    asOf,
    '--cluster',
    'demo-eks',
    '--fail-on',
    'never',
  ];
  await runCli([...argv, '--output', output], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: () => undefined,
    now: () => LATER,
  });
  return { stdout };
}

describe('shop/orders-db in the demo', () => {
  it('keeps three findings in JSON, each with its own fingerprint, sharing one incident', async () => {
    const report = JSON.parse((await check('json')).stdout) as {
      findings: {
        ruleId: string;
        subject: { name: string };
        fingerprint: string;
        incident: string;
      }[];
    };
    const db = report.findings.filter((f) => f.subject.name === 'orders-db');
    expect(db.map((f) => f.ruleId).sort()).toEqual([
      'PodCrashLooping',
      'StatefulSetReplicasMismatch',
      'StatefulSetUpdateNotRolledOut',
    ]);
    expect(new Set(db.map((f) => f.fingerprint)).size).toBe(3);
    expect(new Set(db.map((f) => f.incident)).size).toBe(1);
    // A finding outside a workload incident is its own: incident = fingerprint.
    const kubelet = report.findings.find((f) => f.ruleId === 'KubeletVersionSkew');
    expect(kubelet?.incident).toBe(kubelet?.fingerprint);
  });

  it('shows one entry in the table (the email) and one markdown row', async () => {
    const table = (await check('table')).stdout;
    expect(table.match(/^\[\w+\] \w+ - StatefulSet shop\/orders-db$/gm)).toHaveLength(1);
    expect(table).toMatch(/Also: StatefulSetUpdateNotRolledOut, PodCrashLooping\.\n/);
    const markdown = (await check('markdown')).stdout;
    const rows = markdown.split('\n').filter((l) => l.includes('| StatefulSet shop/orders-db |'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(
      /^\| warning \| \[StatefulSetReplicasMismatch\]\(.*\) \| StatefulSet shop\/orders-db \| .* — also: \[StatefulSetUpdateNotRolledOut\]\(.*\), \[PodCrashLooping\]\(.*\) \|$/,
    );
  });
});
