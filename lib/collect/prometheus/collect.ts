/**
 * The Prometheus collection: a fixed set of query rounds, whatever the cluster's size, turned
 * into a ClusterSnapshot, with request counters and per-query timings.
 */
import type { ClusterSnapshot, DatedCondition, SourceErrorKind } from '../../rules/model';
import { forEachLimited } from '../../util/concurrency';
import { SourceError } from '../errors';
import { forWindowsOf } from '../../rules/for-windows';
import { ROLLOUT_CONDITIONS } from '../../rules/model';
import { historyWindow } from './history';
import type { HistoryWindows, PrometheusJobs, QueryId, QuerySettings } from './queries';
import {
  firstRoundQueries,
  secondRoundQueries,
  thirdRoundQueries,
  DEFAULT_JOBS,
  DEFAULT_QUERY_SETTINGS,
} from './queries';
import { parseSelector } from './selector';
import {
  absentFamilies,
  mixedClusters,
  offendersOf,
  podTargetsOf,
  settleNarrowedOutcomes,
} from './rounds';
import type { QueryOutcome, PrometheusStats } from './types';
import { buildPrometheusSnapshot } from './snapshot';
import type { PrometheusAuth } from './auth';
import type { PrometheusRequestPolicy } from './client';
import { DEFAULT_PROMETHEUS_POLICY, PrometheusClient } from './client';

/** Options of one Prometheus collection. */
export interface PrometheusCollectOptions {
  readonly cluster: string;
  readonly url: string;
  readonly auth: PrometheusAuth;
  /** Label matchers added to every selector, e.g. `cluster="prod"`. */
  readonly selector?: string;
  readonly caPem?: string;
  /** Scrape-job name patterns per component; defaults fit kube-prometheus-stack. */
  readonly jobs?: Partial<PrometheusJobs>;
  readonly policy?: Partial<PrometheusRequestPolicy>;
  readonly collectedAt: () => string;
  /**
   * `for` windows (seconds) of the dated conditions (default: forWindowsOf() the default
   * policy). The history read for `conditionSince` reaches at least twice the longest rollout
   * window plus a step; versions and crash loops are read back their own window plus a margin,
   * so a condition that has held for its window is always dated as such.
   */
  readonly forWindows?: Readonly<Partial<Record<DatedCondition, number>>>;
  /** Query time (epoch ms); defaults to the server's now. */
  readonly at?: number;
  /** Query resolution and lookbacks. */
  readonly settings?: Partial<QuerySettings>;
  /** The SigV4 signing clock, for tests. */
  readonly signingNow?: () => Date;
}

/** A Prometheus collection: the snapshot and request counters. */
export interface PrometheusCollection {
  readonly snapshot: ClusterSnapshot;
  readonly stats: PrometheusStats;
  /** Each query of the collection in the order sent: wall time (ms) and series returned. */
  readonly queries: readonly QueryTiming[];
}

/** How long one query of a collection took, and how many series it returned. */
export interface QueryTiming {
  readonly id: QueryId;
  readonly ms: number;
  readonly series: number;
}

// Failures that mean the whole source is unusable rather than one query.
const FATAL: ReadonlySet<SourceErrorKind> = new Set(['dns', 'tls', 'auth', 'forbidden']);

/**
 * Reads one cluster from Prometheus with a fixed number of queries (a probe plus one per
 * purpose), whatever the cluster's size. An unreachable or unauthorised server throws a
 * SourceError; a failing query marks only the parts that need it missing.
 */
export async function collectFromPrometheus(
  options: PrometheusCollectOptions,
): Promise<PrometheusCollection> {
  const selector = parseSelector(options.selector ?? '');
  const jobs = validJobs({ ...DEFAULT_JOBS, ...options.jobs });
  const settings = sinceSettings({ ...DEFAULT_QUERY_SETTINGS, ...options.settings }, options);
  const history = historyWindows(settings, options);
  const client = await PrometheusClient.create({
    url: options.url,
    auth: options.auth,
    ...(options.caPem !== undefined ? { caPem: options.caPem } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.signingNow ? { signingNow: options.signingNow } : {}),
  });
  const at = options.at;
  await client.probe(at);
  const outcomes: Partial<Record<QueryId, QueryOutcome>> = {};
  const timings: QueryTiming[] = [];
  const concurrency = Math.max(
    1,
    options.policy?.concurrency ?? DEFAULT_PROMETHEUS_POLICY.concurrency,
  );
  const run = (queries: Partial<Record<QueryId, string>>): Promise<void> =>
    runQueries(client, queries, at, concurrency, outcomes, timings);

  // Three rounds, each a fixed set of concurrent queries: the first finds the offenders, the
  // next two read only them by name, so a big cluster costs one pass over its series.
  await run(firstRoundQueries(selector, jobs, settings, history));
  const mixed = mixedClusters(outcomes.versions);
  if (mixed) throw mixedClustersError(options, mixed);
  const offenders = offendersOf(outcomes);
  const absent = absentFamilies(outcomes.presence);
  await run(secondRoundQueries(selector, offenders.found, absent, settings));
  const targets = podTargetsOf(offenders.found, outcomes.owners);
  await run(thirdRoundQueries(selector, targets, settings, history));
  settleNarrowedOutcomes(outcomes, offenders, targets);

  const failures = Object.values(outcomes).flatMap((o) => (o.ok ? [] : [o.error]));
  const fatal = failures.find((e) => FATAL.has(e.kind));
  if (fatal) throw fatal;
  // The probe answered but no query did: the source is down for this run, not merely partial.
  const ran = Object.keys(outcomes).length;
  if (ran > 0 && failures.length === ran && failures[0]) throw failures[0];
  const snapshot = buildPrometheusSnapshot({
    cluster: options.cluster,
    collectedAt: options.collectedAt(),
    outcomes,
    jobs,
    settings,
    history,
    selectorText: options.selector ?? '',
  });
  return { snapshot, stats: { ...client.stats }, queries: timings };
}

/** The config error for a selector that matches several clusters' series. */
function mixedClustersError(
  options: PrometheusCollectOptions,
  mixed: NonNullable<ReturnType<typeof mixedClusters>>,
): SourceError {
  const shown = mixed.values.slice(0, 5).map((v) => JSON.stringify(v));
  const more = mixed.values.length > shown.length ? `, … ${mixed.values.length} in all` : '';
  const which = options.selector?.trim()
    ? `the selector ${options.selector.trim()} matches more than one`
    : 'no selector picks one';
  return new SourceError(
    'prometheus',
    'config',
    `Prometheus at ${new URL(options.url).host} holds series of several clusters ` +
      `(${mixed.label}=${shown.join(', ')}${more}) and ${which}; read as one cluster, their versions ` +
      `would mix into false skew findings. Select one with --prometheus-selector '${mixed.label}=${shown[0] ?? '"…"'}' ` +
      '(prometheus.selector in skewguard.config.yaml)',
  );
}

/** Runs `queries` with at most `concurrency` in flight; each outcome lands in `outcomes`. */
async function runQueries(
  client: PrometheusClient,
  queries: Partial<Record<QueryId, string>>,
  at: number | undefined,
  concurrency: number,
  outcomes: Partial<Record<QueryId, QueryOutcome>>,
  timings: QueryTiming[],
): Promise<void> {
  const entries = Object.entries(queries) as [QueryId, string][];
  await forEachLimited(entries, concurrency, async ([id, query]) => {
    const started = performance.now();
    try {
      const result = await client.instant(query, at);
      outcomes[id] = { ok: true, ...result };
      timings.push({ id, ms: performance.now() - started, series: result.samples.length });
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      outcomes[id] = { ok: false, error };
      timings.push({ id, ms: performance.now() - started, series: 0 });
    }
  });
}

/** The job patterns, each checked to be a regular expression; throws a config error naming the bad one. */
function validJobs(jobs: PrometheusJobs): PrometheusJobs {
  for (const [key, pattern] of Object.entries(jobs)) {
    try {
      new RegExp(`^(?:${pattern})$`);
    } catch (error) {
      throw new SourceError(
        'prometheus',
        'config',
        `prometheus jobs.${key} ${JSON.stringify(pattern)} is not a valid regular expression (${(error as Error).message}); give a job name or an alternation such as "kubelet|kubernetes-nodes"`,
        { cause: error },
      );
    }
  }
  return jobs;
}

/** Stretches the since lookback to at least twice the longest rollout `for` plus one step. */
function sinceSettings(settings: QuerySettings, options: PrometheusCollectOptions): QuerySettings {
  const windows = options.forWindows ?? forWindowsOf();
  const longest = Math.max(0, ...ROLLOUT_CONDITIONS.map((c) => windows[c] ?? 0));
  const needed = 2 * longest + settings.stepSeconds;
  return needed > settings.sinceLookbackSeconds
    ? { ...settings, sinceLookbackSeconds: needed }
    : settings;
}

/** The history windows of the version and crash-loop rules under the options' `for` windows. */
function historyWindows(
  settings: QuerySettings,
  options: PrometheusCollectOptions,
): HistoryWindows {
  const windows = options.forWindows ?? forWindowsOf();
  const versions = historyWindow(windows.versions ?? 0, settings.stepSeconds);
  const crashLoop = historyWindow(windows.crashLoop ?? 0, settings.stepSeconds);
  return { ...(versions ? { versions } : {}), ...(crashLoop ? { crashLoop } : {}) };
}
