/**
 * The version inventory from Prometheus: control-plane instances from build info, kubelets and
 * kube-proxies per node, etcd, kube-system pod images where a component is not scraped, and the
 * snapshot parts it settles.
 */
import type {
  ControlPlaneComponent,
  ControlPlaneInstance,
  MissingMetric,
  NodeInfo,
  PartStatus,
  SnapshotPart,
  VersionRef,
} from '../../rules/model';
import { opt } from '../../util/opt';
import { MANAGED_PLATFORMS, detectProvider, NODE_GROUP_LABELS } from '../kube-objects';
import type { Sample } from './types';
import type { PrometheusSnapshotInput } from './snapshot-input';
import type { PrometheusJobs } from './queries';
import { versionSeries } from './queries';
import type { KsmPresence } from './presence';
import { COLLECTED, iso, sanitize } from './series';

/** Jobs that export kubernetes_build_info but are no part of the skew policy. */
const IGNORED_JOBS = /^(coredns|kube-dns)$/;
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

export function readVersions(
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
  return detectProvider(
    [
      ...controlPlane.filter((c) => c.component === 'kube-apiserver').map((c) => c.version.raw),
      ...[...nodeInfo.values()].slice(0, 20).map((i) => i['kubelet_version'] ?? ''),
      ...[...kubeletBuild.values()].slice(0, 20).map((r) => r.raw),
    ],
    [...nodeLabels.values()].map(
      (labels) => (label: string) => Boolean(labels[`label_${sanitize(label)}`]),
    ),
  );
}

export function assignVersionParts(
  parts: Partial<Record<SnapshotPart, PartStatus>>,
  missing: MissingMetric[],
  inv: VersionInventory,
  ksm: KsmPresence,
  input: PrometheusSnapshotInput,
): void {
  const has = (component: ControlPlaneComponent): boolean =>
    inv.controlPlane.some((c) => c.component === component);
  const managed = inv.provider ? MANAGED_PLATFORMS[inv.provider] : undefined;
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

export function nodesOf(inv: VersionInventory, collected: boolean, notes: string[]): NodeInfo[] {
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
      ...opt('containerRuntime', info?.['container_runtime_version']),
      ...opt('osImage', info?.['os_image']),
      ...opt('kernelVersion', info?.['kernel_version']),
      ...opt('architecture', labels['label_kubernetes_io_arch']),
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
