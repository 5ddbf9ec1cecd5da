import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDemoCluster } from '../../../examples/demo-cluster/generate';
import { verifyDemoCluster } from '../../../examples/demo-cluster/verify';
import { cli } from '../../support/cli';
import { NOW } from '../../support/evaluate';

const DIR = join(__dirname, '../../../examples/demo-cluster');

describe('the bundled demo cluster', () => {
  const rendered = renderDemoCluster();

  it('is what its generator writes, and internally consistent', () => {
    const files: Record<string, unknown> = {};
    for (const [name, text] of Object.entries(rendered)) {
      expect(readFileSync(join(DIR, name), 'utf8')).toBe(text);
      files[name] = JSON.parse(text) as unknown;
    }
    expect(verifyDemoCluster(files, NOW)).toEqual([]);
  });

  it('reports the same findings, each once, when the folder is passed twice', async () => {
    type Report = { findings: { fingerprint: string; summary: string }[]; notes: string[] };
    const check = async (...paths: string[]): Promise<Report> =>
      JSON.parse(
        (
          await cli(
            'check',
            ...paths.flatMap((p) => ['--from-file', p]),
            '--cluster',
            'demo-eks',
            '--output',
            'json',
          )
        ).stdout,
      ) as Report;
    const once = await check(DIR);
    const twice = await check(DIR, `${DIR}/`);
    expect(twice.findings.map((f) => [f.fingerprint, f.summary])).toEqual(
      once.findings.map((f) => [f.fingerprint, f.summary]),
    );
    expect(new Set(twice.findings.map((f) => f.fingerprint)).size).toBe(twice.findings.length);
    expect(twice.notes).toContainEqual(expect.stringMatching(/^ignored \d+ duplicate objects/));
  });

  it('shows the mid-upgrade skew and the broken rollouts with their causes', async () => {
    const run = await cli('check', '--from-file', DIR, '--cluster', 'demo-eks', '--output', 'json');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      findings: {
        ruleId: string;
        severity: string;
        subject: { name: string };
        summary: string;
        details: Record<string, unknown>;
      }[];
    };
    const find = (ruleId: string, name?: string) =>
      report.findings.find(
        (f) => f.ruleId === ruleId && (name === undefined || f.subject.name === name),
      );
    expect(find('KubeletVersionSkew', 'v1.26')).toMatchObject({
      severity: 'critical',
      details: { nodeGroups: ['ng-old'] },
    });
    expect(find('NextUpgradeBlocked')).toMatchObject({ severity: 'warning' });
    const web = find('DeploymentRolloutStuck', 'web');
    expect(web).toMatchObject({ severity: 'critical', details: { cause: { kind: 'ImagePull' } } });
    expect(web?.summary).toMatch(/ImagePullBackOff.*shop\/web:2\.3\.1.*5\/5 old pods still serve/);
    expect(find('PodCrashLooping', 'orders-db')?.summary).toMatch(/OOMKilled/);
  });
});
