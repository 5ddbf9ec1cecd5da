/** What the presence query says about kube-state-metrics per snapshot part: present, stale, absent or down, and what is missing. */
import type { MissingMetric, SnapshotPart } from '../../rules/model';
import type { Sample } from './types';
import type { PrometheusSnapshotInput } from './snapshot-input';
import { PRESENCE_FAMILIES, PROBE_LABEL } from './queries';
import { iso } from './series';

const KSM_PARTS: readonly SnapshotPart[] = [
  'nodes',
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
];

/** What the presence query says about kube-state-metrics, per part. */
export interface KsmPresence {
  /** Why a kube-state-metrics part cannot be used, by part. */
  readonly problems: Map<SnapshotPart, string>;
  readonly missing: MissingMetric[];
  readonly notes: string[];
  /** Whether kube_node_info answered now. */
  readonly nodeInfo: boolean;
  /** Whether kube_pod_info answered now. */
  readonly podInfo: boolean;
  /** Last sighting (epoch s) of the apiserver, controller-manager/scheduler and etcd versions. */
  readonly versionSeen: ReadonlyMap<string, number>;
}

export function readPresence(
  samples: readonly Sample[] | undefined,
  failure: string,
  input: PrometheusSnapshotInput,
): KsmPresence {
  const problems = new Map<SnapshotPart, string>();
  const missing: MissingMetric[] = [];
  const notes: string[] = [];
  if (!samples) {
    for (const part of KSM_PARTS) problems.set(part, failure);
    return { problems, missing, notes, nodeInfo: false, podInfo: false, versionSeen: new Map() };
  }
  const probe = new Map(samples.map((s) => [s.metric[PROBE_LABEL] ?? '', s.value]));
  const versionSeen = new Map(
    ['apiserver', 'controlPlane', 'etcd'].flatMap((part) => {
      const at = probe.get(`seen:${part}`);
      return at === undefined ? [] : [[part, at] as const];
    }),
  );
  const now = (metric: string): boolean => (probe.get(`now:${metric}`) ?? 0) > 0;
  const seen = (metric: string): number | undefined => probe.get(`seen:${metric}`);
  const up = probe.get('up');
  const selector = input.selectorText.trim() ? ` matching ${input.selectorText.trim()}` : '';
  const checkSelector = input.selectorText.trim()
    ? ` If it runs, check the selector: \`count by (cluster) (kube_pod_info)\` shows the labels Prometheus has.`
    : '';

  if (!PRESENCE_FAMILIES.some((f) => now(f.metric))) {
    const lastSeen = Math.max(
      ...PRESENCE_FAMILIES.map((f) => seen(f.metric) ?? Number.NEGATIVE_INFINITY),
    );
    const stale = Number.isFinite(lastSeen);
    const lookback = `${Math.round(input.settings.presenceLookbackSeconds / 60)}m`;
    const reason = stale
      ? `kube-state-metrics series${selector} stopped at ${iso(lastSeen * 1000)} (stale; see MetricsMissing)`
      : `no kube-state-metrics series${selector} in Prometheus, now or in the last ${lookback} (absent; see MetricsMissing)`;
    for (const part of KSM_PARTS) problems.set(part, reason);
    missing.push({
      series: 'kube-state-metrics',
      problem: stale ? 'stale' : 'absent',
      // kube-proxy versions fall back to its pod images, which kube-state-metrics reports.
      affects: [...KSM_PARTS, 'kubeProxy'],
      hint: stale
        ? `kube-state-metrics stopped reporting at ${iso(lastSeen * 1000)}${up === 0 ? ' and its scrape target is down (up == 0)' : ''}: check that its pod runs (kubectl get pods -A -l app.kubernetes.io/name=kube-state-metrics) and that Prometheus scrapes it.`
        : `Install kube-state-metrics (Helm chart prometheus-community/kube-state-metrics) and scrape it${up === 0 ? '; its scrape target exists but is down (up == 0)' : ''}.${checkSelector}`,
    });
    return { problems, missing, notes, nodeInfo: false, podInfo: false, versionSeen };
  }

  // kube-state-metrics answers. Nearly every cluster has nodes, pods, Deployments (CoreDNS)
  // and ReplicaSets, so their absence means an exporter setting; StatefulSets and DaemonSets
  // may simply not exist.
  for (const { metric, part } of PRESENCE_FAMILIES) {
    if (now(metric)) continue;
    if (part === 'statefulsets' || part === 'daemonsets') {
      notes.push(
        `no ${metric} series${selector}: the cluster has no ${part}, or kube-state-metrics does not export them (--resources, --metric-denylist).`,
      );
      continue;
    }
    const lastSeen = seen(metric);
    const problem = lastSeen !== undefined ? 'stale' : 'absent';
    problems.set(part, `${metric} is ${problem} in Prometheus (see MetricsMissing)`);
    missing.push({
      series: metric,
      problem,
      affects: [part],
      hint:
        lastSeen !== undefined
          ? `${metric} stopped at ${iso(lastSeen * 1000)} while other kube-state-metrics series still arrive: check kube-state-metrics' logs for "forbidden" (RBAC for ${part}) and its --resources flag.`
          : `kube-state-metrics runs but does not export ${metric}: add ${part} to its --resources and remove the metric from --metric-denylist / relabel drop rules.`,
    });
  }
  return {
    problems,
    missing,
    notes,
    nodeInfo: now('kube_node_info'),
    podInfo: now('kube_pod_info'),
    versionSeen,
  };
}
