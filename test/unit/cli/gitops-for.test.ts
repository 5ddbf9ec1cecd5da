/**
 * A one-shot `skewguard check` on an OutOfSync Argo CD Application: dated from its failed sync,
 * 30 minutes is pending (the 2h for has not passed) and 3 hours fires at once.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../lib/cli/main';

const FIXTURES = join(__dirname, '../../fixtures/rules/GitOpsOutOfSync');

/** The status and since of GitOpsOutOfSync findings when the fixture's documents are checked. */
async function statusOf(fixture: string): Promise<{ status: string; since?: string }[]> {
  const { documents, now } = JSON.parse(readFileSync(join(FIXTURES, fixture), 'utf8')) as {
    documents: unknown[];
    now?: string;
  };
  const dir = mkdtempSync(join(tmpdir(), 'skewguard-gitops-'));
  const file = join(dir, 'cluster.json');
  writeFileSync(file, JSON.stringify(documents));
  let stdout = '';
  await runCli(['check', '--from-file', file, '--output', 'json'], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: () => undefined,
    now: () => Date.parse(now ?? '2026-11-21T12:00:00Z'),
  });
  const report = JSON.parse(stdout) as {
    findings: { ruleId: string; status: string; since?: string }[];
  };
  return report.findings
    .filter((f) => f.ruleId === 'GitOpsOutOfSync')
    .map((f) => ({ status: f.status, ...(f.since ? { since: f.since } : {}) }));
}

describe('GitOpsOutOfSync in a one-shot check', () => {
  it('is pending when the app has been OutOfSync for 30 minutes', async () => {
    expect(await statusOf('fires.argocd-failed-sync-30m.json')).toEqual([
      { status: 'pending', since: '2026-11-21T11:30:00Z' },
    ]);
  });

  it("fires when the app's own timestamps show 3 hours", async () => {
    expect(await statusOf('fires.argocd-failed-sync-3h.json')).toEqual([
      { status: 'firing', since: '2026-11-21T09:00:00Z' },
    ]);
  });

  it('is pending when nothing in the object dates it, however long it may have held', async () => {
    expect(await statusOf('fires.argocd-manual-undated.json')).toEqual([{ status: 'pending' }]);
  });
});
