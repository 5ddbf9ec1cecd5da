import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../support/cli';
import { clusterDocuments } from '../../support/kube-objects';

const REPO = join(__dirname, '../../..');

/** Writes a cluster's kubectl documents to a temp file and returns its path. */
function clusterFile(
  kubelets: Record<string, string>,
  serverVersion = 'v1.30.4-eks-a737599',
): string {
  const dir = mkdtempSync(join(tmpdir(), 'skewguard-cli-'));
  const file = join(dir, 'cluster.json');
  writeFileSync(
    file,
    JSON.stringify(
      clusterDocuments({
        serverVersion,
        kubelets,
        nodeGroups: Object.fromEntries(Object.keys(kubelets).map((n) => [n, 'ng-1'])),
      }),
    ),
  );
  return file;
}

// A minor with more than 180 days of upstream support left at the test clock (2026-11-21).
const SUPPORTED = 'v1.36.1';
const healthy = (): string => clusterFile({ a: SUPPORTED }, SUPPORTED);
const skewed = (): string => clusterFile({ a: 'v1.26.15-eks-59bf375', b: 'v1.30.4-eks-a737599' });

describe('skewguard check --output json', () => {
  it('prints exactly one JSON object of the documented shape', async () => {
    const run = await cli(
      'check',
      '--from-file',
      skewed(),
      '--output',
      'json',
      '--cluster',
      'prod-eu',
    );
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual([
      'cluster',
      'collectedAt',
      'coverage',
      'findings',
      'notes',
      'sources',
    ]);
    // Saved input is evaluated as of its newest timestamp, a minute before the test clock.
    expect(report).toMatchObject({
      cluster: 'prod-eu',
      collectedAt: '2026-11-21T11:59:00.000Z',
      sources: [{ source: 'files', status: 'ok' }],
    });
    const findings = report['findings'] as Record<string, unknown>[];
    expect(findings[0]).toMatchObject({
      ruleId: 'KubeletVersionSkew',
      severity: 'critical',
      subject: { kind: 'Kubelet', name: 'v1.26' },
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      runbookUrl: expect.stringMatching(/KubeletVersionSkew\.md$/),
    });
    expect(run.stderr).toBe('');
  });
});

describe('exit codes', () => {
  it.each([
    ['critical finding, default --fail-on critical', skewed, [], 1],
    [
      'warning only, default --fail-on critical',
      () => clusterFile({ a: 'v1.33.4', b: SUPPORTED }, SUPPORTED),
      [],
      0,
    ],
    [
      'warning with --fail-on warning',
      () => clusterFile({ a: 'v1.33.4', b: SUPPORTED }, SUPPORTED),
      ['--fail-on', 'warning'],
      1,
    ],
    ['critical with --fail-on never', skewed, ['--fail-on', 'never'], 0],
    ['healthy cluster', healthy, [], 0],
  ])('%s → %i', async (_name, file, extra, code) => {
    expect((await cli('check', '--from-file', file(), ...extra)).code).toBe(code);
  });

  it('exits 2 for a missing file, naming it, without a stack trace', async () => {
    const run = await cli('check', '--from-file', '/nonexistent/cluster.json');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'skewguard: /nonexistent/cluster.json: no such file or folder; check the --from-file path\n',
    );
    expect(run.stdout).toBe('');
  });

  it('exits 2 for usage errors', async () => {
    expect((await cli('check', '--from-file', healthy(), '--output', 'xml')).code).toBe(2);
    expect((await cli('check')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it('answers a bare file name with --from-file, an empty --cluster, and --version', async () => {
    const bare = await cli('check', 'cluster.json');
    expect(bare.code).toBe(2);
    expect(bare.stderr).toBe(
      'skewguard: unexpected argument "cluster.json": pass input files with --from-file cluster.json (repeatable), or a live cluster with --context; run `skewguard check --help` for usage\n',
    );
    const empty = await cli('check', '--from-file', healthy(), '--cluster', ' ');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--cluster needs a name');
    const version = await cli('--version');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 when --cluster is not in the --config file, naming its clusters', async () => {
    const config = join(REPO, 'examples/skewguard.config.yaml');
    const run = await cli(
      'check',
      '--from-file',
      healthy(),
      '--config',
      config,
      '--cluster',
      'nope',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `skewguard: --cluster "nope" is not a cluster of ${config} (its clusters: prod-eu, onprem-lab); pass one of them, or add the cluster to the config\n`,
    );
  });

  it('works as the installed bin: npx skewguard, real process, real exit codes', () => {
    const bad = spawnSync(
      'npx',
      ['--no-install', 'skewguard', 'check', '--from-file', '/nonexistent.json'],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('skewguard: /nonexistent.json: no such file or folder');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const good = spawnSync(
      process.execPath,
      [join(REPO, 'bin/skewguard.cjs'), 'check', '--from-file', skewed(), '--output', 'json'],
      { encoding: 'utf8' },
    );
    expect(good.status).toBe(1);
    expect(() => JSON.parse(good.stdout) as unknown).not.toThrow();
  });
});

describe('table and markdown output', () => {
  it('fits an 80-column terminal and sorts worst first', async () => {
    const run = await cli('check', '--from-file', skewed(), '--fail-on', 'never');
    const lines = run.stdout.split('\n');
    for (const line of lines.filter((l) => !l.includes('http')))
      expect(line.length).toBeLessThanOrEqual(80);
    const severities = lines
      .map((l) => /^\[(CRITICAL|WARNING|INFO)\] /.exec(l)?.[1])
      .filter(Boolean);
    expect(severities[0]).toBe('CRITICAL');
    expect(severities.indexOf('CRITICAL')).toBeLessThan(severities.lastIndexOf('WARNING'));
  });

  it('renders markdown with a pipe-safe table', async () => {
    const run = await cli(
      'check',
      '--from-file',
      skewed(),
      '--output',
      'markdown',
      '--fail-on',
      'never',
    );
    expect(run.stdout).toMatch(/^### skewguard: cluster\n/);
    expect(run.stdout).toContain('| Severity | Rule | Subject | Summary |');
    expect(run.stdout).toMatch(/\| critical \| \[KubeletVersionSkew\]\(.+\) \| Kubelet v1\.26 \|/);
  });
});

describe('rules and explain', () => {
  it('lists the catalogue', async () => {
    const run = await cli('rules');
    expect(run.stdout).toMatch(/^RULE\s+SEVERITY\s+FOR\s+NEEDS/);
    expect(run.stdout).toMatch(/ComponentVersionMismatch\s+warning\s+24h/);
  });

  it.each([
    ['DeploymentReplicasMismatch', 'critical when no replica is available'],
    ['StatefulSetReplicasMismatch', 'critical when no replica is ready'],
  ])('lists %s at its default, warning, and notes when it is %s', async (id, escalation) => {
    const run = await cli('rules');
    const lines = run.stdout.split('\n');
    expect(lines.find((l) => l.startsWith(`${id} `))).toMatch(
      new RegExp(`^${id}\\s+warning\\s+15m`),
    );
    const notes = lines.slice(lines.indexOf('Other severities (SEVERITY above is the default):'));
    expect(notes.find((l) => l.startsWith(`${id} `))).toMatch(
      new RegExp(`^${id}\\s+${escalation}$`),
    );
  });

  it('prints a runbook, and names the fix for an unknown id', async () => {
    const run = await cli('explain', 'KubeletVersionSkew');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# KubeletVersionSkew/);
    const bad = await cli('explain', 'NoSuchRule');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'skewguard: unknown rule id NoSuchRule; `skewguard rules` lists them all\n',
    );
  });
});
