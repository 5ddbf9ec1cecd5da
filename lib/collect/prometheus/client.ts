/**
 * The Prometheus source: an HTTP API client on axios (form-encoded POST queries, bounded retries,
 * classified errors, every auth a user has, SigV4 for Amazon Managed Prometheus) and the
 * collection that turns a fixed set of queries into a ClusterSnapshot.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AxiosInstance, AxiosResponse } from 'axios';
import axios, { AxiosError } from 'axios';
import type { ClusterSnapshot, RolloutCondition, SourceErrorKind } from '../../rules/model';
import type { SignerCredentials } from '../aws/eks-token';
import { SourceError } from '../errors';
import { forWindowsOf } from './history-windows';
import type { PrometheusJobs, QueryId, QuerySettings } from './queries';
import {
  firstRoundQueries,
  secondRoundQueries,
  thirdRoundQueries,
  DEFAULT_JOBS,
  DEFAULT_QUERY_SETTINGS,
  parseSelector,
} from './queries';
import {
  absentFamilies,
  mixedClusters,
  offendersOf,
  podTargetsOf,
  settleNarrowedOutcomes,
} from './rounds';
import type { QueryOutcome } from './snapshot';
import { buildPrometheusSnapshot } from './snapshot';
import { defaultCredentials, regionFromUrl, sigV4Interceptor, signingRegion } from './sigv4';

/** How skewguard authenticates to Prometheus; the config schema mirrors this. */
export type PrometheusAuth =
  | { readonly type: 'none' }
  | { readonly type: 'basic'; readonly username: string; readonly password: string }
  | { readonly type: 'bearer'; readonly token: string }
  | {
      readonly type: 'sigv4';
      /** Defaults to the region in an `aps-workspaces.<region>.amazonaws.com` URL. */
      readonly region?: string;
      /** Defaults to the AWS SDK's default provider chain. */
      readonly credentials?: SignerCredentials;
    };

/** Where Prometheus credentials go, for the deployed checker and for `skewguard check`. */
const CREDENTIALS_HINT =
  'give them as prometheus.auth (basic or bearer) in skewguard.config.yaml, or for skewguard check ' +
  'in SKEWGUARD_PROMETHEUS_TOKEN, or SKEWGUARD_PROMETHEUS_USERNAME and SKEWGUARD_PROMETHEUS_PASSWORD';

/** Timeouts and retry bounds; every wait in the client is bounded by these. */
export interface PrometheusRequestPolicy {
  /** Deadline of one HTTP exchange, connect to last byte. */
  readonly timeoutMs: number;
  /** Retries after a 429, 5xx, timeout or reset, per query. */
  readonly maxRetries: number;
  /** First backoff; doubles per retry. */
  readonly backoffMs: number;
  /** Longest Retry-After honoured; a longer one fails the query. */
  readonly maxRetryAfterMs: number;
  /** Largest response body accepted. */
  readonly maxResponseBytes: number;
  /** Queries in flight at once. */
  readonly concurrency: number;
}

/** Defaults sized for a five-minute schedule. */
export const DEFAULT_PROMETHEUS_POLICY: PrometheusRequestPolicy = {
  timeoutMs: 20_000,
  maxRetries: 2,
  backoffMs: 500,
  maxRetryAfterMs: 10_000,
  maxResponseBytes: 64 * 1024 * 1024,
  concurrency: 4,
};

/** Where and how to reach a Prometheus-compatible HTTP API. */
export interface PrometheusClientOptions {
  /** Base URL without `/api/v1`, e.g. `https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1`. */
  readonly url: string;
  readonly auth: PrometheusAuth;
  /** PEM bundle of the CAs to trust instead of the system ones. */
  readonly caPem?: string;
  readonly policy?: Partial<PrometheusRequestPolicy>;
  /** The SigV4 signing clock, for tests. */
  readonly signingNow?: () => Date;
}

/** One series of a vector result. */
export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One series of a matrix result. */
export interface RangeSeries {
  readonly metric: Readonly<Record<string, string>>;
  /** [epoch ms, value] pairs. */
  readonly values: readonly (readonly [number, number])[];
}

/** An instant query's series and the warnings Prometheus attached. */
export interface InstantResult {
  readonly samples: readonly Sample[];
  readonly warnings: readonly string[];
  /** The evaluation time the server reported (epoch ms), when the result had a sample. */
  readonly evaluatedAt?: number;
}

/** Counters a caller reads after a collection. */
export interface PrometheusStats {
  requests: number;
  bytes: number;
  retries: number;
}

/** The response envelope of the Prometheus HTTP API. */
interface Envelope {
  readonly status: 'success' | 'error';
  readonly data?: { readonly resultType: string; readonly result: unknown };
  readonly errorType?: string;
  readonly error?: string;
  readonly warnings?: readonly string[];
}

/** A failed attempt, with what decides whether to retry it. */
class AttemptError extends SourceError {
  constructor(
    kind: SourceErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super('prometheus', kind, message, options);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A Prometheus HTTP API client: instant and range queries with retries, classified SourceErrors. */
export class PrometheusClient {
  readonly stats: PrometheusStats = { requests: 0, bytes: 0, retries: 0 };
  private readonly base: string;
  private readonly policy: PrometheusRequestPolicy;
  private readonly http: AxiosInstance;
  private readonly authType: PrometheusAuth['type'];

  private constructor(
    options: PrometheusClientOptions,
    sign: ReturnType<typeof sigV4Interceptor> | undefined,
  ) {
    this.base = baseUrl(options.url);
    this.policy = { ...DEFAULT_PROMETHEUS_POLICY, ...options.policy };
    this.authType = options.auth.type;
    const secure = this.base.startsWith('https:');
    this.http = axios.create({
      timeout: this.policy.timeoutMs,
      maxContentLength: this.policy.maxResponseBytes,
      maxRedirects: 0,
      responseType: 'text',
      // The body is serialised here, once, so what SigV4 signs is byte for byte what is sent.
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      headers: { Accept: 'application/json', ...authHeader(options.auth) },
      ...(secure
        ? {
            httpsAgent: new HttpsAgent({
              keepAlive: true,
              rejectUnauthorized: true,
              ...(options.caPem !== undefined ? { ca: options.caPem } : {}),
            }),
          }
        : { httpAgent: new HttpAgent({ keepAlive: true }) }),
    });
    if (sign) this.http.interceptors.request.use(sign);
  }

  /** Validates the URL and auth, resolving the SigV4 region and credentials. */
  static async create(options: PrometheusClientOptions): Promise<PrometheusClient> {
    const base = baseUrl(options.url);
    const { auth } = options;
    if (auth.type !== 'sigv4') return new PrometheusClient(options, undefined);
    const sign = sigV4Interceptor({
      region: signingRegion(base, auth.region),
      credentials: auth.credentials ?? (await defaultCredentials()),
      ...(options.signingNow ? { now: options.signingNow } : {}),
    });
    return new PrometheusClient(options, sign);
  }

  /** Answers when the API is reachable and authorised; `vector(1)` also works on AMP (no buildinfo). */
  async probe(atMs?: number): Promise<void> {
    const result = await this.instant('vector(1)', atMs);
    if (result.samples[0]?.value !== 1) {
      throw new SourceError(
        'prometheus',
        'protocol',
        `${this.base} answered the health probe vector(1) without the value 1; is this a Prometheus-compatible query API?`,
      );
    }
  }

  /** An instant query at `atMs` (default: the server's now); the result must be a vector. */
  async instant(query: string, atMs?: number): Promise<InstantResult> {
    const form: Record<string, string> = { query };
    if (atMs !== undefined) form['time'] = (atMs / 1000).toFixed(3);
    const envelope = await this.post('/api/v1/query', form, query);
    const data = envelope.data;
    if (data?.resultType !== 'vector' || !Array.isArray(data.result)) {
      throw this.shapeError(query, `a ${data?.resultType ?? 'missing'} result, expected a vector`);
    }
    let evaluatedAt: number | undefined;
    const samples = data.result.map((item) => {
      const metric = labelsOf(item);
      const value = pointOf(isObject(item) ? item['value'] : undefined);
      if (!metric || !value)
        throw this.shapeError(query, 'a vector sample without labels or value');
      evaluatedAt = value[0];
      return { metric, value: value[1] };
    });
    return {
      samples,
      warnings: envelope.warnings ?? [],
      ...(evaluatedAt !== undefined ? { evaluatedAt } : {}),
    };
  }

  /** A range query from `startMs` to `endMs` every `stepSeconds`; the result must be a matrix. */
  async range(
    query: string,
    startMs: number,
    endMs: number,
    stepSeconds: number,
  ): Promise<RangeSeries[]> {
    const envelope = await this.post(
      '/api/v1/query_range',
      {
        query,
        start: (startMs / 1000).toFixed(3),
        end: (endMs / 1000).toFixed(3),
        step: String(stepSeconds),
      },
      query,
    );
    const data = envelope.data;
    if (data?.resultType !== 'matrix' || !Array.isArray(data.result)) {
      throw this.shapeError(query, `a ${data?.resultType ?? 'missing'} result, expected a matrix`);
    }
    return data.result.map((item) => {
      const metric = labelsOf(item);
      const raw = isObject(item) ? item['values'] : undefined;
      const values = Array.isArray(raw) ? raw.map(pointOf) : undefined;
      if (!metric || !values || values.some((v) => v === undefined)) {
        throw this.shapeError(query, 'a matrix series without labels or values');
      }
      return { metric, values: values as (readonly [number, number])[] };
    });
  }

  private shapeError(query: string, what: string): SourceError {
    return new SourceError(
      'prometheus',
      'protocol',
      `Prometheus answered ${short(query)} with ${what}; is ${this.base} a Prometheus-compatible query API?`,
    );
  }

  /** POSTs a form and returns the success envelope, retrying within the policy's bounds. */
  private async post(
    path: string,
    form: Readonly<Record<string, string>>,
    query: string,
  ): Promise<Envelope> {
    const body = new URLSearchParams(form).toString();
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.once(path, body, query);
      } catch (error) {
        if (!(error instanceof AttemptError)) throw error;
        const delay = this.retryDelay(error, attempt);
        if (delay === undefined) {
          const waitTooLong =
            error.retryAfterMs !== undefined && error.retryAfterMs > this.policy.maxRetryAfterMs
              ? ` (it asked to retry after ${Math.ceil(error.retryAfterMs / 1000)} s, longer than the ${this.policy.maxRetryAfterMs / 1000} s skewguard waits)`
              : '';
          const gaveUp =
            attempt > 0 && error.retryable ? ` (gave up after ${attempt + 1} attempts)` : '';
          throw new SourceError('prometheus', error.kind, error.message + waitTooLong + gaveUp, {
            cause: error.cause ?? error,
          });
        }
        this.stats.retries += 1;
        await sleep(delay);
      }
    }
  }

  /** How long to wait before the next attempt, or undefined when the error is final. */
  private retryDelay(error: AttemptError, attempt: number): number | undefined {
    if (!error.retryable || attempt >= this.policy.maxRetries) return undefined;
    if (error.retryAfterMs !== undefined) {
      return error.retryAfterMs <= this.policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
    }
    return this.policy.backoffMs * 2 ** attempt;
  }

  private async once(path: string, body: string, query: string): Promise<Envelope> {
    this.stats.requests += 1;
    let response: AxiosResponse<string>;
    try {
      response = await this.http.request<string>({
        method: 'POST',
        url: this.base + path,
        data: body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        // One deadline for the whole exchange; axios' own timeout only watches socket idleness.
        signal: AbortSignal.timeout(this.policy.timeoutMs),
      });
    } catch (error) {
      if (error instanceof SourceError) throw error;
      throw this.networkError(error, path);
    }
    const text = typeof response.data === 'string' ? response.data : '';
    this.stats.bytes += Buffer.byteLength(text);
    return this.envelopeOf(response, text, query);
  }

  private envelopeOf(response: AxiosResponse<string>, text: string, query: string): Envelope {
    const { status } = response;
    const envelope = parseEnvelope(text);
    const said = envelope?.error
      ? `: ${envelope.errorType ? `${envelope.errorType}: ` : ''}${envelope.error}`
      : '';
    if (status >= 200 && status < 300) {
      if (!envelope) {
        throw new AttemptError(
          'protocol',
          `${this.base} answered ${short(query)} with a body that is not the Prometheus JSON envelope (${describeBody(response, text)}); check that the URL points at the Prometheus API and not at a login page or UI`,
          false,
        );
      }
      if (envelope.status === 'success') return envelope;
      throw this.statusError(envelope, query);
    }
    if (status === 400 || status === 422) {
      throw new AttemptError(
        'config',
        `Prometheus rejected the query ${short(query)} (HTTP ${status}${said}); check the selector and that the server speaks PromQL`,
        false,
      );
    }
    if (status === 401) {
      throw new AttemptError(
        'auth',
        `Prometheus at ${this.base} rejected the credentials (401 Unauthorized${said}); ${this.authFix()}`,
        false,
      );
    }
    if (status === 403) {
      throw new AttemptError(
        'forbidden',
        `Prometheus at ${this.base} refused the query (403 Forbidden${said}); ${
          this.authType === 'sigv4'
            ? 'grant aps:QueryMetrics on the workspace to the IAM role skewguard runs as'
            : 'give the credentials read access to the query API'
        }`,
        false,
      );
    }
    if (status === 404) {
      throw new AttemptError(
        'config',
        `${this.base}/api/v1/query does not exist (404); set the Prometheus URL to the API base (for AMP: https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace-id>)`,
        false,
      );
    }
    if (status === 429 || status >= 500) {
      const retryAfterMs = retryAfter(response.headers['retry-after']);
      const kind: SourceErrorKind = envelope?.errorType === 'timeout' ? 'timeout' : 'server';
      throw new AttemptError(
        kind,
        `Prometheus at ${this.base} answered ${short(query)} with HTTP ${status}${said || ` (${describeBody(response, text)})`}`,
        true,
        retryAfterMs,
      );
    }
    if (status >= 300 && status < 400) {
      throw new AttemptError(
        'config',
        `Prometheus at ${this.base} redirects (HTTP ${status} to ${String(response.headers['location'] ?? '?')}); use the final URL, skewguard does not follow redirects with credentials`,
        false,
      );
    }
    throw new AttemptError(
      'protocol',
      `Prometheus at ${this.base} answered ${short(query)} with unexpected HTTP ${status}${said}`,
      false,
    );
  }

  /** `status: error` in a 2xx body: the error type decides the kind. */
  private statusError(envelope: Envelope, query: string): AttemptError {
    const what = `${envelope.errorType ?? 'error'}: ${envelope.error ?? 'no message'}`;
    if (envelope.errorType === 'bad_data' || envelope.errorType === 'execution') {
      return new AttemptError(
        'config',
        `Prometheus rejected the query ${short(query)} (${what}); check the selector and that the server speaks PromQL`,
        false,
      );
    }
    if (envelope.errorType === 'timeout') {
      return new AttemptError('timeout', `Prometheus timed out on ${short(query)} (${what})`, true);
    }
    return new AttemptError(
      'protocol',
      `Prometheus answered ${short(query)} with status error (${what})`,
      false,
    );
  }

  private authFix(): string {
    switch (this.authType) {
      case 'sigv4':
        return 'the AWS credentials skewguard signs with are invalid or expired';
      case 'none':
        return `no credentials were sent; ${CREDENTIALS_HINT}`;
      case 'basic':
      case 'bearer':
        return `the ${this.authType} credentials were refused; check them (${CREDENTIALS_HINT})`;
    }
  }

  private networkError(error: unknown, path: string): AttemptError {
    const where = new URL(this.base).host;
    const code = error instanceof AxiosError ? (error.code ?? '') : '';
    const cause = error instanceof AxiosError ? (error.cause ?? error) : error;
    const causeCode = (cause as { code?: string } | undefined)?.code ?? code;
    const message = (error as Error).message;
    if (
      code === 'ECONNABORTED' ||
      code === 'ETIMEDOUT' ||
      code === 'ERR_CANCELED' ||
      causeCode === 'ETIMEDOUT'
    ) {
      return new AttemptError(
        'timeout',
        `no complete answer from Prometheus at ${where} within ${this.policy.timeoutMs} ms; check that it is reachable from here (VPC, security groups, proxy) and not overloaded`,
        true,
        undefined,
        { cause },
      );
    }
    if (causeCode === 'ENOTFOUND' || causeCode === 'EAI_AGAIN') {
      return new AttemptError(
        'dns',
        `cannot resolve ${new URL(this.base).hostname} (${causeCode}); check the Prometheus URL and DNS from where skewguard runs`,
        false,
        undefined,
        { cause },
      );
    }
    if (/CERT|SSL|TLS|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY|EPROTO/.test(causeCode)) {
      return new AttemptError(
        'tls',
        `TLS verification of Prometheus at ${where} failed (${causeCode}: ${message}); provide its CA bundle (caPem) or use the URL its certificate is issued for`,
        false,
        undefined,
        { cause },
      );
    }
    if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(message)) {
      return new AttemptError(
        'protocol',
        `Prometheus at ${where} sent more than ${this.policy.maxResponseBytes} bytes for one query; narrow the selector`,
        false,
        undefined,
        { cause },
      );
    }
    if (
      causeCode === 'ECONNREFUSED' ||
      causeCode === 'EHOSTUNREACH' ||
      causeCode === 'ENETUNREACH'
    ) {
      return new AttemptError(
        'connection',
        causeCode === 'ECONNREFUSED'
          ? `connection to Prometheus at ${where} refused; is the URL (host and port) right and the server up?`
          : `no route to Prometheus at ${where} (${causeCode}); check the network path (VPC placement, routes, security groups)`,
        true,
        undefined,
        { cause },
      );
    }
    return new AttemptError(
      'server',
      `POST ${path} to Prometheus at ${where} failed (${causeCode || message})`,
      true,
      undefined,
      { cause },
    );
  }
}

/** The base URL without a trailing slash; throws a config error when it is not http(s). */
function baseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SourceError(
      'prometheus',
      'config',
      `the Prometheus URL ${JSON.stringify(url)} is not a URL; give e.g. https://prometheus.example.com or the AMP workspace URL`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new SourceError(
      'prometheus',
      'config',
      `the Prometheus URL must be http(s), not ${parsed.protocol}`,
    );
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new SourceError(
      'prometheus',
      'config',
      `the Prometheus URL must not carry a query, fragment or credentials; ${CREDENTIALS_HINT}`,
    );
  }
  return parsed.toString().replace(/\/+$/, '');
}

function authHeader(auth: PrometheusAuth): Record<string, string> {
  switch (auth.type) {
    case 'basic':
      return {
        Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
      };
    case 'bearer':
      return { Authorization: `Bearer ${auth.token}` };
    case 'none':
    case 'sigv4':
      return {};
  }
}

function parseEnvelope(text: string): Envelope | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!isObject(parsed)) return undefined;
    if (parsed['status'] !== 'success' && parsed['status'] !== 'error') return undefined;
    return parsed as unknown as Envelope;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function labelsOf(item: unknown): Record<string, string> | undefined {
  const metric = isObject(item) ? item['metric'] : undefined;
  if (!isObject(metric)) return undefined;
  return Object.values(metric).every((v) => typeof v === 'string')
    ? (metric as Record<string, string>)
    : undefined;
}

/** `[seconds, "value"]` → [epoch ms, number]. */
function pointOf(point: unknown): readonly [number, number] | undefined {
  if (!Array.isArray(point) || point.length !== 2) return undefined;
  const [ts, value] = point as unknown[];
  if (typeof ts !== 'number' || typeof value !== 'string') return undefined;
  return [Math.round(ts * 1000), Number(value)];
}

/** Retry-After in ms: delta-seconds or an HTTP date. */
function retryAfter(header: unknown): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function describeBody(response: AxiosResponse<string>, text: string): string {
  const type = String(response.headers['content-type'] ?? 'no content type');
  const start = text.slice(0, 80).replace(/\s+/g, ' ').trim();
  return `${type}, ${text.length} bytes${start ? `, starting ${JSON.stringify(start)}` : ''}`;
}

/** A query shortened for messages. */
function short(query: string): string {
  return query.length > 160 ? `${JSON.stringify(query.slice(0, 157))}…` : JSON.stringify(query);
}

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
   * `for` windows (seconds) of the rollout conditions (default: forWindowsOf() the default
   * policy); the history read for `conditionSince` reaches at least twice the longest plus a
   * step, so a condition that has held for its window is always dated as such.
   */
  readonly forWindows?: Readonly<Partial<Record<RolloutCondition, number>>>;
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
  await run(firstRoundQueries(selector, jobs, settings));
  const mixed = mixedClusters(outcomes.versions);
  if (mixed) throw mixedClustersError(options, mixed);
  const offenders = offendersOf(outcomes);
  const absent = absentFamilies(outcomes.presence);
  await run(secondRoundQueries(selector, offenders.found, absent, settings));
  const targets = podTargetsOf(offenders.found, outcomes.owners);
  await run(thirdRoundQueries(selector, targets));
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
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const [id, query] = entries[next++] as [QueryId, string];
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
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
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

export { forWindowsOf };

/**
 * The auth of `skewguard check --prometheus-url`: SigV4 for AMP URLs, else a bearer token or
 * basic credentials from the environment (kept out of the command line, shell history and ps).
 */
export function cliPrometheusAuth(
  url: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): PrometheusAuth {
  const token = env['SKEWGUARD_PROMETHEUS_TOKEN'];
  const username = env['SKEWGUARD_PROMETHEUS_USERNAME'];
  const password = env['SKEWGUARD_PROMETHEUS_PASSWORD'];
  const fail = (problem: string): SourceError =>
    new SourceError('prometheus', 'config', `${problem}; ${CREDENTIALS_HINT}`);
  if (regionFromUrl(url) !== undefined) {
    if (token !== undefined || username !== undefined || password !== undefined) {
      throw new SourceError(
        'prometheus',
        'config',
        'Amazon Managed Prometheus URLs are signed with SigV4 from the AWS credential chain and take no token or password; unset SKEWGUARD_PROMETHEUS_TOKEN, SKEWGUARD_PROMETHEUS_USERNAME and SKEWGUARD_PROMETHEUS_PASSWORD',
      );
    }
    return { type: 'sigv4' };
  }
  if (token !== undefined && (username !== undefined || password !== undefined))
    throw fail('both a bearer token and a username/password are set: keep one');
  if (token !== undefined) {
    if (token.trim() === '') throw fail('SKEWGUARD_PROMETHEUS_TOKEN is empty');
    return { type: 'bearer', token: token.trim() };
  }
  if (username !== undefined || password !== undefined) {
    if (!username || password === undefined)
      throw fail(
        'basic auth needs both SKEWGUARD_PROMETHEUS_USERNAME and SKEWGUARD_PROMETHEUS_PASSWORD',
      );
    return { type: 'basic', username, password };
  }
  return { type: 'none' };
}

/** Stretches the since lookback to at least twice the longest `for` window plus one step. */
function sinceSettings(settings: QuerySettings, options: PrometheusCollectOptions): QuerySettings {
  const longest = Math.max(0, ...Object.values(options.forWindows ?? forWindowsOf()));
  const needed = 2 * longest + settings.stepSeconds;
  return needed > settings.sinceLookbackSeconds
    ? { ...settings, sinceLookbackSeconds: needed }
    : settings;
}
