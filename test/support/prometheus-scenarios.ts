/**
 * Readable cluster scenarios for the Prometheus collector tests: a `ClusterMetrics` writes the
 * series kube-state-metrics, the components' build info and etcd would export for one cluster
 * (every series labelled `cluster="<name>"`), so several clusters share one test Prometheus and
 * the collector's selector keeps them apart.
 */
import type { Labels, Offset, Scenario, SeriesValue } from './openmetrics';
import { constant, counter, scenario, seconds, steps, Timeline } from './openmetrics';

/** Two hours at one-minute resolution: long enough for 1h of history, cheap to backfill. */
export const WINDOW = { start: '2026-11-21T10:00:00Z', end: '2026-11-21T12:00:00Z', step: '1m' };
/** The query time: the last sample, i.e. "now" in every scenario. */
export const NOW_OFFSET = '2h';
/** Epoch ms of NOW_OFFSET. */
export const NOW_MS = Date.parse(WINDOW.end);

/** `minutes` before the end of the window, as a scenario offset. */
export function minutesAgo(minutes: number): number {
  return seconds(NOW_OFFSET) - minutes * 60;
}

/** ISO time `minutes` before now. */
export function isoMinutesAgo(minutes: number): string {
  return new Date(NOW_MS - minutes * 60_000).toISOString();
}

/** A value that is `before` until `minutes` ago and `after` from then on. */
export function changedMinutesAgo(minutes: number, before: number, after: number): Timeline {
  return steps([
    [0, before],
    [minutesAgo(minutes), after],
  ]);
}

/** Epoch seconds of `minutes` before now, as kube-state-metrics' `*_created` gauges carry it. */
function epochMinutesAgo(minutes: number): number {
  return (NOW_MS - minutes * 60_000) / 1000;
}

/** A container of a pod as kube-state-metrics reports it. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly ready?: boolean;
  /** Restart counter over time. */
  readonly restarts?: SeriesValue;
  /** A current waiting reason (CrashLoopBackOff, ImagePullBackOff…). */
  readonly waiting?: string;
  /** Minutes before now the container began waiting (default: since the pod started). */
  readonly waitingForMinutes?: number;
  readonly lastTerminated?: { readonly reason: string; readonly exitCode: number };
  readonly init?: boolean;
}

/** A pod as kube-state-metrics reports it. */
export interface PodSpec {
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  readonly owner: { readonly kind: string; readonly name: string };
  readonly phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  readonly ready?: boolean;
  /** Minutes before now the pod was created and started. */
  readonly ageMinutes: number;
  readonly containers: readonly ContainerSpec[];
}

/** A Deployment's state over time; every field defaults to a healthy, settled rollout. */
export interface DeploymentSpec {
  readonly namespace: string;
  readonly name: string;
  readonly replicas?: number;
  readonly generation?: SeriesValue;
  readonly observedGeneration?: SeriesValue;
  readonly available?: SeriesValue;
  readonly updated?: SeriesValue;
  readonly ready?: SeriesValue;
  /** Progressing=False (ProgressDeadlineExceeded) from this offset on. */
  readonly deadlineExceededFrom?: Offset;
}

/** The series of one cluster inside a shared scenario. */
export class ClusterMetrics {
  constructor(
    private readonly data: Scenario,
    readonly name: string,
  ) {}

  private add(metric: string, labels: Labels, value: SeriesValue): this {
    this.data.series(metric, { cluster: this.name, ...labels }, value);
    return this;
  }

  /** A kubernetes_build_info series of a scrape job. */
  buildInfo(job: string, instance: string, gitVersion: string, extra: Labels = {}): this {
    return this.add(
      'kubernetes_build_info',
      { job, instance, git_version: gitVersion, ...extra },
      constant(1),
    );
  }

  /** An apiserver instance scraped by the kube-prometheus-stack `apiserver` job. */
  apiserver(ip: string, gitVersion: string): this {
    return this.buildInfo('apiserver', `${ip}:6443`, gitVersion);
  }

  /** An etcd member reporting its server version and the cluster version (until `until`). */
  etcd(ip: string, serverVersion: string, clusterVersion: string, until?: Offset): this {
    const labels = { job: 'kube-etcd', instance: `${ip}:2379` };
    const value = until === undefined ? constant(1) : constant(1).absentAfter(until);
    this.add('etcd_server_version', { ...labels, server_version: serverVersion }, value);
    return this.add('etcd_cluster_version', { ...labels, cluster_version: clusterVersion }, value);
  }

  /**
   * A node: kube_node_info (with the deprecated kubeproxy_version copy of the kubelet version,
   * which must be ignored), the kubelet's build info, and kube-proxy's build info when given.
   */
  node(name: string, ip: string, kubelet: string, kubeProxy?: string): this {
    this.add(
      'kube_node_info',
      {
        node: name,
        internal_ip: ip,
        kubelet_version: kubelet,
        kubeproxy_version: kubelet,
        container_runtime_version: 'containerd://1.7.13',
        os_image: 'Ubuntu 22.04.4 LTS',
      },
      constant(1),
    );
    this.add('kube_node_created', { node: name }, constant(epochMinutesAgo(600)));
    this.buildInfo('kubelet', `${ip}:10250`, kubelet, { node: name });
    // kube-proxy targets carry no node label: the collector maps their IP via internal_ip.
    if (kubeProxy !== undefined) this.buildInfo('kube-proxy', `${ip}:10249`, kubeProxy);
    return this;
  }

  /**
   * A deprecated API the apiserver at `ip` was asked for (`apiserver_requested_deprecated_apis`,
   * which stays 1 until a restart) and its requests (`apiserver_request_total`) at `perSecond`.
   */
  deprecatedApi(
    ip: string,
    api: { group: string; version: string; resource: string; removedRelease: string },
    perSecond: number,
  ): this {
    const at = { job: 'apiserver', instance: `${ip}:6443` };
    const gvr = { group: api.group, version: api.version, resource: api.resource };
    this.add(
      'apiserver_requested_deprecated_apis',
      { ...at, ...gvr, subresource: '', removed_release: api.removedRelease },
      constant(1),
    );
    return this.add(
      'apiserver_request_total',
      {
        ...at,
        ...gvr,
        subresource: '',
        verb: 'LIST',
        code: '200',
        scope: 'cluster',
        component: 'apiserver',
      },
      counter(perSecond),
    );
  }

  /** A Deployment with its kube-state-metrics series. */
  deployment(spec: DeploymentSpec): this {
    const labels = { namespace: spec.namespace, deployment: spec.name };
    const replicas = spec.replicas ?? 2;
    const generation = spec.generation ?? 1;
    const series = (suffix: string, value: SeriesValue, extra: Labels = {}): void => {
      this.add(`kube_deployment_${suffix}`, { ...labels, ...extra }, value);
    };
    series('metadata_generation', generation);
    series('status_observed_generation', spec.observedGeneration ?? generation);
    series('spec_replicas', replicas);
    series('status_replicas', replicas);
    series('status_replicas_updated', spec.updated ?? replicas);
    series('status_replicas_ready', spec.ready ?? spec.available ?? replicas);
    series('status_replicas_available', spec.available ?? replicas);
    const available = spec.available ?? replicas;
    series(
      'status_replicas_unavailable',
      typeof available === 'number'
        ? replicas - available
        : (t) => replicas - (toTimeline(available).at(t) ?? 0),
    );
    series('spec_paused', 0);
    series('spec_strategy_rollingupdate_max_unavailable', 1);
    series('created', epochMinutesAgo(600));
    series('status_condition', 1, {
      condition: 'Available',
      status: 'true',
      reason: 'MinimumReplicasAvailable',
    });
    const stuckFrom = spec.deadlineExceededFrom;
    const stuck = (t: number): number =>
      stuckFrom !== undefined && t >= seconds(stuckFrom) ? 1 : 0;
    series('status_condition', (t) => 1 - stuck(t), {
      condition: 'Progressing',
      status: 'true',
      reason: 'NewReplicaSetAvailable',
    });
    series('status_condition', stuck, {
      condition: 'Progressing',
      status: 'false',
      reason: 'ProgressDeadlineExceeded',
    });
    return this;
  }

  /** A ReplicaSet owned by a Deployment. */
  replicaSet(
    namespace: string,
    name: string,
    deployment: string,
    replicas: number,
    ready: number,
    ageMinutes: number,
  ): this {
    const labels = { namespace, replicaset: name };
    this.add(
      'kube_replicaset_owner',
      { ...labels, owner_kind: 'Deployment', owner_name: deployment, owner_is_controller: 'true' },
      constant(1),
    );
    this.add('kube_replicaset_spec_replicas', labels, replicas);
    this.add('kube_replicaset_status_replicas', labels, replicas);
    this.add('kube_replicaset_status_ready_replicas', labels, ready);
    return this.add('kube_replicaset_created', labels, epochMinutesAgo(ageMinutes));
  }

  /** A pod with its containers, present from its creation on. */
  pod(spec: PodSpec): this {
    const labels = { namespace: spec.namespace, pod: spec.name };
    const from = Math.max(0, minutesAgo(spec.ageMinutes));
    const live = (value: SeriesValue): Timeline => toTimeline(value).from(from);
    this.add(
      'kube_pod_info',
      {
        ...labels,
        node: spec.node,
        host_ip: '10.0.9.9',
        created_by_kind: spec.owner.kind,
        created_by_name: spec.owner.name,
      },
      live(1),
    );
    this.add(
      'kube_pod_owner',
      {
        ...labels,
        owner_kind: spec.owner.kind,
        owner_name: spec.owner.name,
        owner_is_controller: 'true',
      },
      live(1),
    );
    this.add('kube_pod_created', labels, live(epochMinutesAgo(spec.ageMinutes)));
    this.add('kube_pod_start_time', labels, live(epochMinutesAgo(spec.ageMinutes)));
    const phase = spec.phase ?? 'Running';
    for (const p of ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']) {
      this.add('kube_pod_status_phase', { ...labels, phase: p }, live(p === phase ? 1 : 0));
    }
    const ready = spec.ready ?? true;
    for (const condition of ['true', 'false', 'unknown']) {
      this.add(
        'kube_pod_status_ready',
        { ...labels, condition },
        live(condition === String(ready) ? 1 : 0),
      );
    }
    for (const c of spec.containers) {
      const family = c.init ? 'kube_pod_init_container' : 'kube_pod_container';
      const cl = { ...labels, container: c.name };
      this.add(
        `${family}_info`,
        { ...cl, image: c.image, image_id: '', container_id: '' },
        live(1),
      );
      this.add(`${family}_status_ready`, cl, live((c.ready ?? c.waiting === undefined) ? 1 : 0));
      this.add(`${family}_status_restarts_total`, cl, live(c.restarts ?? 0));
      // Before it began waiting, a container that waits now was running.
      const waitingFrom =
        c.waitingForMinutes === undefined ? from : Math.max(from, minutesAgo(c.waitingForMinutes));
      const waits = (now: number, before: number): SeriesValue =>
        c.waiting === undefined ? before : (t: number) => (t >= waitingFrom ? now : before);
      this.add(`${family}_status_running`, cl, live(waits(0, 1)));
      this.add(`${family}_status_waiting`, cl, live(waits(1, 0)));
      if (c.waiting !== undefined) {
        this.add(
          `${family}_status_waiting_reason`,
          { ...cl, reason: c.waiting },
          toTimeline(1).from(waitingFrom),
        );
      }
      if (c.lastTerminated) {
        this.add(
          `${family}_status_last_terminated_reason`,
          { ...cl, reason: c.lastTerminated.reason },
          live(1),
        );
        if (!c.init)
          this.add(
            `${family}_status_last_terminated_exitcode`,
            cl,
            live(c.lastTerminated.exitCode),
          );
      }
    }
    return this;
  }

  /** The kube-state-metrics scrape target's `up`. */
  kubeStateMetricsUp(value: SeriesValue = 1): this {
    return this.add('up', { job: 'kube-state-metrics', instance: '10.0.5.5:8080' }, value);
  }

  /** kube-state-metrics' baseline for a cluster without problems: CoreDNS, its ReplicaSet and pods. */
  healthyBaseline(node: string, until?: Offset): this {
    const cut = (value: SeriesValue): SeriesValue =>
      until === undefined ? value : toTimeline(value).absentAfter(until);
    const labels = { namespace: 'kube-system', deployment: 'coredns' };
    for (const [suffix, value] of [
      ['metadata_generation', 3],
      ['status_observed_generation', 3],
      ['spec_replicas', 2],
      ['status_replicas', 2],
      ['status_replicas_updated', 2],
      ['status_replicas_ready', 2],
      ['status_replicas_available', 2],
      ['status_replicas_unavailable', 0],
      ['created', epochMinutesAgo(900)],
    ] as const) {
      this.add(`kube_deployment_${suffix}`, labels, cut(value));
    }
    const rs = { namespace: 'kube-system', replicaset: 'coredns-5d78c9869d' };
    this.add(
      'kube_replicaset_owner',
      { ...rs, owner_kind: 'Deployment', owner_name: 'coredns', owner_is_controller: 'true' },
      cut(1),
    );
    for (const i of [1, 2]) {
      this.add(
        'kube_pod_info',
        { namespace: 'kube-system', pod: `coredns-5d78c9869d-${i}`, node },
        cut(1),
      );
    }
    this.add(
      'kube_daemonset_metadata_generation',
      { namespace: 'kube-system', daemonset: 'kube-proxy' },
      cut(1),
    );
    this.add(
      'kube_statefulset_metadata_generation',
      { namespace: 'monitoring', statefulset: 'prometheus' },
      cut(1),
    );
    return this.kubeStateMetricsUp(
      until === undefined
        ? 1
        : steps([
            [0, 1],
            [until, 0],
          ]),
    );
  }
}

function toTimeline(value: SeriesValue): Timeline {
  if (value instanceof Timeline) return value;
  if (typeof value === 'number') return constant(value);
  return new Timeline(value);
}

/** A scenario over WINDOW with a helper per cluster. */
export function multiClusterScenario(): {
  data: Scenario;
  cluster: (name: string) => ClusterMetrics;
} {
  const data = scenario(WINDOW);
  return { data, cluster: (name) => new ClusterMetrics(data, name) };
}

/**
 * An HA control plane mid-upgrade: apiservers at 1.29 and 1.30, controller-manager and
 * scheduler at 1.29, three 1.30 nodes and a group of two 1.26 nodes, etcd members at 3.5.12
 * and 3.5.9.
 */
export function haSkewCluster(c: ClusterMetrics): void {
  c.apiserver('10.0.0.1', 'v1.29.6')
    .apiserver('10.0.0.2', 'v1.30.2')
    .apiserver('10.0.0.3', 'v1.30.2');
  c.buildInfo('kube-controller-manager', '10.0.0.1:10257', 'v1.29.6');
  c.buildInfo('kube-scheduler', '10.0.0.1:10259', 'v1.29.6');
  c.etcd('10.0.0.1', '3.5.12', '3.5.0')
    .etcd('10.0.0.2', '3.5.12', '3.5.0')
    .etcd('10.0.0.3', '3.5.9', '3.5.0');
  for (const i of [1, 2, 3]) c.node(`ip-10-0-1-${i}`, `10.0.1.${i}`, 'v1.29.6', 'v1.29.6');
  for (const i of [1, 2]) c.node(`ip-10-0-2-${i}`, `10.0.2.${i}`, 'v1.26.15', 'v1.26.15');
  c.healthyBaseline('ip-10-0-1-1');
}

/**
 * Rollouts: shop/web-recent has not been observed for 4 minutes, shop/web-stale for 12; a pod
 * of shop/worker crash-loops; shop/checkout's new revision cannot pull its image; shop/api is
 * healthy.
 */
export function rolloutCluster(c: ClusterMetrics): void {
  // EKS: controller-manager, scheduler and etcd are not observable, not missing.
  c.apiserver('10.1.0.1', 'v1.30.2-eks-2f008fe');
  c.node('node-a', '10.1.1.1', 'v1.30.2-eks-036c24b', 'v1.30.2-eksbuild.1');
  c.healthyBaseline('node-a');
  c.deployment({
    namespace: 'shop',
    name: 'web-recent',
    generation: changedMinutesAgo(4, 6, 7),
    observedGeneration: 6,
  });
  c.deployment({
    namespace: 'shop',
    name: 'web-stale',
    generation: changedMinutesAgo(12, 3, 4),
    observedGeneration: 3,
  });
  c.deployment({ namespace: 'shop', name: 'api' });
  c.replicaSet('shop', 'api-6c9f8d7b5', 'api', 2, 2, 300);
  for (const i of [1, 2]) {
    c.pod({
      namespace: 'shop',
      name: `api-6c9f8d7b5-${i}`,
      node: 'node-a',
      owner: { kind: 'ReplicaSet', name: 'api-6c9f8d7b5' },
      ageMinutes: 300,
      containers: [{ name: 'app', image: 'shop/api:1.4.0' }],
    });
  }
  c.deployment({ namespace: 'shop', name: 'worker', replicas: 2, available: 1, updated: 2 });
  c.replicaSet('shop', 'worker-7f6b9c', 'worker', 2, 1, 30);
  c.pod({
    namespace: 'shop',
    name: 'worker-7f6b9c-good',
    node: 'node-a',
    owner: { kind: 'ReplicaSet', name: 'worker-7f6b9c' },
    ageMinutes: 30,
    containers: [{ name: 'worker', image: 'shop/worker:2.0.1' }],
  });
  c.pod({
    namespace: 'shop',
    name: 'worker-7f6b9c-crash',
    node: 'node-a',
    owner: { kind: 'ReplicaSet', name: 'worker-7f6b9c' },
    ready: false,
    ageMinutes: 30,
    containers: [
      {
        name: 'worker',
        image: 'shop/worker:2.0.1',
        // One restart every three minutes since the pod started.
        restarts: (t) => Math.max(0, Math.floor((t - minutesAgo(30)) / 180)),
        waiting: 'CrashLoopBackOff',
        lastTerminated: { reason: 'Error', exitCode: 1 },
      },
    ],
  });
  // shop/checkout: revision 5's pods cannot pull their image; the deadline passed 20 minutes ago.
  c.deployment({
    namespace: 'shop',
    name: 'checkout',
    replicas: 3,
    generation: 5,
    updated: 1,
    deadlineExceededFrom: minutesAgo(20),
  });
  c.replicaSet('shop', 'checkout-69c8d7f5b', 'checkout', 3, 3, 900);
  c.replicaSet('shop', 'checkout-5b7d4f9c8', 'checkout', 1, 0, 35);
  for (const i of [1, 2, 3]) {
    c.pod({
      namespace: 'shop',
      name: `checkout-69c8d7f5b-${i}`,
      node: 'node-a',
      owner: { kind: 'ReplicaSet', name: 'checkout-69c8d7f5b' },
      ageMinutes: 900,
      containers: [{ name: 'app', image: 'shop/checkout:2.3.0' }],
    });
  }
  c.pod({
    namespace: 'shop',
    name: 'checkout-5b7d4f9c8-x1',
    node: 'node-a',
    owner: { kind: 'ReplicaSet', name: 'checkout-5b7d4f9c8' },
    phase: 'Pending',
    ready: false,
    ageMinutes: 35,
    containers: [{ name: 'app', image: 'shop/checkout:9.9.9', waiting: 'ImagePullBackOff' }],
  });
}

/** Only build info: no kube-state-metrics at all. */
export function clusterWithoutKubeStateMetrics(c: ClusterMetrics): void {
  c.apiserver('10.2.0.1', 'v1.30.2');
  c.buildInfo('kubelet', '10.2.1.1:10250', 'v1.30.2', { node: 'bare-1' });
}

/** kube-state-metrics stopped 40 minutes ago (its target is down), etcd's metrics 30. */
export function clusterWithStaleKubeStateMetrics(c: ClusterMetrics): void {
  c.apiserver('10.3.0.1', 'v1.30.2');
  c.etcd('10.3.0.1', '3.5.12', '3.5.0', minutesAgo(30));
  c.buildInfo('kubelet', '10.3.1.1:10250', 'v1.30.2', { node: 'stale-1' });
  c.healthyBaseline('stale-1', minutesAgo(40));
}

/**
 * A cluster of `size` nodes and `size` Deployments, one of which is short of replicas: the
 * request count must not grow with `size`.
 */
export function sizedCluster(c: ClusterMetrics, size: number): void {
  c.apiserver('10.4.0.1', 'v1.30.2');
  for (let i = 0; i < size; i += 1)
    c.node(`n${i}`, `10.4.${Math.floor(i / 200)}.${(i % 200) + 1}`, 'v1.30.2', 'v1.30.2');
  c.healthyBaseline('n0');
  for (let i = 0; i < size; i += 1) {
    c.deployment({
      namespace: 'apps',
      name: `app-${i}`,
      replicas: 2,
      ...(i === 0 ? { available: 1 } : {}),
    });
  }
}

/**
 * Two hours of an HA control plane mid-upgrade and a crash loop: apiservers at 1.29 and 1.30 and
 * etcd members at 3.5.9 and 3.5.15 for the whole window, and shop/payments, healthy for an hour,
 * crash-looping for the last 40 minutes (CrashLoopBackOff, a restart every 5 minutes).
 */
export function historyCluster(c: ClusterMetrics): void {
  c.apiserver('10.3.0.1', 'v1.29.6').apiserver('10.3.0.2', 'v1.30.2');
  c.buildInfo('kube-controller-manager', '10.3.0.1:10257', 'v1.29.6');
  c.buildInfo('kube-scheduler', '10.3.0.1:10259', 'v1.29.6');
  c.etcd('10.3.0.1', '3.5.15', '3.5.0').etcd('10.3.0.2', '3.5.9', '3.5.0');
  c.node('ip-10-3-1-1', '10.3.1.1', 'v1.29.6', 'v1.29.6');
  c.healthyBaseline('ip-10-3-1-1');
  c.deployment({ namespace: 'shop', name: 'payments', replicas: 1, available: 0, ready: 0 });
  c.replicaSet('shop', 'payments-5d8f7c', 'payments', 1, 0, 100);
  c.pod({
    namespace: 'shop',
    name: 'payments-5d8f7c-x2',
    node: 'ip-10-3-1-1',
    owner: { kind: 'ReplicaSet', name: 'payments-5d8f7c' },
    ready: false,
    ageMinutes: 100,
    containers: [
      {
        name: 'app',
        image: 'shop/payments:3.1.0',
        restarts: (t) => Math.max(0, Math.floor((t - minutesAgo(40)) / 300) + 1),
        waiting: 'CrashLoopBackOff',
        waitingForMinutes: 40,
        lastTerminated: { reason: 'Error', exitCode: 1 },
      },
    ],
  });
}

/**
 * A 1.31 cluster whose apiserver still serves deprecated calls: FlowSchemas in
 * flowcontrol.apiserver.k8s.io/v1beta3 (removed in 1.32, the next minor) at 2 requests a second,
 * and PriorityLevelConfigurations of the same version, asked for once long ago (the gauge is set,
 * no request in the last hour).
 */
export function deprecatedApiCluster(c: ClusterMetrics): void {
  c.apiserver('10.4.0.1', 'v1.31.4');
  c.node('ip-10-4-1-1', '10.4.1.1', 'v1.31.4', 'v1.31.4');
  c.healthyBaseline('ip-10-4-1-1');
  c.deprecatedApi(
    '10.4.0.1',
    {
      group: 'flowcontrol.apiserver.k8s.io',
      version: 'v1beta3',
      resource: 'flowschemas',
      removedRelease: '1.32',
    },
    2,
  );
  c.deprecatedApi(
    '10.4.0.1',
    {
      group: 'flowcontrol.apiserver.k8s.io',
      version: 'v1beta3',
      resource: 'prioritylevelconfigurations',
      removedRelease: '1.32',
    },
    0,
  );
}
