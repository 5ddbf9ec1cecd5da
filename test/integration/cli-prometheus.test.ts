import { runCli } from '../../lib/cli/main';
import type { RunningPrometheus } from '../support/prometheus';
import { describeWithPrometheus, startPrometheus } from '../support/prometheus';
import {
  deprecatedApiCluster,
  haSkewCluster,
  historyCluster,
  multiClusterScenario,
  NOW_MS,
  rolloutCluster,
} from '../support/prometheus-scenarios';

/** Runs the CLI in-process at the scenario's clock (inside the backfilled window). */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    now: () => NOW_MS,
  });
  return { code, stdout, stderr };
}

/** `skewguard check --prometheus-url <url> --prometheus-selector <selector> …rest`. */
function checkSelected(
  url: string,
  selector: string,
  ...rest: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return cli('check', '--prometheus-url', url, '--prometheus-selector', selector, ...rest);
}

interface JsonReport {
  cluster: string;
  sources: { source: string; status: string }[];
  findings: {
    ruleId: string;
    severity: string;
    status: string;
    subject: { name: string };
    summary: string;
    since?: string;
  }[];
  coverage: { ruleId: string; status: string }[];
}

describeWithPrometheus('skewguard check --prometheus-url against a real Prometheus', () => {
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    const { data, cluster } = multiClusterScenario();
    haSkewCluster(cluster('ha'));
    rolloutCluster(cluster('rollout'));
    historyCluster(cluster('history'));
    deprecatedApiCluster(cluster('deprecated'));
    prometheus = await startPrometheus({ openmetrics: data });
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('prints one JSON report of the selected cluster with its skew findings', async () => {
    const run = await checkSelected(
      prometheus.url,
      'cluster="ha"',
      '--cluster',
      'ha',
      '--output',
      'json',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.sources).toMatchObject([{ source: 'prometheus', status: 'ok' }]);
    const ids = report.findings.map((f) => `${f.severity} ${f.ruleId} ${f.subject.name}`);
    expect(ids).toContain('critical KubeletVersionSkew v1.26');
    expect(ids).toContain('warning EtcdVersionMismatch etcd');
    // The HA skew (1.29 and 1.30) is a warning that waits an hour; two hours of history prove it.
    expect(report.findings.find((f) => f.ruleId === 'ApiServerVersionSkew')).toMatchObject({
      severity: 'warning',
      status: 'firing',
    });
  });

  it('dates the HA skew, the etcd mismatch and a 40-minute crash loop from history, so one run fires them', async () => {
    const run = await checkSelected(
      prometheus.url,
      'cluster="history"',
      '--cluster',
      'history',
      '--output',
      'json',
      '--fail-on',
      'never',
    );
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as JsonReport;
    const find = (ruleId: string) => report.findings.find((f) => f.ruleId === ruleId);
    const minutesAgo = (iso?: string): number => (NOW_MS - Date.parse(iso ?? '')) / 60_000;
    for (const ruleId of ['ApiServerVersionSkew', 'EtcdVersionMismatch']) {
      expect(find(ruleId)).toMatchObject({ severity: 'warning', status: 'firing' });
      // Both versions ran through the whole two-hour window: at least that long, to one step.
      expect(minutesAgo(find(ruleId)?.since)).toBeGreaterThanOrEqual(110);
      expect(minutesAgo(find(ruleId)?.since)).toBeLessThanOrEqual(121);
    }
    expect(find('PodCrashLooping')).toMatchObject({ status: 'firing' });
    // The loop ran through the whole lookback (its 15-minute `for` plus 5 minutes): dated to its start.
    expect(minutesAgo(find('PodCrashLooping')?.since)).toBeGreaterThanOrEqual(19);
    expect(minutesAgo(find('PodCrashLooping')?.since)).toBeLessThanOrEqual(21);
    // ComponentVersionMismatch waits a day: two hours of history keep it pending, dated.
    expect(find('ComponentVersionMismatch')).toMatchObject({ status: 'pending' });
    expect(minutesAgo(find('ComponentVersionMismatch')?.since)).toBeGreaterThanOrEqual(110);
  });

  it('keeps a 4-minute generation mismatch pending and fires the 12-minute one, dated from history', async () => {
    const run = await checkSelected(
      prometheus.url,
      'cluster="rollout"',
      '--cluster',
      'rollout',
      '--output',
      'json',
      '--fail-on',
      'never',
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    const gen = (name: string) =>
      report.findings.find(
        (f) => f.ruleId === 'DeploymentGenerationMismatch' && f.subject.name === name,
      );
    expect(gen('web-recent')).toMatchObject({ status: 'pending' });
    expect(gen('web-stale')).toMatchObject({ status: 'firing' });
    const minutesAgo = (iso?: string): number => (NOW_MS - Date.parse(iso ?? '')) / 60_000;
    expect(minutesAgo(gen('web-recent')?.since)).toBeGreaterThanOrEqual(3);
    expect(minutesAgo(gen('web-recent')?.since)).toBeLessThanOrEqual(6);
    expect(minutesAgo(gen('web-stale')?.since)).toBeGreaterThanOrEqual(11);
    expect(minutesAgo(gen('web-stale')?.since)).toBeLessThanOrEqual(14);
  });

  it('refuses to read several clusters as one, naming a selector that picks one', async () => {
    const run = await cli('check', '--prometheus-url', prometheus.url, '--cluster', 'x');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('holds series of several clusters');
    expect(run.stderr).toContain('cluster="deprecated", "ha", "history", "rollout"');
    expect(run.stderr).toContain(`--prometheus-selector 'cluster="deprecated"'`);
    const loose = await checkSelected(prometheus.url, 'cluster=~".+"', '--cluster', 'x');
    expect(loose.code).toBe(2);
    expect(loose.stderr).toContain('the selector cluster=~".+" matches more than one');
  });

  it('names the cluster after the selector when --cluster is not given', async () => {
    const run = await checkSelected(prometheus.url, 'cluster="ha"', '--output', 'json');
    expect((JSON.parse(run.stdout) as JsonReport).cluster).toBe('ha');
  });

  it('finds the deprecated API still called and removed in the next minor, not the one asked once long ago', async () => {
    const run = await checkSelected(
      prometheus.url,
      'cluster="deprecated"',
      '--cluster',
      'deprecated',
      '--output',
      'json',
    );
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.coverage).toContainEqual({ ruleId: 'DeprecatedApiInUse', status: 'evaluated' });
    const deprecated = report.findings.filter((f) => f.ruleId === 'DeprecatedApiInUse');
    expect(deprecated.map((f) => [f.severity, f.summary])).toEqual([
      [
        'warning',
        'flowcontrol.apiserver.k8s.io/v1beta3 flowschemas is still requested (2.00 requests/s over 1h), callers unknown (EKS upgrade insights or the API server audit log name them), and is removed in 1.32, the next minor: those requests fail after the upgrade. Move the callers to flowcontrol.apiserver.k8s.io/v1 FlowSchema.',
      ],
    ]);
    const blocked = report.findings.find((f) => f.ruleId === 'NextUpgradeBlocked');
    expect(blocked?.summary).toContain('flowcontrol.apiserver.k8s.io/v1beta3 flowschemas');
    expect(blocked?.summary).not.toContain('prioritylevelconfigurations');
  });

  it('rejects a malformed selector before any request, with exit 2', async () => {
    const run = await checkSelected(prometheus.url, 'cluster=prod', '--cluster', 'x');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^skewguard: .*selector/);
  });

  it.each([
    [{ SKEWGUARD_PROMETHEUS_TOKEN: 't0ken' }, 'bearer token', 'http://127.0.0.1:9/', true],
    [
      { SKEWGUARD_PROMETHEUS_USERNAME: 'u', SKEWGUARD_PROMETHEUS_PASSWORD: 'p' },
      'username and password',
      'http://127.0.0.1:9/',
      true,
    ],
    [{ SKEWGUARD_PROMETHEUS_TOKEN: 't0ken' }, 'bearer token', 'https://127.0.0.1:9/', false],
  ])('credentials %j (%s) to %s: clear-text warning %s', async (env, what, url, warned) => {
    Object.assign(process.env, env);
    try {
      const run = await cli('check', '--prometheus-url', url, '--cluster', 'x');
      const warning = `skewguard: warning: the ${what} from the environment go to 127.0.0.1:9 over plain http://, in clear text to anyone on the path; use the https:// URL of that Prometheus`;
      if (warned) expect(run.stderr.split('\n')).toContain(warning);
      else expect(run.stderr).not.toContain('clear text');
      expect(run.stderr).not.toContain('t0ken');
    } finally {
      for (const key of Object.keys(env)) Reflect.deleteProperty(process.env, key);
    }
  });

  it('exits 2 naming the problem when Prometheus cannot be reached', async () => {
    const run = await cli('check', '--prometheus-url', 'http://127.0.0.1:9/', '--cluster', 'x');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^skewguard: .*(refused|ECONNREFUSED)/);
  });
});
