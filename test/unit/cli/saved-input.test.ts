/** Issue 21: saved input tells the truth about itself — manifests, its own time, and version text. */
import { join } from 'node:path';
import { cli, cliWith } from '../../support/cli';

const INPUTS = join(__dirname, '../../fixtures/inputs');
const input = (name: string): string => join(INPUTS, name);

interface JsonReport {
  collectedAt: string;
  findings: { ruleId: string; status: string; subject: { kind: string; name: string } }[];
  coverage: { ruleId: string; status: string; reason?: string }[];
  notes: string[];
}

async function json(...args: string[]): Promise<JsonReport> {
  const run = await cli('check', ...args, '-o', 'json', '--fail-on', 'never');
  expect(run.stderr).not.toContain('unexpected error');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as JsonReport;
}

/** Clocks far apart: a file's verdict must not depend on the day it is read. */
const CLOCKS = ['2026-03-01T10:21:00Z', '2026-11-21T12:00:00Z', '2031-01-01T00:00:00Z'];

describe('manifests (no status) in --from-file input', () => {
  it('leaves them out of the rollout rules, with one note per file and the judged count', async () => {
    const report = await json('--from-file', input('manifests'));
    const rollout = report.findings.filter((f) => /Deployment|StatefulSet/.test(f.ruleId));
    expect(rollout).toEqual([]);
    const manifestNotes = report.notes.filter((n) => n.includes('looks like a manifest'));
    expect(manifestNotes.map((n) => n.slice(0, n.indexOf(' (not judged')))).toEqual(
      ['db-statefulset.yaml', 'web-deployment.yaml'].map(
        (file) =>
          `${join(INPUTS, 'manifests', file)}: no status — this looks like a manifest, not \`kubectl get\` output; for drift against manifests use --manifests`,
      ),
    );
    expect(report.notes).toContainEqual(
      expect.stringMatching(/^rollout rules judged 0 of 2 workloads; 2 had no status/),
    );
    // Nothing of the kind carried state, so its rules are not checked rather than passed.
    const replicas = report.coverage.find((c) => c.ruleId === 'DeploymentReplicasMismatch');
    expect(replicas).toMatchObject({ status: 'skipped' });
    expect(replicas?.reason).toContain('have no status (manifests');
  });

  it('judges the same objects as today once they carry status', async () => {
    const report = await json('--from-file', input('live'));
    expect([...new Set(report.findings.map((f) => f.ruleId))].sort()).toEqual([
      'DeploymentReplicasMismatch',
      'DeploymentRolloutStuck',
      'StatefulSetReplicasMismatch',
    ]);
    expect(report.notes.join('\n')).not.toContain('no status');
  });

  it('counts only the manifests the input does not also hold live', async () => {
    const report = await json('--from-file', input('live'), '--from-file', input('manifests'));
    expect(report.notes.filter((n) => n.includes('looks like a manifest'))).toEqual([]);
    expect(report.findings.map((f) => f.ruleId)).toContain('DeploymentRolloutStuck');
  });
});

describe('a file is evaluated as of its own newest timestamp', () => {
  it.each(CLOCKS)('keeps a crash loop 3 minutes old pending when read at %s', async (clock) => {
    const run = await cliWith(
      { now: () => Date.parse(clock) },
      'check',
      '--from-file',
      input('crashloop-3m.yaml'),
      '-o',
      'json',
    );
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.collectedAt).toBe('2026-03-01T10:03:00.000Z');
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'PodCrashLooping', status: 'pending' }),
    ]);
  });

  it.each(CLOCKS)('fires a crash loop 20 minutes old when read at %s', async (clock) => {
    const run = await cliWith(
      { now: () => Date.parse(clock) },
      'check',
      '--from-file',
      input('crashloop-20m.yaml'),
      '-o',
      'json',
      '--fail-on',
      'never',
    );
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.collectedAt).toBe('2026-03-01T10:20:00.000Z');
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'PodCrashLooping', status: 'firing' }),
    ]);
  });

  it('prints the as-of time in the table header and says where it came from', async () => {
    const run = await cli('check', '--from-file', input('crashloop-3m.yaml'));
    expect(run.stdout.split('\n')[0]).toContain('as of 2026-03-01T10:03:00.000Z');
    expect(run.stdout).toContain('the newest timestamp in the');
  });

  it('takes --as-of when the user knows when the input was saved', async () => {
    const report = await json(
      '--from-file',
      input('crashloop-3m.yaml'),
      '--as-of',
      '2026-03-01T11:00:00+01:00',
    );
    expect(report.collectedAt).toBe('2026-03-01T10:00:00.000Z');
    // Earlier than the input's own newest timestamp: said, not silently believed.
    expect(report.notes.join('\n')).toContain('the input holds a later timestamp');
    const later = await json(
      '--from-file',
      input('crashloop-3m.yaml'),
      '--as-of',
      '2026-03-01T10:30:00Z',
    );
    expect(later.findings).toEqual([
      expect.objectContaining({ ruleId: 'PodCrashLooping', status: 'firing' }),
    ]);
  });

  it.each([
    'yesterday',
    '2026-03-01',
    '2026-03-01T10:00:00',
    '2026-13-01T10:00:00Z',
    '2026-02-30T10:00:00Z',
  ])('refuses --as-of %s with a usage error naming the flag and the format', async (value) => {
    const run = await cli('check', '--from-file', input('crashloop-3m.yaml'), '--as-of', value);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--as-of ${JSON.stringify(value)} is not an ISO 8601 time`);
    expect(run.stderr).toContain('e.g. --as-of 2026-11-21T12:00:00Z');
  });

  it('refuses --as-of without saved input', async () => {
    const run = await cli(
      'check',
      '--prometheus-url',
      'http://prometheus:9090',
      '--as-of',
      '2026-03-01T10:00:00Z',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--as-of dates saved --from-file input');
  });
});

describe('plain `kubectl version` text', () => {
  it.each(['version-modern.txt', 'version-old.txt'])(
    'answers %s with exit 2 and the flag to save it with',
    async (file) => {
      const run = await cli('check', '--from-file', input(file));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `${input(file)}: this is \`kubectl version\` text; save it with \`kubectl version -o json\``,
      );
      expect(run.stderr).not.toContain('no kind');
    },
  );
});
