/**
 * The fixed PromQL query set of the Prometheus collector, built from templates in which every
 * vector selector goes through one function that injects the cluster selector. The number of
 * queries never depends on the cluster's size; each is filtered server-side so that, apart from
 * the version inventory, only offending workloads and pods come back.
 */
import type { SnapshotPart } from '../../rules/model';
import { PROBLEM_WAITING_REASONS } from '../../rules/rollout/pods';
import type { HistoryWindow } from './history';
import { deprecatedApisQuery } from './deprecated-apis';
import { crashLoopHistoryQuery, versionHistoryQuery } from './history';
import type { Agg, KindSpec } from './kinds';
import { KINDS } from './kinds';
import type { LabelMatcher } from './selector';
import { MAX_SET_VALUES, SelectorInjector, escapeRegex, quote, setMatcher } from './selector';

/** Regular expressions (PromQL `=~`, fully anchored) naming the scrape jobs of each component. */
export interface PrometheusJobs {
  readonly apiserver: string;
  readonly kubelet: string;
  readonly kubeProxy: string;
  readonly controllerManager: string;
  readonly scheduler: string;
  readonly cloudControllerManager: string;
  /** Used to tell "kube-state-metrics is down" apart from "not installed". */
  readonly kubeStateMetrics: string;
}

/** Job names of kube-prometheus-stack / prometheus-operator and of common hand-written configs. */
export const DEFAULT_JOBS: PrometheusJobs = {
  apiserver: 'apiserver|kube-apiserver|kubernetes-apiservers',
  kubelet: 'kubelet|kubernetes-nodes',
  kubeProxy: 'kube-proxy',
  controllerManager: 'kube-controller-manager|controller-manager',
  scheduler: 'kube-scheduler|scheduler',
  cloudControllerManager: 'cloud-controller-manager',
  kubeStateMetrics: '.*kube-state-metrics.*',
};

/** Timing knobs of the queries. */
export interface QuerySettings {
  /** Subquery resolution for "since" estimates; also their precision. */
  readonly stepSeconds: number;
  /** How far back "since" is looked for; older conditions are dated to the lookback start. */
  readonly sinceLookbackSeconds: number;
  /** How far back kube-state-metrics counts as "stale" rather than "absent". */
  readonly presenceLookbackSeconds: number;
  /** Window of `increase(restarts)` that makes a pod a crash-loop candidate. */
  readonly restartWindowSeconds: number;
}

/** Defaults: 1m precision, 1h of history. */
export const DEFAULT_QUERY_SETTINGS: QuerySettings = {
  stepSeconds: 60,
  sinceLookbackSeconds: 3600,
  presenceLookbackSeconds: 3600,
  restartWindowSeconds: 900,
};

/** kube-system containers whose image gives a component version when it is not scraped. */
export const SYSTEM_CONTAINERS: readonly string[] = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'cloud-controller-manager',
  'etcd',
  'kube-proxy',
];

/** kube-state-metrics families whose presence is checked, and the parts they feed. */
export const PRESENCE_FAMILIES: readonly {
  readonly metric: string;
  readonly part: SnapshotPart;
  /**
   * Probe only this namespace first: counting every pod series costs seconds on a big cluster,
   * and kube-system always has some. Absent there, round two counts the whole family.
   */
  readonly probeNamespace?: string;
}[] = [
  { metric: 'kube_node_info', part: 'nodes' },
  { metric: 'kube_pod_info', part: 'pods', probeNamespace: 'kube-system' },
  { metric: 'kube_deployment_metadata_generation', part: 'deployments' },
  { metric: 'kube_statefulset_metadata_generation', part: 'statefulsets' },
  { metric: 'kube_daemonset_metadata_generation', part: 'daemonsets' },
  { metric: 'kube_replicaset_owner', part: 'replicasets', probeNamespace: 'kube-system' },
];

/** The queries of one collection, by purpose. */
export type QueryId =
  | 'presence'
  | 'offending'
  | 'problemPods'
  | 'owners'
  | 'seen'
  | 'versions'
  | 'systemPods'
  | 'deployments'
  | 'deploymentsSince'
  | 'statefulsets'
  | 'statefulsetsSince'
  | 'daemonsets'
  | 'daemonsetsSince'
  | 'replicasets'
  | 'pods'
  | 'versionsSince'
  | 'podsSince'
  | 'deprecatedApis';

/** The history windows of one collection: absent when no rule waits on that history. */
export interface HistoryWindows {
  readonly versions?: HistoryWindow;
  readonly crashLoop?: HistoryWindow;
}

/** Label the presence query tags each probe with (`now:<metric>`, `seen:<metric>`, `up`). */
export const PROBE_LABEL = 'skewguard_probe';
/** Labels the since queries tag each series with. */
export const CONDITION_LABEL = 'skewguard_condition';
/** `last_false` or `first_true`. */
export const EDGE_LABEL = 'skewguard_edge';

/** The name of the query that reads one kind's fields / since estimates. */
export function kindQueryIds(kind: KindSpec['kind']): { fields: QueryId; since: QueryId } {
  const base = `${kind.toLowerCase()}s` as 'deployments' | 'statefulsets' | 'daemonsets';
  return { fields: base, since: `${base}Since` };
}

/** Label the offending query tags each workload with (its kind). */
export const KIND_LABEL = 'skewguard_kind';

/** Namespace/name of an object, the key offenders are kept by. */
export const objectKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * What the first round found: the workloads whose rollout looks unhealthy and the pods with a
 * problem container. The later rounds read only these (and their ReplicaSets and pods), by name.
 */
export interface Offenders {
  readonly workloads: Readonly<Record<KindSpec['kind'], ReadonlySet<string>>>;
  readonly problemPods: ReadonlySet<string>;
}

const namespacesOf = (keys: Iterable<string>): string[] =>
  [...keys].map((k) => k.slice(0, k.indexOf('/')));
const namesOf = (keys: Iterable<string>): string[] =>
  [...keys].map((k) => k.slice(k.indexOf('/') + 1));

/**
 * Round one, the same queries for every cluster: kube-state-metrics presence, the version
 * inventory, kube-system pods, which workloads look unhealthy and which pods have a problem.
 * Each touches every series of its families once; everything after reads only what it found.
 */
export function firstRoundQueries(
  selector: readonly LabelMatcher[],
  jobs: PrometheusJobs = DEFAULT_JOBS,
  settings: QuerySettings = DEFAULT_QUERY_SETTINGS,
  history: HistoryWindows = {},
): Partial<Record<QueryId, string>> {
  const q = new SelectorInjector(selector);
  return {
    ...(history.versions
      ? {
          versionsSince: versionHistoryQuery(
            q,
            {
              apiserver: jobs.apiserver,
              everyComponent: [
                jobs.apiserver,
                jobs.controllerManager,
                jobs.scheduler,
                jobs.cloudControllerManager,
                jobs.kubelet,
                jobs.kubeProxy,
              ].join('|'),
            },
            history.versions,
          ),
        }
      : {}),
    presence: presenceQuery(q, jobs, settings),
    versions: q.names(
      'kubernetes_build_info|kube_node_info|kube_node_labels|kube_node_created|etcd_server_version|etcd_cluster_version',
    ),
    systemPods:
      `max by (namespace, pod, container, image, node) (` +
      `${q.v('kube_pod_container_info', 'namespace="kube-system"', `container=~${quote(SYSTEM_CONTAINERS.join('|'))}`)}` +
      ` * on (namespace, pod) group_left (node) max by (namespace, pod, node) (${q.v('kube_pod_info', 'namespace="kube-system"')}))`,
    offending: KINDS.map(
      (k) =>
        `label_replace(max by (namespace, ${k.label}) (${offendingOf(q, k)}), ${quote(KIND_LABEL)}, ${quote(k.kind)}, "", "")`,
    ).join(' or '),
    problemPods: problemPodsOf(q, settings),
    deprecatedApis: deprecatedApisQuery(q, jobs.apiserver),
  };
}

/**
 * Round two, narrowed to the offenders by name: each unhealthy kind's fields and since
 * estimates, the ReplicaSets of unhealthy Deployments and the owners of problem pods, and when
 * a kube-state-metrics family is absent now, when it was last seen. A query with nothing to read
 * is left out.
 */
export function secondRoundQueries(
  selector: readonly LabelMatcher[],
  offenders: Offenders,
  absentFamilies: readonly string[],
  settings: QuerySettings = DEFAULT_QUERY_SETTINGS,
): Partial<Record<QueryId, string>> {
  const q = new SelectorInjector(selector);
  const queries: Partial<Record<QueryId, string>> = {};
  for (const kind of KINDS) {
    const keys = offenders.workloads[kind.kind];
    if (keys.size === 0) continue;
    const narrow = [
      ...setMatcher('namespace', namespacesOf(keys)),
      ...setMatcher(kind.label, namesOf(keys)),
    ];
    const ids = kindQueryIds(kind.kind);
    queries[ids.fields] = q.names(`${kind.prefix}_(${kind.fields.join('|')})`, ...narrow);
    queries[ids.since] = sinceQuery(q, kind, settings, narrow);
  }
  const owners: string[] = [];
  const deployments = offenders.workloads.Deployment;
  if (deployments.size > 0) {
    owners.push(
      q.v(
        'kube_replicaset_owner',
        'owner_kind="Deployment"',
        ...setMatcher('namespace', namespacesOf(deployments)),
        ...setMatcher('owner_name', namesOf(deployments)),
      ),
    );
  }
  if (offenders.problemPods.size > 0) {
    owners.push(
      q.v(
        'kube_pod_owner',
        ...setMatcher('namespace', namespacesOf(offenders.problemPods)),
        ...setMatcher('pod', namesOf(offenders.problemPods)),
      ),
    );
  }
  if (owners.length > 0) queries.owners = owners.join(' or ');
  if (absentFamilies.length > 0) queries.seen = seenQuery(q, absentFamilies, settings);
  return queries;
}

/** The ReplicaSets and pods the third round reads, by namespace/name. */
export interface PodTargets {
  readonly replicaSets: ReadonlySet<string>;
  /** Pods read by name. */
  readonly pods: ReadonlySet<string>;
  /** Owners (ReplicaSets, StatefulSets, DaemonSets) whose pods are read, by namespace/name. */
  readonly podOwners: ReadonlySet<string>;
}

/**
 * Round three: the fields of the wanted ReplicaSets and pods. Pods of an owner are matched by
 * the name the controller gives them (`<owner>-<suffix>`); the collector keeps only those whose
 * kube_pod_owner series names the owner.
 */
export function thirdRoundQueries(
  selector: readonly LabelMatcher[],
  targets: PodTargets,
  settings: QuerySettings = DEFAULT_QUERY_SETTINGS,
  history: HistoryWindows = {},
): Partial<Record<QueryId, string>> {
  const q = new SelectorInjector(selector);
  const queries: Partial<Record<QueryId, string>> = {};
  if (targets.replicaSets.size > 0) {
    queries.replicasets = q.names(
      'kube_replicaset_(owner|spec_replicas|status_replicas|status_ready_replicas|created|annotations)',
      ...setMatcher('namespace', namespacesOf(targets.replicaSets)),
      ...setMatcher('replicaset', namesOf(targets.replicaSets)),
    );
  }
  if (targets.pods.size + targets.podOwners.size > 0) {
    const exact = [...new Set(namesOf(targets.pods))].map(escapeRegex);
    const owners = [...new Set(namesOf(targets.podOwners))].map(escapeRegex);
    const alternatives = [
      ...exact,
      ...(owners.length > 0 ? [`(?:${owners.join('|')})-[a-z0-9]+`] : []),
    ];
    const namespaces = setMatcher('namespace', [
      ...namespacesOf(targets.pods),
      ...namespacesOf(targets.podOwners),
    ]);
    const pods =
      exact.length + owners.length <= MAX_SET_VALUES
        ? [`pod=~${quote(alternatives.join('|'))}`]
        : [];
    queries.pods = q.names(POD_FIELDS, ...namespaces, ...pods);
    if (history.crashLoop) {
      queries.podsSince = crashLoopHistoryQuery(
        q,
        [...namespaces, ...pods],
        settings.restartWindowSeconds,
        history.crashLoop,
      );
    }
  }
  return queries;
}

/**
 * For families absent from the presence probe: when each was last seen within the lookback
 * (`seen:<metric>`), and for those probed in one namespace only, their count everywhere
 * (`now:<metric>`).
 */
function seenQuery(
  q: SelectorInjector,
  metrics: readonly string[],
  settings: QuerySettings,
): string {
  const range = `[${settings.presenceLookbackSeconds}s:${settings.stepSeconds}s]`;
  const tag = (expr: string, probe: string): string =>
    `label_replace(${expr}, ${quote(PROBE_LABEL)}, ${quote(probe)}, "", "")`;
  return metrics
    .flatMap((metric) => [
      ...(PRESENCE_FAMILIES.find((f) => f.metric === metric)?.probeNamespace
        ? [tag(`count(${q.v(metric)})`, `now:${metric}`)]
        : []),
      tag(`max(max_over_time(timestamp(${q.v(metric)})${range}))`, `seen:${metric}`),
    ])
    .join(' or ');
}

const POD_FIELDS =
  'kube_pod_(info|owner|created|start_time|status_phase|status_ready|status_scheduled|status_unschedulable|labels|' +
  '(init_)?container_(info|state_started|status_(waiting|waiting_reason|running|terminated|terminated_reason|ready|restarts_total|' +
  'last_terminated_reason|last_terminated_exitcode|last_terminated_timestamp)))';

/** `max by (namespace, <kind>)` over one kube-state-metrics family of the kind. */
function aggOf(q: SelectorInjector, kind: KindSpec, narrow: readonly string[] = []): Agg {
  return (suffix, matchers = [], by = []) =>
    `max by (namespace, ${[kind.label, ...by].join(', ')}) (${q.v(`${kind.prefix}_${suffix}`, ...narrow, ...matchers)})`;
}

/** The workloads of a kind for which any rollout condition holds now. */
function offendingOf(q: SelectorInjector, kind: KindSpec): string {
  const m = aggOf(q, kind);
  return Object.values(kind.conditions)
    .map((holds) => `(${holds(m)})`)
    .join(' or ');
}

/**
 * For each condition that holds now, the last subquery step at which it did not hold
 * (`last_false`) and the first at which it held (`first_true`), within the lookback. The
 * condition began one step after `last_false`, or at `first_true` when it never failed.
 */
function sinceQuery(
  q: SelectorInjector,
  kind: KindSpec,
  settings: QuerySettings,
  narrow: readonly string[] = [],
): string {
  const m = aggOf(q, kind, narrow);
  const exists = m('metadata_generation');
  const on = `on (namespace, ${kind.label})`;
  const range = `[${settings.sinceLookbackSeconds}s:${settings.stepSeconds}s]`;
  const tag = (expr: string, condition: string, edge: string): string =>
    `label_replace(label_replace(${expr}, ${quote(CONDITION_LABEL)}, ${quote(condition)}, "", ""), ${quote(EDGE_LABEL)}, ${quote(edge)}, "", "")`;
  return Object.entries(kind.conditions)
    .flatMap(([condition, holdsOf]) => {
      const holds = `(${holdsOf(m)})`;
      return [
        `(${tag(`max_over_time(timestamp(${exists} unless ${on} ${holds})${range})`, condition, 'last_false')} and ${on} ${holds})`,
        `(${tag(`min_over_time(timestamp(${holds})${range})`, condition, 'first_true')} and ${on} ${holds})`,
      ];
    })
    .join(' or ');
}

/** Pods with a problem container: a telling waiting reason, or restarts within the window. */
function problemPodsOf(q: SelectorInjector, settings: QuerySettings): string {
  const reasons = `reason=~${quote(PROBLEM_WAITING_REASONS.join('|'))}`;
  const window = `[${settings.restartWindowSeconds}s]`;
  return ['kube_pod_container', 'kube_pod_init_container']
    .flatMap((family) => [
      `max by (namespace, pod) (${q.v(`${family}_status_waiting_reason`, reasons)} == 1)`,
      // More than one restart in the window; the rule then applies its own rate threshold.
      `max by (namespace, pod) (increase(${q.v(`${family}_status_restarts_total`)}${window}) > 1)`,
    ])
    .join(' or ');
}

/** Counts now of each kube-state-metrics family, its `up`, and last sightings of the versions. */
function presenceQuery(q: SelectorInjector, jobs: PrometheusJobs, settings: QuerySettings): string {
  const tag = (expr: string, probe: string): string =>
    `label_replace(${expr}, ${quote(PROBE_LABEL)}, ${quote(probe)}, "", "")`;
  const range = `[${settings.presenceLookbackSeconds}s:${settings.stepSeconds}s]`;
  return [
    // Last sightings of absent families are asked for only when needed (secondRoundQueries):
    // over every pod series of the lookback, they cost seconds on a big cluster.
    ...PRESENCE_FAMILIES.map(({ metric, probeNamespace }) =>
      tag(
        `count(${q.v(metric, ...(probeNamespace ? [`namespace=${quote(probeNamespace)}`] : []))})`,
        `now:${metric}`,
      ),
    ),
    tag(`max(${q.v('up', `job=~${quote(jobs.kubeStateMetrics)}`)})`, 'up'),
    // Last sightings of the version series, to tell a stopped scrape from one never set up.
    ...versionSeries(jobs).map(({ part, metric, matchers }) =>
      tag(`max(max_over_time(timestamp(${q.v(metric, ...matchers)})${range}))`, `seen:${part}`),
    ),
  ].join(' or ');
}

/** The version series of the control-plane parts, as the presence query probes them. */
export function versionSeries(
  jobs: PrometheusJobs,
): { part: 'apiserver' | 'controlPlane' | 'etcd'; metric: string; matchers: string[] }[] {
  return [
    {
      part: 'apiserver',
      metric: 'kubernetes_build_info',
      matchers: [`job=~${quote(jobs.apiserver)}`],
    },
    {
      part: 'controlPlane',
      metric: 'kubernetes_build_info',
      matchers: [
        `job=~${quote(`${jobs.controllerManager}|${jobs.scheduler}|${jobs.cloudControllerManager}`)}`,
      ],
    },
    { part: 'etcd', metric: 'etcd_server_version', matchers: [] },
  ];
}
