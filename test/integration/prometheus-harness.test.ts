import { existsSync } from 'node:fs';
import { constant, counter, scenario, steps, type Scenario } from '../support/openmetrics';
import {
  describeWithPrometheus,
  queryInstant,
  startPrometheus,
  type RunningPrometheus,
} from '../support/prometheus';

// Six hours at one-minute resolution: promtool cuts 2h blocks, so queries cross block boundaries.
const WINDOW = { start: '2026-11-21T06:00:00Z', end: '2026-11-21T12:00:00Z', step: '1m' } as const;
const DEPLOYMENT = { namespace: 'shop', deployment: 'web', cluster: 'prod' };
const TRICKY_MESSAGE = 'back-off "5m"\\restarting\nfailed container';

/** An apiserver upgraded from 1.29 to 1.30 at 4h, and a Deployment whose controller lags 20m. */
function rolloutScenario(): Scenario {
  const apiserver = (instance: string, gitVersion: string) => ({
    job: 'apiserver',
    instance,
    git_version: gitVersion,
  });
  return scenario(WINDOW)
    .series('kubernetes_build_info', apiserver('10.0.0.1:443', 'v1.30.2'), constant(1))
    .series(
      'kubernetes_build_info',
      apiserver('10.0.0.2:443', 'v1.29.6'),
      constant(1).absentAfter('4h'),
    )
    .series('kubernetes_build_info', apiserver('10.0.0.2:443', 'v1.30.2'), constant(1).from('4h1m'))
    .series(
      'kube_deployment_metadata_generation',
      DEPLOYMENT,
      steps([
        [0, 6],
        ['3h', 7],
      ]),
    )
    .series(
      'kube_deployment_status_observed_generation',
      DEPLOYMENT,
      steps([
        [0, 6],
        ['3h20m', 7],
      ]),
    )
    .series(
      'kube_pod_container_status_restarts_total',
      { namespace: 'shop', pod: 'web-7d9f', container: 'app' },
      counter(1 / 300),
    )
    .series(
      'kube_pod_container_status_waiting_reason',
      { namespace: 'shop', pod: 'web-7d9f', reason: 'CrashLoopBackOff', message: TRICKY_MESSAGE },
      (t) => (t >= 3 * 3600 ? 1 : 0),
    )
    .series('up', { job: 'kube-state-metrics' }, constant(1).absentAfter('5h'));
}

describe('scenario().toOpenMetrics()', () => {
  const text = rolloutScenario().toOpenMetrics();
  const lines = text.trimEnd().split('\n');

  it('declares each family once, counters without their _total suffix, and ends with # EOF', () => {
    const typeLines = lines.filter((l) => l.startsWith('# TYPE'));
    expect(typeLines).toEqual([
      '# TYPE kubernetes_build_info gauge',
      '# TYPE kube_deployment_metadata_generation gauge',
      '# TYPE kube_deployment_status_observed_generation gauge',
      '# TYPE kube_pod_container_status_restarts counter',
      '# TYPE kube_pod_container_status_waiting_reason gauge',
      '# TYPE up gauge',
    ]);
    expect(lines.at(-1)).toBe('# EOF');
  });

  it('keeps the samples of a family together, right after its # TYPE line', () => {
    const familyOfLine = lines
      .filter((l) => l !== '# EOF')
      .map((l) =>
        l.startsWith('# TYPE') ? (l.split(' ')[2] ?? '') : (/^[a-z_]+/.exec(l)?.[0] ?? ''),
      );
    const order = familyOfLine.filter((family, i) => family !== familyOfLine[i - 1]);
    expect(order).toEqual([
      'kubernetes_build_info',
      'kube_deployment_metadata_generation',
      'kube_deployment_status_observed_generation',
      'kube_pod_container_status_restarts',
      'kube_pod_container_status_restarts_total',
      'kube_pod_container_status_waiting_reason',
      'up',
    ]);
  });

  it('writes timestamps in whole seconds and escapes label values', () => {
    expect(lines).toContain(
      'kube_deployment_metadata_generation{namespace="shop",deployment="web",cluster="prod"} 7 1795251600',
    );
    expect(text).toContain('message="back-off \\"5m\\"\\\\restarting\\nfailed container"');
  });

  it('omits samples outside from()/absentAfter() and null gaps of steps()', () => {
    const upSamples = lines.filter((l) => l.startsWith('up{'));
    expect(upSamples).toHaveLength(301); // 0..5h inclusive at 1m
    const gappy = scenario({ start: 0, end: 300_000, step: '1m' })
      .series(
        'g',
        {},
        steps([
          [0, 1],
          ['2m', null],
          ['4m', 2],
        ]),
      )
      .toOpenMetrics();
    expect(gappy).toBe('# TYPE g gauge\ng 1 0\ng 1 60\ng 2 240\ng 2 300\n# EOF\n');
  });

  it.each([
    [
      'a counter without _total',
      () => scenario(WINDOW).series('restarts', {}, 1, { type: 'counter' }),
      /counter restarts must be named <family>_total/,
    ],
    [
      'an info without _info',
      () => scenario(WINDOW).series('build', {}, 1, { type: 'info' }),
      /info build must be named <family>_info/,
    ],
    [
      'a reserved label name',
      () => scenario(WINDOW).series('g', { __name__: 'x' }, 1),
      /"__name__" is not a valid label name/,
    ],
    [
      'the same series twice',
      () => scenario(WINDOW).series('g', { a: '1' }, 1).series('g', { a: '1' }, 2),
      /series g\{a="1"\} is defined twice/,
    ],
    [
      'a counter and a gauge in one family',
      () => scenario(WINDOW).series('x_total', {}, 1).series('x', {}, 1),
      /family x is already a counter/,
    ],
    ['a sub-second step', () => scenario({ ...WINDOW, step: 0.5 }), /whole number of seconds/],
    ['a malformed offset', () => constant(1).from('5 minutes'), /not a duration/],
    [
      'decreasing step offsets',
      () =>
        steps([
          ['2m', 1],
          ['1m', 2],
        ]),
      /offsets must increase/,
    ],
  ])('rejects %s with a message naming it', (_case, build, message) => {
    expect(build).toThrow(message);
  });
});

describeWithPrometheus('real Prometheus over a backfilled scenario', () => {
  const data = rolloutScenario();
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    prometheus = await startPrometheus({ openmetrics: data });
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  const query = (promql: string, at: number) => queryInstant(prometheus.url, promql, at);

  it('answers instant queries at a time inside the window, labels intact', async () => {
    const result = await query('kubernetes_build_info{job="apiserver"}', prometheus.time());
    expect(result.map((s) => [s.metric.instance, s.metric.git_version, s.value]).sort()).toEqual([
      ['10.0.0.1:443', 'v1.30.2', 1],
      ['10.0.0.2:443', 'v1.30.2', 1],
    ]);
    const midUpgrade = await query(
      'count by (git_version) (kubernetes_build_info{job="apiserver"})',
      prometheus.time('3h'),
    );
    expect(midUpgrade.map((s) => [s.metric.git_version, s.value]).sort()).toEqual([
      ['v1.29.6', 1],
      ['v1.30.2', 1],
    ]);
  });

  it('reads every sample across the 2h block boundaries', async () => {
    const [samples] = await query(
      'count_over_time(kubernetes_build_info{instance="10.0.0.1:443"}[7h])',
      prometheus.time(),
    );
    expect(samples?.value).toBe(361);
  });

  it.each([
    ['3h5m', 0], // the mismatch began 5 minutes ago
    ['3h15m', 1], // generation 7 not observed for the whole 10 minutes
    ['3h25m', 0], // observed at 3h20m
  ])('min_over_time((generation != bool observed)[10m:1m]) at %s is %d', async (at, expected) => {
    const result = await query(
      'min_over_time((kube_deployment_metadata_generation != bool kube_deployment_status_observed_generation)[10m:1m])',
      prometheus.time(at),
    );
    expect(result).toEqual([{ metric: DEPLOYMENT, value: expected }]);
  });

  it('sees counters at their rate and label values with quotes, backslashes and newlines', async () => {
    const [rate] = await query(
      'rate(kube_pod_container_status_restarts_total[10m])',
      prometheus.time(),
    );
    expect(rate?.value).toBeCloseTo(1 / 300, 6);
    const [waiting] = await query(
      'kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}',
      prometheus.time(),
    );
    expect(waiting?.metric.message).toBe(TRICKY_MESSAGE);
  });

  it('keeps an absent series visible for the 5m lookback delta only', async () => {
    expect(await query('up', prometheus.time('5h4m'))).toHaveLength(1);
    expect(await query('up', prometheus.time('5h6m'))).toEqual([]);
  });

  it('refuses a query time outside the backfilled window', () => {
    expect(() => prometheus.time('7h')).toThrow(/outside the backfilled window/);
  });
});

describeWithPrometheus('startPrometheus() lifecycle', () => {
  it('accepts raw OpenMetrics text, and stop() leaves no process and no directory behind', async () => {
    const text = '# TYPE g gauge\ng{a="1"} 1 1795240800\ng{a="1"} 2 1795240860\n# EOF\n';
    const server = await startPrometheus({ openmetrics: text });
    expect(server.window).toEqual({ start: 1795240800_000, end: 1795240860_000 });
    expect(await queryInstant(server.url, 'g', server.time())).toEqual([
      { metric: { __name__: 'g', a: '1' }, value: 2 },
    ]);
    await server.stop();
    expect(() => process.kill(server.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(existsSync(server.dir)).toBe(false);
    await server.stop(); // idempotent
  });

  it('rejects a retention that would delete the oldest backfilled blocks', async () => {
    const day = scenario({
      start: '2026-11-20T12:00:00Z',
      end: '2026-11-21T12:00:00Z',
      step: '5m',
    });
    await expect(
      startPrometheus({ openmetrics: day.series('g', {}, constant(1)), retention: '2h' }),
    ).rejects.toThrow(/no series at the first backfilled sample.*raise the retention/);
  });

  it.each([
    ['no # EOF', '# TYPE g gauge\ng 1 1795240800\n', /promtool could not backfill.*# EOF/s],
    ['no timestamp', '# TYPE g gauge\ng 1\n# EOF\n', /promtool could not backfill.*timestamp/s],
    [
      'out-of-order samples',
      '# TYPE g gauge\ng 1 1795240860\ng 2 1795240800\n# EOF\n',
      /wrote 1 of 2/,
    ],
    ['no samples', '# EOF\n', /no samples/],
  ])('rejects input with %s, naming the cause', async (_case, text, message) => {
    await expect(startPrometheus({ openmetrics: text })).rejects.toThrow(message);
  });
});
