/**
 * The Prometheus HTTP API client on axios: form-encoded POST queries, bounded retries, classified
 * errors, every auth a user has, and SigV4 for Amazon Managed Prometheus.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AxiosInstance, AxiosResponse } from 'axios';
import axios from 'axios';
import { SourceError } from '../errors';
import { defaultCredentials, sigV4Interceptor, signingRegion } from './sigv4';
import type { PrometheusAuth } from './auth';
import { CREDENTIALS_HINT, authHeader } from './auth';
import type { Envelope } from './response';
import { isObject, labelsOf, pointOf, short } from './response';
import { AttemptError, envelopeOf, networkError } from './answers';
import type { InstantResult, PrometheusStats, RangeSeries } from './types';

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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A Prometheus HTTP API client: instant and range queries with retries, classified SourceErrors. */
export class PrometheusClient {
  readonly stats: PrometheusStats = { requests: 0, bytes: 0, retries: 0 };
  readonly base: string;
  readonly policy: PrometheusRequestPolicy;
  private readonly http: AxiosInstance;
  readonly authType: PrometheusAuth['type'];

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
    const skipped: string[] = [];
    const samples = data.result.flatMap((item) => {
      const metric = labelsOf(item);
      const value = pointOf(isObject(item) ? item['value'] : undefined);
      if (!metric || !value)
        throw this.shapeError(query, 'a vector sample without labels or value');
      // NaN and ±Inf are valid PromQL values but never a timestamp or a count; one such sample
      // must not turn into "Invalid time value" and end the whole source.
      if (!Number.isFinite(value[1])) {
        skipped.push(
          `skipped the sample ${seriesName(metric)} of ${short(query)} from ${this.base}: its value is ${String(value[1])}, not a finite number`,
        );
        return [];
      }
      evaluatedAt = value[0];
      return [{ metric, value: value[1] }];
    });
    return {
      samples,
      warnings: [...(envelope.warnings ?? []), ...skipped],
      ...(envelope.warnings && envelope.warnings.length > 0
        ? { serverWarnings: envelope.warnings }
        : {}),
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
      // Non-finite points are dropped for the same reason as in instant().
      const finite = (values as (readonly [number, number])[]).filter(([, v]) =>
        Number.isFinite(v),
      );
      return { metric, values: finite };
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
      throw networkError(this, error, path);
    }
    const text = typeof response.data === 'string' ? response.data : '';
    this.stats.bytes += Buffer.byteLength(text);
    return envelopeOf(this, response, text, query);
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

/** A series as PromQL writes it, `{a="1", b="2"}`, for messages. */
function seriesName(metric: Readonly<Record<string, string>>): string {
  return `{${Object.entries(metric)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;
}
