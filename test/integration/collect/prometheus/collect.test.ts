import type { PrometheusCollectOptions } from '../../../../lib/collect/prometheus/collect';
import { collectFromPrometheus } from '../../../../lib/collect/prometheus/collect';
import { cliPrometheusAuth } from '../../../../lib/collect/prometheus/auth';
import { PrometheusClient } from '../../../../lib/collect/prometheus/client';
import {
  DEFAULT_POLICY,
  evaluate,
  findRule,
  forWindowsOf,
  PART_SUPPLIERS,
  RULES,
} from '../../../../lib/rules';
import type { LabelMatcher } from '../../../../lib/collect/prometheus/selector';
import {
  firstRoundQueries,
  secondRoundQueries,
  thirdRoundQueries,
} from '../../../../lib/collect/prometheus/queries';
import { parseSelector } from '../../../../lib/collect/prometheus/selector';

/** Every query of the three rounds, with an offender of each kind. */
function allQueries(selector: readonly LabelMatcher[]): Record<string, string> {
  const offenders = {
    workloads: {
      Deployment: new Set(['shop/web']),
      StatefulSet: new Set(['db/pg']),
      DaemonSet: new Set(['kube-system/proxy']),
    },
    problemPods: new Set(['shop/web-7d9f8-abcde']),
  };
  return {
    ...firstRoundQueries(selector),
    ...secondRoundQueries(selector, offenders, ['kube_pod_info']),
    ...thirdRoundQueries(selector, {
      replicaSets: new Set(['shop/web-7d9f8']),
      pods: new Set(['shop/web-7d9f8-abcde']),
      podOwners: new Set(['shop/web-7d9f8', 'db/pg']),
    }),
  } as Record<string, string>;
}
import { reconcile } from '../../../../lib/ledger';
import type { ClusterSnapshot, Evaluation, Finding, Rule } from '../../../../lib/rules';
import { CHECKER_RULES } from '../../../../lib/rules/checker';
import {
  describeWithPrometheus,
  startPrometheus,
  type RunningPrometheus,
} from '../../../support/prometheus';
import {
  clusterWithoutKubeStateMetrics,
  clusterWithStaleKubeStateMetrics,
  haSkewCluster,
  isoMinutesAgo,
  multiClusterScenario,
  NOW_MS,
  rolloutCluster,
  sizedCluster,
} from '../../../support/prometheus-scenarios';

// Until the lead registers the checker rules in RULES, add them here; never twice.
const ALL_RULES: readonly Rule[] = [
  ...new Map([...RULES, ...CHECKER_RULES].map((r) => [r.id, r])).values(),
];

function findings(evaluation: Evaluation, ruleId: string): Finding[] {
  return evaluation.findings.filter((f) => f.ruleId === ruleId);
}

describe('Prometheus query templates', () => {
  it.each([
    ['cluster="prod"', [{ name: 'cluster', op: '=', value: 'prod' }]],
    [
      '{cluster="prod", region=~"eu-.*"}',
      [
        { name: 'cluster', op: '=', value: 'prod' },
        { name: 'region', op: '=~', value: 'eu-.*' },
      ],
    ],
    ["env!='dev'", [{ name: 'env', op: '!=', value: 'dev' }]],
    ['team!~`a"b`', [{ name: 'team', op: '!~', value: 'a"b' }]],
    ['name="say \\"hi\\""', [{ name: 'name', op: '=', value: 'say "hi"' }]],
    ['', []],
  ])('parses the selector %s', (text, expected) => {
    expect(parseSelector(text)).toEqual(expected);
  });

  it.each([
    ['cluster=prod', /cannot be parsed/],
    ['cluster="prod" region="x"', /cannot be parsed/],
    ['__name__="up"', /may not match __name__/],
    ['cluster="prod"}', /cannot be parsed/],
  ])('rejects the selector %s, naming the fix', (text, message) => {
    expect(() => parseSelector(text)).toThrow(
      expect.objectContaining({
        source: 'prometheus',
        kind: 'config',
        message: expect.stringMatching(message),
      }),
    );
  });

  it('puts the selector into every vector selector of every query', () => {
    const queries = allQueries(parseSelector('cluster="prod",region=~"eu-.*"'));
    expect(Object.keys(queries)).toHaveLength(16);
    let named = 0;
    for (const promql of Object.values(queries)) {
      const selectors = promql.match(/\{[^{}]*\}/g) ?? [];
      expect(selectors.length).toBeGreaterThan(0);
      for (const s of selectors) expect(s).toContain('cluster="prod", region=~"eu-.*"');
      // Outside string literals, every metric name opens a matcher list: none selects all clusters.
      const code = promql.replace(/"(?:[^"\\]|\\.)*"/g, '""');
      const names = [...code.matchAll(/\b(kube_\w+|kubernetes_build_info|etcd_\w+|up)\b(.)/g)];
      named += names.length;
      expect(names.filter(([, , next]) => next !== '{').map(([, name]) => name)).toEqual([]);
    }
    expect(named).toBeGreaterThan(50);
  });

  it('derives the `for` windows of the dated conditions from the policy', () => {
    expect(forWindowsOf()).toEqual({
      generationMismatch: 600,
      replicasMismatch: 900,
      rolloutStuck: 900,
      updateNotRolledOut: 900,
      notScheduled: 600,
      misscheduled: 900,
      // ComponentVersionMismatch waits a day; ApiServerVersionSkew's warning form an hour.
      versions: 86_400,
      crashLoop: 900,
    });
    const policy = {
      ...DEFAULT_POLICY,
      rules: { StatefulSetGenerationMismatch: { forSeconds: 1800 } },
    };
    expect(forWindowsOf(policy).generationMismatch).toBe(1800);
  });

  it('signs with SigV4 by default only for Amazon Managed Prometheus URLs', () => {
    expect(
      cliPrometheusAuth('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1', {}),
    ).toEqual({ type: 'sigv4' });
    expect(cliPrometheusAuth('https://prometheus.example.com', {})).toEqual({ type: 'none' });
  });

  it('escapes selector values so they cannot break out of the string', () => {
    const queries = allQueries(parseSelector('cluster="a\\"} or vector(1) #"'));
    expect(queries.versions).toContain('cluster="a\\"} or vector(1) #"');
  });
});

describeWithPrometheus('Prometheus collector against a real Prometheus', () => {
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    const { data, cluster } = multiClusterScenario();
    haSkewCluster(cluster('ha'));
    rolloutCluster(cluster('rollout'));
    clusterWithoutKubeStateMetrics(cluster('bare'));
    clusterWithStaleKubeStateMetrics(cluster('stale'));
    // Two clusters with the same object names and different states in one Prometheus.
    cluster('east')
      .apiserver('10.5.0.1', 'v1.30.2')
      .node('east-1', '10.5.1.1', 'v1.30.2', 'v1.30.2')
      .healthyBaseline('east-1')
      .deployment({ namespace: 'shop', name: 'web' });
    cluster('west')
      .apiserver('10.6.0.1', 'v1.27.9')
      .node('west-1', '10.6.1.1', 'v1.27.9', 'v1.27.9')
      .healthyBaseline('west-1')
      .deployment({ namespace: 'shop', name: 'web', generation: 9, observedGeneration: 8 });
    sizedCluster(cluster('small'), 2);
    sizedCluster(cluster('large'), 40);
    prometheus = await startPrometheus({ openmetrics: data });
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  const collect = (
    cluster: string,
    options: Partial<PrometheusCollectOptions> = {},
  ): ReturnType<typeof collectFromPrometheus> =>
    collectFromPrometheus({
      cluster,
      url: prometheus.url,
      auth: { type: 'none' },
      selector: `cluster="${cluster}"`,
      at: NOW_MS,
      collectedAt: () => new Date(NOW_MS).toISOString(),
      ...options,
    });
  const evaluateAll = (snapshot: ClusterSnapshot): Evaluation =>
    evaluate(snapshot, DEFAULT_POLICY, NOW_MS, ALL_RULES);

  describe('an HA cluster mid-upgrade', () => {
    let snapshot: ClusterSnapshot;
    let evaluation: Evaluation;
    beforeAll(async () => {
      ({ snapshot } = await collect('ha'));
      evaluation = evaluateAll(snapshot);
    });

    it('lists every apiserver instance, with the series it was read from', () => {
      const apiservers = snapshot.controlPlane.filter((c) => c.component === 'kube-apiserver');
      expect(apiservers.map((a) => [a.instance, a.version.raw])).toEqual([
        ['10.0.0.1:6443', 'v1.29.6'],
        ['10.0.0.2:6443', 'v1.30.2'],
        ['10.0.0.3:6443', 'v1.30.2'],
      ]);
      expect(apiservers[0]?.version.source).toBe(
        'prometheus kubernetes_build_info{job="apiserver",instance="10.0.0.1:6443"}',
      );
    });

    it("takes kube-proxy's version from its own build info, mapped to the node by IP", () => {
      const old = snapshot.nodes.find((n) => n.name === 'ip-10-0-2-1');
      expect(old?.kubeletVersion).toEqual({
        raw: 'v1.26.15',
        source: 'prometheus kube_node_info{node="ip-10-0-2-1"} kubelet_version',
      });
      expect(old?.kubeProxyVersion).toEqual({
        raw: 'v1.26.15',
        source: 'prometheus kubernetes_build_info{job="kube-proxy",instance="10.0.2.1:10249"}',
      });
      expect(snapshot.nodes).toHaveLength(5);
    });

    it('reports ApiServerVersionSkew (warning) and KubeletVersionSkew (critical) for the 1.26 group', () => {
      expect(findings(evaluation, 'ApiServerVersionSkew')).toEqual([
        expect.objectContaining({
          severity: 'warning',
          subject: { kind: 'KubeAPIServer', name: 'kube-apiserver' },
        }),
      ]);
      expect(findings(evaluation, 'KubeletVersionSkew')).toEqual([
        expect.objectContaining({
          severity: 'critical',
          subject: { kind: 'Kubelet', name: 'v1.26' },
          details: expect.objectContaining({ nodes: ['ip-10-0-2-1', 'ip-10-0-2-2'] }),
        }),
      ]);
    });

    it('sees etcd members at two versions', () => {
      expect(findings(evaluation, 'EtcdVersionMismatch')).toEqual([
        expect.objectContaining({
          details: {
            versions: ['3.5.9', '3.5.12'],
            membersByVersion: {
              '3.5.9': ['10.0.0.3:2379'],
              '3.5.12': ['10.0.0.1:2379', '10.0.0.2:2379'],
            },
          },
        }),
      ]);
    });

    it('evaluates every rule and misses no metric', () => {
      expect(snapshot.metricsMissing).toBeUndefined();
      // Rules needing parts no collector fills yet (PART_SUPPLIERS) wait for that wiring.
      const unwired = (id: string) => findRule(id)?.needs.some((p) => p in PART_SUPPLIERS);
      const notEvaluated = evaluation.coverage.filter((c) => c.status !== 'evaluated');
      expect(notEvaluated.filter((c) => !unwired(c.ruleId))).toEqual([]);
    });
  });

  describe('rollouts dated from history', () => {
    let snapshot: ClusterSnapshot;
    let evaluation: Evaluation;
    beforeAll(async () => {
      ({ snapshot } = await collect('rollout'));
      evaluation = evaluateAll(snapshot);
    });

    it('dates each generation mismatch from when it began: 4 and 12 minutes ago', () => {
      const since = (name: string) =>
        snapshot.workloads.find((w) => w.name === name)?.conditionSince?.generationMismatch;
      expect(since('web-recent')).toBe(isoMinutesAgo(4));
      expect(since('web-stale')).toBe(isoMinutesAgo(12));
      const byName = new Map(
        findings(evaluation, 'DeploymentGenerationMismatch').map((f) => [f.subject.name, f]),
      );
      expect(byName.get('web-recent')?.since).toBe(isoMinutesAgo(4));
      expect(byName.get('web-stale')?.since).toBe(isoMinutesAgo(12));
    });

    it('keeps the 4-minute mismatch pending and fires the 12-minute one (for = 10m) in a first run', () => {
      const { items } = reconcile('rollout', [], evaluation, NOW_MS);
      const status = (name: string) =>
        items.find((i) => i.ruleId === 'DeploymentGenerationMismatch' && i.subject.name === name)
          ?.status;
      expect(status('web-recent')).toBe('pending');
      expect(status('web-stale')).toBe('firing');
    });

    it('returns only offending workloads, not the healthy ones', () => {
      expect(snapshot.workloads.map((w) => w.name).sort()).toEqual([
        'checkout',
        'web-recent',
        'web-stale',
        'worker',
      ]);
      expect(snapshot.pods.some((p) => p.name.startsWith('api-'))).toBe(false);
    });

    it('reports the crash loop per owning Deployment, with the last exit', () => {
      expect(findings(evaluation, 'PodCrashLooping')).toEqual([
        expect.objectContaining({
          subject: { kind: 'Deployment', namespace: 'shop', name: 'worker' },
          details: expect.objectContaining({
            podCount: 1,
            restartsTotal: 10,
            pods: [
              expect.objectContaining({
                pod: 'worker-7f6b9c-crash',
                container: 'worker',
                lastExitCode: 1,
                lastReason: 'Error',
              }),
            ],
          }),
        }),
      ]);
      expect(findings(evaluation, 'DeploymentReplicasMismatch')).toEqual([
        expect.objectContaining({
          subject: { kind: 'Deployment', namespace: 'shop', name: 'worker' },
          details: expect.objectContaining({
            cause: expect.objectContaining({ kind: 'CrashLoop' }),
          }),
        }),
      ]);
    });

    it('names the cause of a stuck rollout and dates the deadline from history', () => {
      const checkout = snapshot.workloads.find((w) => w.name === 'checkout');
      expect(checkout?.conditionSince?.rolloutStuck).toBe(isoMinutesAgo(20));
      expect(findings(evaluation, 'DeploymentRolloutStuck')).toEqual([
        expect.objectContaining({
          since: isoMinutesAgo(20),
          details: expect.objectContaining({
            newReplicaSet: 'checkout-5b7d4f9c8',
            cause: expect.objectContaining({ kind: 'ImagePull', image: 'shop/checkout:9.9.9' }),
          }),
        }),
      ]);
    });

    it('marks what EKS hides as not observable rather than missing', () => {
      expect(snapshot.provider).toBe('eks');
      expect(snapshot.parts.controlPlane?.state).toBe('notObservable');
      expect(snapshot.parts.etcd?.state).toBe('notObservable');
      expect(snapshot.metricsMissing).toBeUndefined();
    });
  });

  describe('kube-state-metrics absent or stale', () => {
    it('absent: MetricsMissing fires and the rollout rules are skipped, never passed', async () => {
      const { snapshot } = await collect('bare');
      const evaluation = evaluateAll(snapshot);
      expect(snapshot.metricsMissing).toContainEqual(
        expect.objectContaining({ series: 'kube-state-metrics', problem: 'absent' }),
      );
      // The kubelet's own build info stands in for kube_node_info.
      expect(snapshot.parts.nodes).toEqual({ state: 'collected' });
      const ksm = snapshot.metricsMissing?.find((m) => m.series === 'kube-state-metrics');
      expect(ksm?.affects).not.toContain('nodes');
      expect(findings(evaluation, 'MetricsMissing')).toContainEqual(
        expect.objectContaining({
          severity: 'warning',
          subject: { kind: 'Metric', name: 'kube-state-metrics' },
          summary: expect.stringMatching(/absent.*rules are skipped.*Install kube-state-metrics/),
        }),
      );
      for (const ruleId of [
        'DeploymentGenerationMismatch',
        'PodCrashLooping',
        'DaemonSetRolloutStuck',
      ]) {
        expect(evaluation.coverage).toContainEqual({
          ruleId,
          status: 'skipped',
          reason: expect.stringContaining('kube-state-metrics') as unknown as string,
          unmet: expect.arrayContaining([
            expect.objectContaining({
              state: 'missing',
              reason: expect.stringContaining('kube-state-metrics') as unknown,
            }),
          ]) as unknown as [],
        });
      }
      expect(evaluation.coverage).toContainEqual({
        ruleId: 'KubeletVersionSkew',
        status: 'evaluated',
      });
    });

    it('stale: says when it stopped and that its target is down', async () => {
      const { snapshot } = await collect('stale');
      expect(snapshot.metricsMissing).toContainEqual(
        expect.objectContaining({
          series: 'kube-state-metrics',
          problem: 'stale',
          hint: expect.stringContaining(`stopped reporting at ${isoMinutesAgo(40)}`),
        }),
      );
      const ksm = snapshot.metricsMissing?.find((m) => m.series === 'kube-state-metrics');
      expect(ksm?.hint).toContain('up == 0');
      expect(snapshot.metricsMissing).toContainEqual({
        series: 'etcd_server_version',
        problem: 'stale',
        affects: ['etcd'],
        hint: expect.stringContaining(
          `It stopped arriving at ${isoMinutesAgo(30)}.`,
        ) as unknown as string,
      });
    });
  });

  describe('a Prometheus serving two clusters', () => {
    it('keeps the clusters apart with the selector', async () => {
      const east = await collect('east');
      const west = await collect('west');
      expect(east.snapshot.controlPlane.map((c) => c.version.raw)).toEqual(['v1.30.2']);
      expect(west.snapshot.controlPlane.map((c) => c.version.raw)).toEqual(['v1.27.9']);
      expect(east.snapshot.nodes.map((n) => n.name)).toEqual(['east-1']);
      expect(east.snapshot.workloads).toEqual([]);
      expect(west.snapshot.workloads).toEqual([
        expect.objectContaining({ name: 'web', generation: 9, observedGeneration: 8 }),
      ]);
    });

    it('accepts regex matchers, and refuses to read several clusters as one', async () => {
      const regex = await collect('east', { selector: 'cluster=~"eas.*"' });
      expect(regex.snapshot.nodes.map((n) => n.name)).toEqual(['east-1']);
      // Mixed, east's 1.30 apiserver and west's 1.27 one would fire false skew findings.
      const everything = collect('all', { selector: '' });
      await expect(everything).rejects.toMatchObject({ source: 'prometheus', kind: 'config' });
      await expect(everything).rejects.toThrow(/no selector picks one/);
    });
  });

  it('sends the same number of requests for 2 and for 40 nodes and Deployments', async () => {
    const small = await collect('small');
    const large = await collect('large');
    expect(small.snapshot.nodes).toHaveLength(2);
    expect(large.snapshot.nodes).toHaveLength(40);
    // The probe, seven first-round queries (with the version history and deprecated APIs), and fields, since and
    // ReplicaSets of the offender.
    expect(small.stats.requests).toBe(11);
    expect(large.stats.requests).toBe(small.stats.requests);
    expect(large.stats.retries).toBe(0);
    // Only the offending Deployment comes back, whatever the size.
    expect(large.snapshot.workloads.map((w) => w.name)).toEqual(['app-0']);
  });

  it('runs range queries over the backfilled window', async () => {
    const client = await PrometheusClient.create({ url: prometheus.url, auth: { type: 'none' } });
    const series = await client.range(
      'kube_deployment_metadata_generation{cluster="rollout",deployment="web-recent"}',
      NOW_MS - 10 * 60_000,
      NOW_MS,
      60,
    );
    expect(series).toHaveLength(1);
    const values = series[0]?.values.map(([, v]) => v);
    expect(values).toEqual([6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7]);
    expect(series[0]?.values[0]?.[0]).toBe(NOW_MS - 10 * 60_000);
  });
});
