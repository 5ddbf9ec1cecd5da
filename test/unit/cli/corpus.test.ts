/** Every document of the kubectl-output corpus (test/fixtures/corpus) checks cleanly, with the findings it models. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../support/cli';

const CORPUS = join(__dirname, '../../fixtures/corpus');

/**
 * Rule id and status of each finding per document, evaluated as of the document's own newest
 * timestamp. NodeOsEndOfLife (info) marks an OS the shipped table does not know.
 */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  // Nodes only, no version output: skew cannot be measured, so nothing fires or passes.
  'cluster-info-dump-nodes.json': [],
  'crlf-pods.yaml': ['PodCrashLooping firing'],
  'eks-nodes.json': ['NodeOsEndOfLife firing'],
  'extensions-v1beta1-deployment.yaml': ['DeploymentReplicasMismatch firing'],
  // ComponentVersionMismatch waits on its 24 h: kubectl output has no version history.
  'k3s.yaml': [
    'ComponentVersionMismatch pending',
    'NextUpgradeBlocked firing',
    'NodeOsEndOfLife firing',
    'NodeOsEndOfLife firing',
    'VersionEndOfSupport firing',
  ],
  'kind-nodes-pods.json': ['NodeOsEndOfLife firing', 'VersionEndOfSupport firing'],
  'minikube.yaml': ['DeploymentRolloutStuck firing'],
  'openshift-nodes.json': ['NodeOsEndOfLife firing'],
};

const documents = readdirSync(CORPUS).filter((f) => !f.endsWith('.md'));

it('has an expectation for every document, and a document for every expectation', () => {
  expect(documents.sort()).toEqual(Object.keys(EXPECTED).sort());
});

it('keeps the CRLF document in CRLF (a checkout that normalises line ends would test nothing)', () => {
  const text = readFileSync(join(CORPUS, 'crlf-pods.yaml'), 'utf8');
  expect(text.split('\r\n').length).toBe(text.split('\n').length);
});

describe.each(documents)('%s', (file) => {
  it('checks without an unexpected error and yields the findings it models', async () => {
    const run = await cli(
      'check',
      '--from-file',
      join(CORPUS, file),
      '-o',
      'json',
      '--fail-on',
      'never',
    );
    expect(run.stderr).not.toMatch(/unexpected error|rule failed/);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      findings: { ruleId: string; status: string }[];
      coverage: { status: string; reason?: string }[];
    };
    expect(report.coverage.filter((c) => c.reason?.startsWith('rule failed'))).toEqual([]);
    expect(report.findings.map((f) => `${f.ruleId} ${f.status}`).sort()).toEqual(EXPECTED[file]);
  });
});
