/**
 * Turns the answers of the Prometheus query set into the same ClusterSnapshot the Kubernetes
 * collectors build: versions per instance and node with provenance, offending workloads with
 * `conditionSince` from history, problem pods, and `metricsMissing` for absent or stale series.
 * Pure: no I/O, no clock.
 */
import type {
  ClusterSnapshot,
  Condition,
  ContainerInfo,
  ContainerState,
  ControlPlaneComponent,
  ControlPlaneInstance,
  DaemonSetInfo,
  DeploymentInfo,
  MissingMetric,
  NodeInfo,
  OwnerRef,
  PartStatus,
  PodInfo,
  ReplicaSetInfo,
  RolloutCondition,
  SnapshotPart,
  StatefulSetInfo,
  VersionRef,
  Workload,
  WorkloadBase,
} from '../../rules/model';
import type { SourceError } from '../errors';
import { readFailureOf } from '../errors';
import { missingMetricsFor } from '../merge';
import { NODE_GROUP_LABELS } from '../kube-objects/normalize';
import type { InstantResult, Sample } from './client';
import type { KindSpec, PrometheusJobs, QueryId, QuerySettings } from './queries';
import {
  CONDITION_LABEL,
  EDGE_LABEL,
  KINDS,
  kindQueryIds,
  PRESENCE_FAMILIES,
  PROBE_LABEL,
  versionSeries,
} from './queries';

/** The answer to one query: its result, or why it failed. */
export type QueryOutcome =
  ({ readonly ok: true } & InstantResult) | { readonly ok: false; readonly error: SourceError };

/** Everything buildPrometheusSnapshot reads. */
export interface PrometheusSnapshotInput {
  readonly cluster: string;
  readonly collectedAt: string;
  readonly outcomes: Readonly<Partial<Record<QueryId, QueryOutcome>>>;
  readonly jobs: PrometheusJobs;
  readonly settings: QuerySettings;
  /** The selector as the user gave it, for hints. */
  readonly selectorText: string;
}

const COLLECTED: PartStatus = { state: 'collected' };
const MANAGED: Readonly<Record<string, string>> = { eks: 'EKS', gke: 'GKE', aks: 'AKS' };
/** Jobs that export kubernetes_build_info but are no part of the skew policy. */
const IGNORED_JOBS = /^(coredns|kube-dns)$/;
const KSM_PARTS: readonly SnapshotPart[] = [
  'nodes',
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
];

/** Builds the snapshot from the query outcomes; parts whose queries failed are marked missing. */
export function buildPrometheusSnapshot(input: PrometheusSnapshotInput): ClusterSnapshot {
  const notes: string[] = [];
  const samples = (id: QueryId): readonly Sample[] | undefined => {
    const outcome = input.outcomes[id];
    return outcome?.ok ? outcome.samples : undefined;
  };
  const failure = (id: QueryId): string => {
    const outcome = input.outcomes[id];
    if (!outcome) return `the ${id} query was not run`;
    return outcome.ok ? '' : `the ${id} query failed: ${outcome.error.message}`;
  };
  for (const [id, outcome] of Object.entries(input.outcomes)) {
    if (outcome.ok) {
      for (const w of outcome.warnings) notes.push(`Prometheus warned on the ${id} query: ${w}`);
    }
  }
  const evaluatedAt = Math.min(
    Date.parse(input.collectedAt),
    ...Object.values(input.outcomes).flatMap((o) =>
      o.ok && o.evaluatedAt !== undefined ? [o.evaluatedAt] : [],
    ),
  );

  const ksm = readPresence(samples('presence'), failure('presence'), input);
  const versions = samples('versions');
  const inv = versions
    ? readVersions(versions, samples('systemPods') ?? [], input.jobs, notes)
    : undefined;
  if (!samples('systemPods'))
    notes.push(`${failure('systemPods')}; kube-system pod images were not read.`);

  const parts: Partial<Record<SnapshotPart, PartStatus>> = { sources: COLLECTED };
  const missing: MissingMetric[] = [...ksm.missing];
  // Parts fed by kube-state-metrics: missing when it is, or when their query failed.
  const ksmPart = (part: SnapshotPart, ...queries: QueryId[]): PartStatus => {
    const problem = ksm.problems.get(part);
    if (problem && input.outcomes.presence?.ok === false) return missingPart('presence');
    if (problem) return { state: 'missing', reason: problem };
    const failed = queries.find((id) => !samples(id));
    return failed ? missingPart(failed) : COLLECTED;
  };
  // A failed query (not an absent family) carries its error, so the CLI can warn about it.
  const missingPart = (id: QueryId): PartStatus => {
    const outcome = input.outcomes[id];
    return {
      state: 'missing',
      reason: failure(id),
      ...(outcome && !outcome.ok ? { failures: [readFailureOf(outcome.error)] } : {}),
    };
  };

  parts.replicasets = ksmPart('replicasets', 'replicasets');
  const rsOwners = readReplicaSetOwners(samples('replicasets') ?? []);
  const pods = readPods(samples('pods') ?? [], rsOwners);
  parts.pods = ksmPart('pods', 'pods');
  const workloads: Workload[] = [];
  for (const kind of KINDS) {
    const ids = kindQueryIds(kind.kind);
    parts[kind.part] = ksmPart(kind.part, ids.fields);
    const fields = samples(ids.fields);
    if (!fields || parts[kind.part]?.state !== 'collected') continue;
    const since = samples(ids.since);
    if (!since) notes.push(`${failure(ids.since)}; when ${kind.kind} conditions began is unknown.`);
    workloads.push(...readWorkloads(kind, fields, since ?? [], input.settings, evaluatedAt));
  }
  if (parts.pods.state === 'collected') {
    notes.push(
      'Prometheus: pods were read where a container waits in an error state or restarts, and for workloads whose rollout looks unhealthy; only those workloads are listed.',
    );
  }

  if (!inv) {
    for (const part of ['apiserver', 'controlPlane', 'etcd', 'nodes', 'kubeProxy'] as const)
      parts[part] = missingPart('versions');
  } else {
    assignVersionParts(parts, missing, inv, ksm, input);
  }

  return {
    cluster: input.cluster,
    collectedAt: input.collectedAt,
    sources: [{ source: 'prometheus', status: 'ok' }],
    parts,
    ...(inv?.provider ? { provider: inv.provider } : {}),
    controlPlane: inv?.controlPlane ?? [],
    nodes: inv ? nodesOf(inv, parts.nodes?.state === 'collected', notes) : [],
    workloads,
    replicaSets: readReplicaSets(samples('replicasets') ?? [], pods),
    pods,
    notes: [...notes, ...ksm.notes],
    // kubelet build info stands in for kube_node_info, pod images for build info.
    ...missingMetricsFor(missing, parts),
  };
}

// ---------------------------------------------------------------------------------------------
// kube-state-metrics presence

/** What the presence query says about kube-state-metrics, per part. */
interface KsmPresence {
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

function readPresence(
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

// ---------------------------------------------------------------------------------------------
// Versions

/** Versions read from build info, node info, etcd and kube-system pod images. */
interface VersionInventory {
  readonly controlPlane: ControlPlaneInstance[];
  readonly nodeInfo: Map<string, Readonly<Record<string, string>>>;
  readonly nodeLabels: Map<string, Readonly<Record<string, string>>>;
  readonly nodeCreated: Map<string, number>;
  readonly kubeletBuild: Map<string, VersionRef>;
  readonly kubeProxy: Map<string, VersionRef>;
  readonly provider?: string;
}

type BuildComponent = Exclude<ControlPlaneComponent, 'etcd'> | 'kubelet' | 'kube-proxy';

function jobMatchers(jobs: PrometheusJobs): [BuildComponent, RegExp][] {
  const anchored = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`);
  return [
    ['kube-apiserver', anchored(jobs.apiserver)],
    ['kubelet', anchored(jobs.kubelet)],
    ['kube-proxy', anchored(jobs.kubeProxy)],
    ['kube-controller-manager', anchored(jobs.controllerManager)],
    ['kube-scheduler', anchored(jobs.scheduler)],
    ['cloud-controller-manager', anchored(jobs.cloudControllerManager)],
  ];
}

function readVersions(
  samples: readonly Sample[],
  systemPods: readonly Sample[],
  jobs: PrometheusJobs,
  notes: string[],
): VersionInventory {
  const nodeInfo = new Map<string, Readonly<Record<string, string>>>();
  const nodeLabels = new Map<string, Readonly<Record<string, string>>>();
  const nodeCreated = new Map<string, number>();
  for (const s of samples) {
    const node = s.metric['node'];
    if (!node) continue;
    const name = s.metric['__name__'];
    if (name === 'kube_node_info' && !nodeInfo.has(node)) nodeInfo.set(node, s.metric);
    if (name === 'kube_node_labels') nodeLabels.set(node, { ...nodeLabels.get(node), ...s.metric });
    if (name === 'kube_node_created') nodeCreated.set(node, s.value);
  }
  const ipToNode = new Map<string, string>();
  for (const [node, info] of nodeInfo) {
    if (info['internal_ip']) ipToNode.set(info['internal_ip'], node);
  }
  const nodeOf = (labels: Readonly<Record<string, string>>): string | undefined => {
    if (labels['node']) return labels['node'];
    const host = hostOf(labels['instance'] ?? '');
    return ipToNode.get(host) ?? (nodeInfo.has(host) ? host : undefined);
  };

  const matchers = jobMatchers(jobs);
  const controlPlane = new Map<string, ControlPlaneInstance>();
  const kubeletBuild = new Map<string, VersionRef>();
  const kubeProxy = new Map<string, VersionRef>();
  const unknownJobs = new Set<string>();
  const unmapped: string[] = [];
  for (const s of samples) {
    if (s.metric['__name__'] !== 'kubernetes_build_info') continue;
    const job = s.metric['job'] ?? '';
    const gitVersion = s.metric['git_version'];
    if (!gitVersion || IGNORED_JOBS.test(job)) continue;
    const component = matchers.find(([, re]) => re.test(job))?.[0];
    if (!component) {
      unknownJobs.add(job);
      continue;
    }
    const instance = s.metric['instance'] ?? s.metric['pod'] ?? job;
    const ref: VersionRef = {
      raw: gitVersion,
      source: `prometheus kubernetes_build_info{job="${job}",instance="${instance}"}`,
    };
    const node = nodeOf(s.metric);
    if (component === 'kubelet' || component === 'kube-proxy') {
      if (!node) {
        unmapped.push(`${component} ${instance}`);
        continue;
      }
      (component === 'kubelet' ? kubeletBuild : kubeProxy).set(node, ref);
      continue;
    }
    controlPlane.set(`${component}/${instance}`, {
      component,
      instance,
      version: ref,
      ...(node ? { node } : {}),
    });
  }
  for (const s of samples) {
    if (s.metric['__name__'] !== 'etcd_server_version') continue;
    const instance = s.metric['instance'] ?? s.metric['pod'] ?? 'etcd';
    const raw = s.metric['server_version'];
    if (!raw) continue;
    const cluster = samples.find(
      (c) => c.metric['__name__'] === 'etcd_cluster_version' && c.metric['instance'] === instance,
    )?.metric['cluster_version'];
    const node = nodeOf(s.metric);
    controlPlane.set(`etcd/${instance}`, {
      component: 'etcd',
      instance,
      version: {
        raw,
        source: `prometheus etcd_server_version{instance="${instance}"}${cluster ? ` (cluster version ${cluster})` : ''}`,
      },
      ...(node ? { node } : {}),
    });
  }

  // Components that are not scraped still show their version in their kube-system pod's image.
  const scraped = new Set([...controlPlane.values()].map((c) => c.component));
  for (const s of systemPods) {
    const { container, pod, image } = s.metric;
    const node = s.metric['node'];
    if (!container || !pod || !image) continue;
    const ref: VersionRef = {
      raw: image,
      source: `prometheus kube_pod_container_info{namespace="kube-system",pod="${pod}"} image`,
    };
    if (container === 'kube-proxy') {
      if (node && !kubeProxy.has(node)) kubeProxy.set(node, ref);
      continue;
    }
    const component = container as ControlPlaneComponent;
    if (scraped.has(component)) continue;
    controlPlane.set(`${component}/${pod}`, {
      component,
      instance: pod,
      version: ref,
      ...(node ? { node } : {}),
    });
  }

  if (unknownJobs.size > 0) {
    notes.push(
      `kubernetes_build_info of job(s) ${[...unknownJobs].sort().join(', ')} was not used: it matches no component's job pattern (set prometheus jobs.* to include it if it is one).`,
    );
  }
  if (unmapped.length > 0) {
    notes.push(
      `${unmapped.length} build-info instance(s) could not be matched to a node (no node label, and no kube_node_info internal_ip for the address): ${unmapped.slice(0, 3).join(', ')}.`,
    );
  }
  const instances = [...controlPlane.values()].sort(
    (a, b) => a.component.localeCompare(b.component) || a.instance.localeCompare(b.instance),
  );
  const provider = providerOf(instances, kubeletBuild, nodeInfo, nodeLabels);
  return {
    controlPlane: instances,
    nodeInfo,
    nodeLabels,
    nodeCreated,
    kubeletBuild,
    kubeProxy,
    ...(provider ? { provider } : {}),
  };
}

/** `10.0.0.1` of `10.0.0.1:10249`, `fd00::1` of `[fd00::1]:10249`. */
function hostOf(instance: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
  if (bracketed?.[1]) return bracketed[1];
  return instance.replace(/:\d+$/, '');
}

/** eks | gke | aks | k3s | rke2 from version suffixes or node labels. */
function providerOf(
  controlPlane: readonly ControlPlaneInstance[],
  kubeletBuild: ReadonlyMap<string, VersionRef>,
  nodeInfo: ReadonlyMap<string, Readonly<Record<string, string>>>,
  nodeLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
): string | undefined {
  const versions = [
    ...controlPlane.filter((c) => c.component === 'kube-apiserver').map((c) => c.version.raw),
    ...[...nodeInfo.values()].slice(0, 20).map((i) => i['kubelet_version'] ?? ''),
    ...[...kubeletBuild.values()].slice(0, 20).map((r) => r.raw),
  ];
  for (const v of versions) {
    if (/-eks-/.test(v)) return 'eks';
    if (/-gke\./.test(v)) return 'gke';
    if (/\+k3s/.test(v)) return 'k3s';
    if (/\+rke2/.test(v)) return 'rke2';
  }
  for (const labels of [...nodeLabels.values()].slice(0, 20)) {
    if (
      labels['label_eks_amazonaws_com_nodegroup'] ||
      labels['label_eks_amazonaws_com_compute_type']
    )
      return 'eks';
    if (labels['label_cloud_google_com_gke_nodepool']) return 'gke';
    if (labels['label_kubernetes_azure_com_cluster']) return 'aks';
  }
  return undefined;
}

function assignVersionParts(
  parts: Partial<Record<SnapshotPart, PartStatus>>,
  missing: MissingMetric[],
  inv: VersionInventory,
  ksm: KsmPresence,
  input: PrometheusSnapshotInput,
): void {
  const has = (component: ControlPlaneComponent): boolean =>
    inv.controlPlane.some((c) => c.component === component);
  const managed = inv.provider ? MANAGED[inv.provider] : undefined;
  const podsNote = ksm.podInfo
    ? 'and no such pod in kube-system'
    : 'and kube-system pods could not be read (kube-state-metrics is missing)';
  const series = Object.fromEntries(
    versionSeries(input.jobs).map((v) => [
      v.part,
      `${v.metric}${v.matchers.length > 0 ? `{${v.matchers.join(',')}}` : ''}`,
    ]),
  ) as Record<'apiserver' | 'controlPlane' | 'etcd', string>;
  /** Missing version series: stale when Prometheus had it within the lookback, else absent. */
  const absentOrStale = (
    part: 'apiserver' | 'controlPlane' | 'etcd',
    what: string,
    fix: string,
  ): PartStatus => {
    const seen = ksm.versionSeen.get(part);
    const problem = seen !== undefined ? 'stale' : 'absent';
    const when = seen !== undefined ? `It stopped arriving at ${iso(seen * 1000)}. ` : '';
    missing.push({ series: series[part], problem, affects: [part], hint: `${when}${fix}` });
    return {
      state: 'missing',
      reason: `${series[part]} is ${problem} for ${what}, ${podsNote} (see MetricsMissing)`,
    };
  };
  const managedPart = (found: boolean, what: string): PartStatus | undefined => {
    if (found) return COLLECTED;
    return managed
      ? {
          state: 'notObservable',
          reason: `${managed} manages ${what} itself, out of sight of Prometheus`,
        }
      : undefined;
  };

  parts.apiserver = has('kube-apiserver')
    ? COLLECTED
    : absentOrStale(
        'apiserver',
        'kube-apiserver',
        'Scrape the apiserver (kube-prometheus-stack: kubeApiServer.enabled=true), or set prometheus jobs.apiserver to the job name that scrapes it.',
      );
  const controllersWhat = 'kube-controller-manager and kube-scheduler';
  parts.controlPlane =
    managedPart(
      has('kube-controller-manager') || has('kube-scheduler') || has('cloud-controller-manager'),
      controllersWhat,
    ) ??
    absentOrStale(
      'controlPlane',
      controllersWhat,
      'Scrape kube-controller-manager and kube-scheduler (kubeadm binds them to 127.0.0.1: set --bind-address=0.0.0.0), or set prometheus jobs.controllerManager / jobs.scheduler.',
    );
  parts.etcd =
    managedPart(has('etcd'), 'etcd') ??
    absentOrStale(
      'etcd',
      'etcd',
      'Scrape etcd (kube-prometheus-stack: kubeEtcd.enabled=true, with its client certificates).',
    );

  // The kubelet's own build info stands in for kube_node_info.
  parts.nodes =
    (ksm.nodeInfo && inv.nodeInfo.size > 0) || inv.kubeletBuild.size > 0
      ? COLLECTED
      : {
          state: 'missing',
          reason: ksm.problems.get('nodes') ?? 'no kube_node_info and no kubelet build info series',
        };
  parts.kubeProxy =
    inv.kubeProxy.size > 0
      ? COLLECTED
      : {
          state: 'missing',
          reason: ksm.podInfo
            ? 'no kube-proxy build info and no kube-proxy pods in kube-system (expected when a kube-proxy replacement such as Cilium is used)'
            : 'no kube-proxy build info, and kube-system pods could not be read (kube-state-metrics is missing)',
        };
}

function nodesOf(inv: VersionInventory, collected: boolean, notes: string[]): NodeInfo[] {
  if (!collected) return [];
  const names = inv.nodeInfo.size > 0 ? [...inv.nodeInfo.keys()] : [...inv.kubeletBuild.keys()];
  const disagreements: string[] = [];
  const nodes = names.sort().map((name): NodeInfo => {
    const info = inv.nodeInfo.get(name);
    const build = inv.kubeletBuild.get(name);
    const fromInfo = info?.['kubelet_version'];
    const kubeletVersion: VersionRef = fromInfo
      ? { raw: fromInfo, source: `prometheus kube_node_info{node="${name}"} kubelet_version` }
      : (build ?? { raw: '', source: `prometheus: no kubelet version for node ${name}` });
    if (fromInfo && build && build.raw !== fromInfo)
      disagreements.push(`${name} (${fromInfo} vs ${build.raw})`);
    const labels = inv.nodeLabels.get(name) ?? {};
    const nodeGroup = NODE_GROUP_LABELS.map((l) => labels[`label_${sanitize(l)}`]).find(
      (v) => v !== undefined && v !== '',
    );
    const proxy = inv.kubeProxy.get(name);
    const created = inv.nodeCreated.get(name);
    return {
      name,
      kubeletVersion,
      ...(proxy ? { kubeProxyVersion: proxy } : {}),
      ...(nodeGroup ? { nodeGroup } : {}),
      ...optional('containerRuntime', info?.['container_runtime_version']),
      ...optional('osImage', info?.['os_image']),
      ...optional('architecture', labels['label_kubernetes_io_arch']),
      ...(created !== undefined ? { createdAt: iso(created * 1000) } : {}),
    };
  });
  if (disagreements.length > 0) {
    notes.push(
      `kube_node_info and the kubelet's own build info disagree on ${disagreements.length} node(s), kube_node_info is used: ${disagreements.slice(0, 3).join(', ')}.`,
    );
  }
  if (inv.kubeProxy.size === 0 && [...inv.nodeInfo.values()].some((i) => i['kubeproxy_version'])) {
    notes.push(
      "kube_node_info's kubeproxy_version label is ignored: it is deprecated and only copies the kubelet version.",
    );
  }
  return nodes;
}

/** A Kubernetes label name as kube-state-metrics turns it into a Prometheus label suffix. */
function sanitize(label: string): string {
  return label.replace(/[^a-zA-Z0-9_]/g, '_');
}

// ---------------------------------------------------------------------------------------------
// Workloads

/** Samples grouped by `namespace/name` of the object in `label`. */
function groupByObject(samples: readonly Sample[], label: string): Map<string, Sample[]> {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const name = s.metric[label];
    const namespace = s.metric['namespace'];
    if (!name || !namespace) continue;
    const key = `${namespace}/${name}`;
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return groups;
}

/** Reads one object's series: numbers by metric name, and labels of the one-hot series set to 1. */
class ObjectSeries {
  constructor(
    private readonly prefix: string,
    private readonly samples: readonly Sample[],
  ) {}

  private of(suffix: string): Sample[] {
    const name = this.prefix ? `${this.prefix}_${suffix}` : suffix;
    return this.samples.filter((s) => s.metric['__name__'] === name);
  }

  has(suffix: string): boolean {
    return this.of(suffix).length > 0;
  }

  /** The value (the largest, when replicas of the exporter both report it). */
  num(suffix: string): number | undefined {
    const values = this.of(suffix)
      .map((s) => s.value)
      .filter(Number.isFinite);
    return values.length > 0 ? Math.max(...values) : undefined;
  }

  /** Label sets of the series of a one-hot family that are 1 (the current state). */
  active(suffix: string): Readonly<Record<string, string>>[] {
    return this.of(suffix)
      .filter((s) => s.value === 1)
      .map((s) => s.metric);
  }

  label(suffix: string, label: string): string | undefined {
    return this.active(suffix)
      .map((m) => m[label])
      .find((v) => v !== undefined && v !== '');
  }

  /** An epoch-seconds gauge as ISO time. */
  time(suffix: string): string | undefined {
    const v = this.num(suffix);
    return v !== undefined && v > 0 ? iso(v * 1000) : undefined;
  }
}

function readWorkloads(
  kind: KindSpec,
  fields: readonly Sample[],
  since: readonly Sample[],
  settings: QuerySettings,
  evaluatedAt: number,
): Workload[] {
  const sinceByObject = readSince(kind, since, settings, evaluatedAt);
  const workloads: Workload[] = [];
  for (const [key, group] of groupByObject(fields, kind.label)) {
    const [namespace = '', name = ''] = key.split('/');
    const f = new ObjectSeries(kind.prefix, group);
    const conditionSince = sinceByObject.get(key) ?? {};
    const base: WorkloadBase = {
      namespace,
      name,
      ...optional('generation', f.num('metadata_generation')),
      ...optional('observedGeneration', f.num('status_observed_generation')),
      labels: {},
      selector: {},
      conditions: conditionsOf(f, conditionSince),
      ...optional('createdAt', f.time('created')),
      ...(Object.keys(conditionSince).length > 0 ? { conditionSince } : {}),
    };
    workloads.push(workloadOf(kind.kind, base, f));
  }
  return workloads.sort((a, b) =>
    `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
  );
}

function workloadOf(kind: KindSpec['kind'], base: WorkloadBase, f: ObjectSeries): Workload {
  const n = (suffix: string): number => f.num(suffix) ?? 0;
  switch (kind) {
    case 'Deployment': {
      const revision = f.label('annotations', 'annotation_deployment_kubernetes_io_revision');
      const d: DeploymentInfo = {
        ...base,
        kind,
        replicas: f.num('spec_replicas') ?? 1,
        updatedReplicas: n('status_replicas_updated'),
        readyReplicas: n('status_replicas_ready'),
        availableReplicas: n('status_replicas_available'),
        unavailableReplicas: n('status_replicas_unavailable'),
        paused: f.num('spec_paused') === 1,
        // kube-state-metrics exports the rolling-update parameters only for RollingUpdate.
        strategy: f.has('spec_strategy_rollingupdate_max_unavailable')
          ? 'RollingUpdate'
          : 'Recreate',
        ...optional('revision', revision),
      };
      return d;
    }
    case 'StatefulSet': {
      const ready = n('status_replicas_ready');
      const s: StatefulSetInfo = {
        ...base,
        kind,
        replicas: f.num('replicas') ?? 1,
        readyReplicas: ready,
        currentReplicas: n('status_replicas_current'),
        updatedReplicas: n('status_replicas_updated'),
        availableReplicas: f.num('status_replicas_available') ?? ready,
        ...optional('currentRevision', f.label('status_current_revision', 'revision')),
        ...optional('updateRevision', f.label('status_update_revision', 'revision')),
        // Not exported by kube-state-metrics; RollingUpdate is the API default.
        updateStrategy: 'RollingUpdate',
      };
      return s;
    }
    case 'DaemonSet': {
      const ds: DaemonSetInfo = {
        ...base,
        kind,
        desiredNumberScheduled: n('status_desired_number_scheduled'),
        currentNumberScheduled: n('status_current_number_scheduled'),
        updatedNumberScheduled: n('status_updated_number_scheduled'),
        numberAvailable: n('status_number_available'),
        numberReady: n('status_number_ready'),
        numberMisscheduled: n('status_number_misscheduled'),
        numberUnavailable: n('status_number_unavailable'),
        // Not exported by kube-state-metrics; RollingUpdate is the API default.
        updateStrategy: 'RollingUpdate',
      };
      return ds;
    }
  }
}

/**
 * The workload's conditions from kube_deployment_status_condition (Deployments only). Their
 * transition times are not exported; Progressing=False is dated from history instead.
 */
function conditionsOf(
  f: ObjectSeries,
  since: Partial<Record<RolloutCondition, string>>,
): Condition[] {
  const seen = new Set<string>();
  return f.active('status_condition').flatMap((m): Condition[] => {
    const type = m['condition'];
    // Replicated exporters report each condition once per replica.
    if (!type || seen.has(type)) return [];
    seen.add(type);
    const status = { true: 'True', false: 'False', unknown: 'Unknown' }[m['status'] ?? ''] as
      Condition['status'] | undefined;
    if (!type || !status) return [];
    const stuck = type === 'Progressing' && status === 'False';
    // The deployment controller sets Progressing=False only with ProgressDeadlineExceeded;
    // kube-state-metrics before 2.10 has no reason label.
    const reason = m['reason'] || (stuck ? 'ProgressDeadlineExceeded' : undefined);
    return [
      {
        type,
        status,
        ...optional('reason', reason),
        ...(stuck && since.rolloutStuck ? { lastTransitionTime: since.rolloutStuck } : {}),
      },
    ];
  });
}

/**
 * When each condition that holds now began: one subquery step after it last did not hold, or
 * when it was first seen in the lookback. Precision: the true start lies within the step before
 * the estimate, so a condition never looks older than it is (it may look up to one step, 1m by
 * default, plus one scrape interval younger). A condition older than the lookback (1h by
 * default) is dated to the lookback start: "at least that long". Never later than the
 * evaluation time.
 */
function readSince(
  kind: KindSpec,
  samples: readonly Sample[],
  settings: QuerySettings,
  evaluatedAt: number,
): Map<string, Partial<Record<RolloutCondition, string>>> {
  const edges = new Map<string, { lastFalse?: number; firstTrue?: number }>();
  for (const s of samples) {
    const name = s.metric[kind.label];
    const condition = s.metric[CONDITION_LABEL];
    const edge = s.metric[EDGE_LABEL];
    if (!name || !condition || !Number.isFinite(s.value)) continue;
    const key = `${s.metric['namespace'] ?? ''}/${name}\u0000${condition}`;
    const entry = edges.get(key) ?? {};
    if (edge === 'last_false') entry.lastFalse = Math.max(entry.lastFalse ?? -Infinity, s.value);
    if (edge === 'first_true') entry.firstTrue = Math.min(entry.firstTrue ?? Infinity, s.value);
    edges.set(key, entry);
  }
  const out = new Map<string, Partial<Record<RolloutCondition, string>>>();
  for (const [key, { lastFalse, firstTrue }] of edges) {
    const [object = '', condition = ''] = key.split('\u0000');
    const startS = lastFalse !== undefined ? lastFalse + settings.stepSeconds : firstTrue;
    if (startS === undefined) continue;
    const since = iso(Math.min(startS * 1000, evaluatedAt));
    out.set(object, { ...out.get(object), [condition]: since });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ReplicaSets and pods

/** ReplicaSet → owning Deployment, from kube_replicaset_owner. */
function readReplicaSetOwners(samples: readonly Sample[]): Map<string, OwnerRef> {
  const owners = new Map<string, OwnerRef>();
  for (const s of samples) {
    if (s.metric['__name__'] !== 'kube_replicaset_owner') continue;
    const { namespace, replicaset, owner_kind: kind, owner_name: name } = s.metric;
    if (!namespace || !replicaset || !kind || !name || kind === '<none>') continue;
    owners.set(`${namespace}/${replicaset}`, { kind, name });
  }
  return owners;
}

function readReplicaSets(samples: readonly Sample[], pods: readonly PodInfo[]): ReplicaSetInfo[] {
  const owners = readReplicaSetOwners(samples);
  const sets: ReplicaSetInfo[] = [];
  for (const [key, group] of groupByObject(samples, 'replicaset')) {
    const [namespace = '', name = ''] = key.split('/');
    const f = new ObjectSeries('kube_replicaset', group);
    const owner = owners.get(key);
    const ready = f.num('status_ready_replicas') ?? 0;
    const images = [
      ...new Set(
        pods
          .filter(
            (p) =>
              p.namespace === namespace && p.owner?.kind === 'ReplicaSet' && p.owner.name === name,
          )
          .flatMap((p) => p.containers.map((c) => c.image))
          .filter((i) => i !== ''),
      ),
    ].sort();
    const hash =
      owner && name.startsWith(`${owner.name}-`) ? name.slice(owner.name.length + 1) : undefined;
    sets.push({
      namespace,
      name,
      ...(owner ? { owner } : {}),
      ...optional(
        'revision',
        f
          .active('annotations')
          .map((m) => m['annotation_deployment_kubernetes_io_revision'])
          .find((v) => v !== undefined && v !== ''),
      ),
      ...optional('podTemplateHash', hash),
      replicas: f.num('spec_replicas') ?? 0,
      readyReplicas: ready,
      // kube-state-metrics has no availableReplicas for ReplicaSets; ready is the closest.
      availableReplicas: ready,
      conditions: [],
      images,
      ...optional('createdAt', f.time('created')),
    });
  }
  // Newest first: without revision annotations the rollout rules take the first as the new one.
  return sets.sort(
    (a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.name.localeCompare(b.name),
  );
}

const POD_PREFIX = 'kube_pod';

function readPods(samples: readonly Sample[], rsOwners: ReadonlyMap<string, OwnerRef>): PodInfo[] {
  const pods: PodInfo[] = [];
  for (const [key, group] of groupByObject(samples, 'pod')) {
    const [namespace = '', name = ''] = key.split('/');
    const f = new ObjectSeries(POD_PREFIX, group);
    const info = group.find((s) => s.metric['__name__'] === 'kube_pod_info')?.metric;
    const owners = group
      .filter((s) => s.metric['__name__'] === 'kube_pod_owner')
      .map((s) => s.metric)
      .filter((m) => m['owner_kind'] && m['owner_kind'] !== '<none>' && m['owner_name']);
    const ownerLabels = owners.find((m) => m['owner_is_controller'] === 'true') ?? owners[0];
    const owner: OwnerRef | undefined = ownerLabels
      ? { kind: ownerLabels['owner_kind'] ?? '', name: ownerLabels['owner_name'] ?? '' }
      : undefined;
    const workload = workloadOfOwner(namespace, owner, rsOwners);
    const phase = f.label('status_phase', 'phase') ?? 'Unknown';
    const labelSeries = f.active('labels')[0] ?? {};
    const labels: Record<string, string> = {};
    for (const known of [
      'controller-revision-hash',
      'pod-template-generation',
      'pod-template-hash',
    ]) {
      const value = labelSeries[`label_${sanitize(known)}`];
      if (value) labels[known] = value;
    }
    pods.push({
      namespace,
      name,
      ...optional('nodeName', info?.['node'] || undefined),
      phase,
      ...(owner ? { owner } : {}),
      ...(workload ? { workload } : {}),
      labels,
      conditions: podConditions(f),
      containers: containersOf(group, 'kube_pod_container'),
      initContainers: containersOf(group, 'kube_pod_init_container'),
      ...optional('createdAt', f.time('created')),
      ...optional('startTime', f.time('start_time')),
    });
  }
  return pods.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

function workloadOfOwner(
  namespace: string,
  owner: OwnerRef | undefined,
  rsOwners: ReadonlyMap<string, OwnerRef>,
): PodInfo['workload'] {
  if (!owner) return undefined;
  if (owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet')
    return { kind: owner.kind, name: owner.name };
  if (owner.kind !== 'ReplicaSet') return undefined;
  const rsOwner = rsOwners.get(`${namespace}/${owner.name}`);
  return rsOwner?.kind === 'Deployment' ? { kind: 'Deployment', name: rsOwner.name } : undefined;
}

function podConditions(f: ObjectSeries): Condition[] {
  const status = (v: string | undefined): Condition['status'] | undefined =>
    ({ true: 'True', false: 'False', unknown: 'Unknown' })[v ?? ''] as
      Condition['status'] | undefined;
  const conditions: Condition[] = [];
  const ready = status(f.label('status_ready', 'condition'));
  if (ready) conditions.push({ type: 'Ready', status: ready });
  const scheduled = status(f.label('status_scheduled', 'condition'));
  if (scheduled) {
    conditions.push({
      type: 'PodScheduled',
      status: scheduled,
      ...(scheduled === 'False' && f.num('status_unschedulable') === 1
        ? { reason: 'Unschedulable' }
        : {}),
    });
  }
  return conditions;
}

function containersOf(group: readonly Sample[], family: string): ContainerInfo[] {
  const byContainer = new Map<string, Sample[]>();
  for (const s of group) {
    const name = s.metric['__name__'] ?? '';
    const container = s.metric['container'];
    // `kube_pod_container_` does not prefix `kube_pod_init_container_`, so families stay apart.
    if (!container || !name.startsWith(`${family}_`)) continue;
    const list = byContainer.get(container);
    if (list) list.push(s);
    else byContainer.set(container, [s]);
  }
  return [...byContainer.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, samples]): ContainerInfo => {
      const c = new ObjectSeries(family, samples);
      const lastReason = c.label('status_last_terminated_reason', 'reason');
      const lastExit = c.num('status_last_terminated_exitcode');
      const lastAt = c.time('status_last_terminated_timestamp');
      const last =
        lastReason !== undefined || lastExit !== undefined || lastAt !== undefined
          ? {
              ...optional('reason', lastReason),
              ...optional('exitCode', lastExit),
              ...optional('finishedAt', lastAt),
            }
          : undefined;
      return {
        name,
        image: c.label('info', 'image') ?? '',
        ready: c.num('status_ready') === 1,
        restartCount: c.num('status_restarts_total') ?? 0,
        state: containerState(c),
        ...(last ? { lastTermination: last } : {}),
      };
    });
}

function containerState(c: ObjectSeries): ContainerState {
  const waitingReason = c.label('status_waiting_reason', 'reason');
  if (waitingReason !== undefined || c.num('status_waiting') === 1)
    return { kind: 'waiting', ...optional('reason', waitingReason) };
  if (c.num('status_running') === 1)
    return { kind: 'running', ...optional('startedAt', c.time('state_started')) };
  if (c.num('status_terminated') === 1)
    return {
      kind: 'terminated',
      ...optional('reason', c.label('status_terminated_reason', 'reason')),
    };
  return { kind: 'unknown' };
}

// ---------------------------------------------------------------------------------------------

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
