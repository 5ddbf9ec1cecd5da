/**
 * KubectlVersionSkew through the CLI: the clientVersion of saved `kubectl version` output, and
 * in a live run the kubectl on PATH (a fake here), with the skip reason when there is none.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cliWith } from '../support/cli';
import { useKubeApiServer } from '../support/kube-api-server';
import { clusterDocuments, versionOutput } from '../support/kube-objects';

interface Report {
  findings: { ruleId: string; severity: string; status: string; summary: string }[];
  coverage: { ruleId: string; status: string; reason?: string }[];
  notes: string[];
}

/** Writes one document to a temp `version.json` and returns its path. */
function versionFile(document: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'skewguard-kubectl-cli-')), 'version.json');
  writeFileSync(file, JSON.stringify(document));
  return file;
}

/** The JSON report of a run; other rules' findings (1.31's support dates) do not set the exit code. */
async function reportOf(run: Promise<{ code: number; stdout: string }>): Promise<Report> {
  const { code, stdout } = await run;
  expect(code).toBe(0);
  return JSON.parse(stdout) as Report;
}

const kubectlOf = (report: Report) => ({
  findings: report.findings.filter((f) => f.ruleId === 'KubectlVersionSkew'),
  coverage: report.coverage.find((c) => c.ruleId === 'KubectlVersionSkew'),
});

describe('check --from-file version.json', () => {
  it('kubectl 1.27 against kube-apiserver 1.31: a KubectlVersionSkew warning naming the fix', async () => {
    const file = versionFile(versionOutput('v1.31.2', { clientVersion: 'v1.27.16' }));
    const { findings } = kubectlOf(
      await reportOf(cli('check', '--from-file', file, '--output', 'json', '--fail-on', 'never')),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        status: 'firing',
        summary:
          'kubectl 1.27 is 4 minors behind kube-apiserver 1.31; the policy allows one. Install kubectl 1.30–1.31.',
      }),
    ]);
  });

  it('kubectl 1.31 against kube-apiserver 1.31: evaluated and quiet', async () => {
    const file = versionFile(versionOutput('v1.31.2', { clientVersion: 'v1.31.4' }));
    const { findings, coverage } = kubectlOf(
      await reportOf(cli('check', '--from-file', file, '--output', 'json', '--fail-on', 'never')),
    );
    expect(findings).toEqual([]);
    expect(coverage).toEqual({ ruleId: 'KubectlVersionSkew', status: 'evaluated' });
  });

  it('YAML version output is read the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skewguard-kubectl-cli-'));
    const file = join(dir, 'version.yaml');
    const v = versionOutput('v1.31.2', { clientVersion: 'v1.33.1' });
    writeFileSync(
      file,
      `clientVersion:\n  gitVersion: ${v.clientVersion['gitVersion'] ?? ''}\nserverVersion:\n  gitVersion: ${v.serverVersion['gitVersion'] ?? ''}\n  major: "1"\n  minor: "31"\n`,
    );
    const { findings } = kubectlOf(
      await reportOf(cli('check', '--from-file', file, '--output', 'json', '--fail-on', 'never')),
    );
    expect(findings.map((f) => f.summary)).toEqual([
      'kubectl 1.33 is 2 minors ahead of kube-apiserver 1.31; the policy allows one. Install kubectl 1.30–1.31.',
    ]);
  });

  it('a bare GET /version answer has no client: skipped, naming how to supply one', async () => {
    const file = versionFile(versionOutput('v1.31.2').serverVersion);
    const { findings, coverage } = kubectlOf(
      await reportOf(cli('check', '--from-file', file, '--output', 'json', '--fail-on', 'never')),
    );
    expect(findings).toEqual([]);
    expect(coverage).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining(
        'save `kubectl version -o json` with the other files',
      ) as unknown,
    });
  });
});

describe('check --kubeconfig (live): the kubectl on PATH', () => {
  // @kubernetes/client-node takes seconds to load on a busy machine; load it before the clock runs.
  beforeAll(async () => {
    await import('../../lib/collect/kubernetes');
  }, 120_000);
  const api = useKubeApiServer(
    clusterDocuments({ serverVersion: 'v1.31.2', kubelets: { a: 'v1.31.2' } }),
  );
  const live = (kubectl: Parameters<typeof cliWith>[0]['kubectl']) =>
    reportOf(
      cliWith(
        { kubectl },
        'check',
        '--kubeconfig',
        api.kubeconfig,
        '--output',
        'json',
        '--fail-on',
        'never',
      ),
    );

  it('checks the version the probe read against the live kube-apiserver', async () => {
    const { findings } = kubectlOf(
      await live(() =>
        Promise.resolve({
          read: {
            state: 'collected',
            version: { raw: 'v1.27.16', source: 'the kubectl on PATH' },
          },
          notes: [],
        }),
      ),
    );
    expect(findings.map((f) => f.summary)).toEqual([
      'kubectl 1.27 is 4 minors behind kube-apiserver 1.31; the policy allows one. Install kubectl 1.30–1.31.',
    ]);
  });

  it('without kubectl on PATH: a note, and the rule skipped with the reason', async () => {
    const reason = 'no kubectl on PATH; install kubectl or add it to PATH to check it';
    const report = await live(() =>
      Promise.resolve({
        read: { state: 'missing', reason },
        notes: [`kubectl not checked: ${reason}`],
      }),
    );
    expect(report.notes).toContain(`kubectl not checked: ${reason}`);
    expect(kubectlOf(report)).toEqual({
      findings: [],
      coverage: expect.objectContaining({
        status: 'skipped',
        reason: `kubectl missing: ${reason}`,
      }) as unknown,
    });
  });
});
