/**
 * History behind the `for` of the skew and crash-loop rules: one range subquery per purpose that
 * dates each version (apiserver minors, component minors, etcd versions) and each crash-looping
 * container from the start of its unbroken run, whatever the cluster's size.
 */
import type { VersionHistory } from '../../rules/model';
import type { SelectorInjector } from './selector';
import { quote } from './selector';
import type { Sample } from './types';

/** How far back, and at which resolution, one history query reads. */
export interface HistoryWindow {
  readonly lookbackSeconds: number;
  readonly stepSeconds: number;
}

/** Steps per history query at most: bounds the work Prometheus does whatever the `for`. */
const MAX_STEPS = 240;

/**
 * The window that proves a `for` of `forSeconds`: the `for` plus a margin of a tenth (at least
 * five minutes), at a step of at least `minStepSeconds` and at most MAX_STEPS steps. Undefined
 * when nothing waits (`for` 0): then the finding fires at once and needs no date.
 */
export function historyWindow(
  forSeconds: number,
  minStepSeconds: number,
): HistoryWindow | undefined {
  if (!(forSeconds > 0)) return undefined;
  const wanted = forSeconds + Math.max(300, forSeconds / 10);
  const stepSeconds = Math.max(minStepSeconds, Math.ceil(wanted / MAX_STEPS));
  return { lookbackSeconds: Math.ceil(wanted / stepSeconds) * stepSeconds, stepSeconds };
}

/** Label the history queries tag each series with: which history, and which edge. */
export const HISTORY_LABEL = 'skewguard_history';
/** `first` (the earliest step present) or `count` (the steps present). */
export const HISTORY_EDGE_LABEL = 'skewguard_history_edge';
/** The version a version-history series is about. */
const VERSION_LABEL = 'skewguard_version';

const MINOR = quote('v?([0-9]+\\.[0-9]+).*');
const PATCH = quote('v?([0-9]+\\.[0-9]+\\.[0-9]+).*');

/** `first` and `count` of `present` over the window, tagged with `history`. */
function runOf(present: string, history: string, window: HistoryWindow): string {
  const range = `[${window.lookbackSeconds}s:${window.stepSeconds}s]`;
  const tag = (expr: string, edge: string): string =>
    `label_replace(label_replace(${expr}, ${quote(HISTORY_LABEL)}, ${quote(history)}, "", ""), ${quote(HISTORY_EDGE_LABEL)}, ${quote(edge)}, "", "")`;
  return [
    tag(`min_over_time(timestamp(${present})${range})`, 'first'),
    tag(`count_over_time((${present})${range})`, 'count'),
  ].join(' or ');
}

/** The version-history query: one series per version and edge, a handful whatever the size. */
export function versionHistoryQuery(
  q: SelectorInjector,
  jobs: { readonly apiserver: string; readonly everyComponent: string },
  window: HistoryWindow,
): string {
  const minors = (expr: string, from: string): string =>
    `label_replace(${expr}, ${quote(VERSION_LABEL)}, "$1", ${quote(from)}, ${MINOR})`;
  const build = (jobPattern: string): string =>
    `max by (job, instance, git_version) (${q.v('kubernetes_build_info', `job=~${quote(jobPattern)}`)})`;
  const apiserver = `count by (${VERSION_LABEL}) (${minors(build(jobs.apiserver), 'git_version')})`;
  const components =
    `count by (${VERSION_LABEL}) (${minors(build(jobs.everyComponent), 'git_version')} or ` +
    `${minors(`max by (node, kubelet_version) (${q.v('kube_node_info')})`, 'kubelet_version')})`;
  const etcd =
    `count by (${VERSION_LABEL}) (label_replace(max by (instance, server_version) ` +
    `(${q.v('etcd_server_version')}), ${quote(VERSION_LABEL)}, "$1", "server_version", ${PATCH}))`;
  return [
    runOf(apiserver, 'apiserverMinors', window),
    runOf(components, 'componentMinors', window),
    runOf(etcd, 'etcdVersions', window),
  ].join(' or ');
}

/**
 * The crash-loop history of the targeted pods' containers: at each step, a container counts as
 * crash-looping while it waits in CrashLoopBackOff or restarted within `restartWindowSeconds`.
 */
export function crashLoopHistoryQuery(
  q: SelectorInjector,
  podMatchers: readonly string[],
  restartWindowSeconds: number,
  window: HistoryWindow,
): string {
  const by = 'max by (namespace, pod, container)';
  const family = (prefix: string): string =>
    `(${by} (${q.v(`${prefix}_status_waiting_reason`, 'reason="CrashLoopBackOff"', ...podMatchers)}) == 1) or ` +
    `(${by} (increase(${q.v(`${prefix}_status_restarts_total`, ...podMatchers)}[${restartWindowSeconds}s])) > 0)`;
  const looping = `(${family('kube_pod_container')}) or (${family('kube_pod_init_container')})`;
  return runOf(looping, 'crashLoop', window);
}

/**
 * The start of each unbroken run: the first step present, when the series was present at every
 * step from there to the evaluation (a run with a gap is not dated: only its last part is
 * known to hold, and where it began is not). Keyed by `key(sample)`, per history.
 */
function runsOf(
  samples: readonly Sample[],
  key: (s: Sample) => string | undefined,
  window: HistoryWindow,
  evaluatedAt: number,
): Map<string, Map<string, string>> {
  const edges = new Map<string, { first?: number; count?: number }>();
  for (const s of samples) {
    const history = s.metric[HISTORY_LABEL];
    const k = key(s);
    if (!history || k === undefined || !Number.isFinite(s.value)) continue;
    const id = `${history}\u0000${k}`;
    const entry = edges.get(id) ?? {};
    if (s.metric[HISTORY_EDGE_LABEL] === 'first') entry.first = s.value;
    if (s.metric[HISTORY_EDGE_LABEL] === 'count') entry.count = s.value;
    edges.set(id, entry);
  }
  const out = new Map<string, Map<string, string>>();
  for (const [id, { first, count }] of edges) {
    if (first === undefined || count === undefined) continue;
    const steps = Math.floor((evaluatedAt / 1000 - first) / window.stepSeconds + 1e-6) + 1;
    if (Math.round(count) < steps) continue;
    const [history = '', k = ''] = id.split('\u0000');
    const runs = out.get(history) ?? new Map<string, string>();
    runs.set(k, new Date(Math.min(first * 1000, evaluatedAt)).toISOString());
    out.set(history, runs);
  }
  return out;
}

/** The version history from the version-history query's answer. */
export function readVersionHistory(
  samples: readonly Sample[],
  window: HistoryWindow,
  evaluatedAt: number,
): VersionHistory {
  const runs = runsOf(samples, (s) => s.metric[VERSION_LABEL], window, evaluatedAt);
  const record = (
    history: keyof VersionHistory,
  ): { [K in typeof history]?: Record<string, string> } => {
    const found = runs.get(history);
    return found ? { [history]: Object.fromEntries(found) } : {};
  };
  return {
    ...record('apiserverMinors'),
    ...record('componentMinors'),
    ...record('etcdVersions'),
  };
}

/** When each crash-looping container's loop began, by `namespace/pod/container`. */
export function readCrashLoopHistory(
  samples: readonly Sample[],
  window: HistoryWindow,
  evaluatedAt: number,
): ReadonlyMap<string, string> {
  const key = (s: Sample): string | undefined => {
    const { namespace, pod, container } = s.metric;
    return namespace && pod && container ? `${namespace}/${pod}/${container}` : undefined;
  };
  return runsOf(samples, key, window, evaluatedAt).get('crashLoop') ?? new Map();
}
