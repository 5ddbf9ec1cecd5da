/** The Kubernetes API client: GETs with deadlines, bounded retries and classified errors. */
import type { Agent, RequestOptions } from 'node:https';
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { SourceError } from '../errors';

/** How the client reaches an API server: base URL, TLS agent, and fresh auth headers per request. */
export interface KubeTarget {
  readonly server: string;
  readonly agent: Agent;
  /** Called per request so short-lived tokens (EKS, exec plugins) stay fresh. */
  readonly headers: () => Promise<Readonly<Record<string, string>>>;
}

/** Timeouts and retry bounds; every loop in the client is bounded by these. */
export interface RequestPolicy {
  readonly timeoutMs: number;
  /** Retries after a 429 / 5xx / reset, per request. */
  readonly maxRetries: number;
  /** Longest Retry-After honoured; a longer one fails the request at once (kind server). */
  readonly maxRetryAfterMs: number;
  /** First backoff for 5xx; doubles per retry. */
  readonly backoffMs: number;
}

/** Defaults sized for a five-minute schedule. */
export const DEFAULT_REQUEST_POLICY: RequestPolicy = {
  timeoutMs: 15_000,
  maxRetries: 3,
  maxRetryAfterMs: 10_000,
  backoffMs: 250,
};

/** A Kubernetes `Status` failure body, when the server sent one. */
interface StatusBody {
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
}

/** An HTTP failure with its status, for the caller to map (e.g. 410 restarts a list). */
export class KubeHttpError extends SourceError {
  constructor(
    kind: SourceError['kind'],
    message: string,
    readonly status: number | undefined,
    readonly statusBody: StatusBody | undefined,
    options?: { cause?: unknown },
  ) {
    super('kubernetes', kind, message, options);
  }
}

/** Counters a caller can read after a collection (requests, bytes, retries). */
export interface ClientStats {
  requests: number;
  bytes: number;
  retries: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** GETs JSON from the API server with timeouts and bounded retries; errors are classified SourceErrors. */
export class KubeClient {
  readonly stats: ClientStats = { requests: 0, bytes: 0, retries: 0 };

  constructor(
    private readonly target: KubeTarget,
    private readonly policy: RequestPolicy = DEFAULT_REQUEST_POLICY,
  ) {}

  /** GET `path` with `query`; parses the body as JSON. */
  async getJson(
    path: string,
    query: Readonly<Record<string, string | undefined>> = {},
  ): Promise<unknown> {
    const text = await this.getText(path, query, 'application/json');
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new KubeHttpError(
        'protocol',
        `GET ${path}: the API server sent a body that is not JSON (${text.length} bytes, ${(error as Error).message}); a proxy may be truncating responses`,
        200,
        undefined,
        { cause: error },
      );
    }
  }

  /** GET `path` and return the body as text (for Prometheus-format metrics endpoints). */
  async getText(
    path: string,
    query: Readonly<Record<string, string | undefined>> = {},
    accept = 'text/plain',
  ): Promise<string> {
    const url = new URL(
      path.replace(/^\//, ''),
      this.target.server.endsWith('/') ? this.target.server : `${this.target.server}/`,
    );
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    let attempt = 0;
    for (;;) {
      try {
        return await this.once(url, accept);
      } catch (error) {
        const delay = this.retryDelay(error, attempt);
        if (delay === undefined) throw this.finalError(error, url);
        attempt += 1;
        this.stats.retries += 1;
        await sleep(delay);
      }
    }
  }

  /** The error to report when retrying stops: a 429 says how long the server asked to wait. */
  private finalError(error: unknown, url: URL): unknown {
    const after = (error as { retryAfterMs?: number }).retryAfterMs;
    if (
      !(error instanceof KubeHttpError) ||
      error.status !== 429 ||
      after === undefined ||
      after <= this.policy.maxRetryAfterMs
    )
      return error;
    return new KubeHttpError(
      'server',
      `GET ${url.pathname}: 429 Too Many Requests; the API server asked to wait ${Math.round(after / 1000)} s (Retry-After), longer than the ${this.policy.maxRetryAfterMs / 1000} s skewguard waits within a run: run again in a few minutes, or when the API server is less loaded`,
      error.status,
      error.statusBody,
      { cause: error },
    );
  }

  /** How long to wait before retrying, or undefined when the error is final. */
  private retryDelay(error: unknown, attempt: number): number | undefined {
    if (!(error instanceof KubeHttpError) || attempt >= this.policy.maxRetries) return undefined;
    if (error.status === 429) {
      const after =
        (error as KubeHttpError & { retryAfterMs?: number }).retryAfterMs ?? this.policy.backoffMs;
      return after <= this.policy.maxRetryAfterMs ? after : undefined;
    }
    const retryable =
      (error.status !== undefined && error.status >= 500) || error.kind === 'server';
    return retryable ? this.policy.backoffMs * 2 ** attempt : undefined;
  }

  private async once(url: URL, accept: string): Promise<string> {
    const headers = { ...(await this.target.headers()), Accept: accept, 'User-Agent': 'skewguard' };
    const options: RequestOptions = {
      method: 'GET',
      agent: this.target.agent,
      headers,
      timeout: this.policy.timeoutMs,
    };
    this.stats.requests += 1;
    const {
      status,
      headers: responseHeaders,
      body,
    } = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>(
      (resolve, reject) => {
        const req = request(url, options, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            this.stats.bytes += chunk.length;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', (error) => reject(networkError(url, error)));
          res.on('aborted', () =>
            reject(
              new KubeHttpError(
                'server',
                `GET ${url.pathname}: the connection closed mid-response`,
                undefined,
                undefined,
              ),
            ),
          );
        });
        // One deadline for the whole exchange, not just socket idle time.
        const deadline = setTimeout(
          () => req.destroy(new TimeoutError(this.policy.timeoutMs)),
          this.policy.timeoutMs,
        );
        req.on('close', () => clearTimeout(deadline));
        req.on('timeout', () => req.destroy(new TimeoutError(this.policy.timeoutMs)));
        req.on('error', (error) => reject(networkError(url, error)));
        req.end();
      },
    );
    if (status >= 200 && status < 300) return body;
    throw httpError(url, status, responseHeaders, body);
  }
}

class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no complete answer within ${ms} ms`);
  }
}

function networkError(url: URL, error: Error & { code?: string }): KubeHttpError {
  const code = error.code ?? '';
  const where = `${url.host}`;
  if (error instanceof TimeoutError) {
    return new KubeHttpError(
      'timeout',
      `GET ${url.pathname}: ${error.message}; check network reachability of ${where} (VPC placement, security groups) and its load`,
      undefined,
      undefined,
      { cause: error },
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new KubeHttpError(
      'dns',
      `cannot resolve ${url.hostname} (${code}); check the server URL in the kubeconfig or config, and DNS from where skewguard runs`,
      undefined,
      undefined,
      { cause: error },
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    // The chain verified; only the name differs, so a CA bundle would not help.
    return new KubeHttpError(
      'tls',
      `the certificate of ${where} is for another host name (${error.message}); set tls-server-name in the kubeconfig cluster to a name the certificate carries, or use the server URL it is issued for`,
      undefined,
      undefined,
      { cause: error },
    );
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY/.test(code)) {
    return new KubeHttpError(
      'tls',
      `TLS verification of ${where} failed (${code}: ${error.message}); provide the cluster's CA bundle (certificate-authority-data in the kubeconfig, or caSecretArn)`,
      undefined,
      undefined,
      { cause: error },
    );
  }
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new KubeHttpError(
      'connection',
      code === 'ECONNREFUSED'
        ? `connection to ${where} refused; is the API server URL right and reachable from here?`
        : `no route to ${where} (${code}); check the network path (VPC placement, routes, security groups)`,
      undefined,
      undefined,
      { cause: error },
    );
  }
  // Resets and other transport failures are worth one more try.
  return new KubeHttpError(
    'server',
    `GET ${url.pathname} on ${where} failed (${code || error.message})`,
    undefined,
    undefined,
    { cause: error },
  );
}

function parseStatus(body: string): StatusBody | undefined {
  try {
    const parsed = JSON.parse(body) as StatusBody & { kind?: string };
    return parsed.kind === 'Status' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function httpError(
  url: URL,
  status: number,
  headers: IncomingHttpHeaders,
  body: string,
): KubeHttpError {
  const statusBody = parseStatus(body);
  const said = statusBody?.message ? `: ${statusBody.message}` : '';
  if (status === 401) {
    return new KubeHttpError(
      'auth',
      `the API server rejected the credentials (401 Unauthorized${said}); refresh the token or kubeconfig user (for EKS: the IAM role needs an access entry)`,
      status,
      statusBody,
    );
  }
  if (status === 403) {
    return new KubeHttpError(
      'forbidden',
      `403 Forbidden on GET ${url.pathname}${said}`,
      status,
      statusBody,
    );
  }
  if (status === 429) {
    const retryAfter = Number(headers['retry-after']);
    const error = new KubeHttpError(
      'server',
      `GET ${url.pathname}: 429 Too Many Requests (API priority and fairness); gave up within the retry bound (a few retries, Retry-After up to 10 s by default): run again when the API server is less loaded`,
      status,
      statusBody,
    );
    return Object.assign(error, {
      retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
    });
  }
  if (status === 410)
    return new KubeHttpError(
      'protocol',
      `GET ${url.pathname}: 410 Gone${said}`,
      status,
      statusBody,
    );
  if (status >= 500)
    return new KubeHttpError(
      'server',
      `GET ${url.pathname}: the API server answered ${status}${said}`,
      status,
      statusBody,
    );
  if (status === 404) {
    // A list path names its API group: say which one the server lacks, not just "Not Found".
    const api = /^\/apis\/([^/]+)\/([^/]+)\//.exec(url.pathname);
    const served = api
      ? `: the API server does not serve ${api[1]}/${api[2]}; the rules that need it are skipped, and a cluster that should serve it needs that API enabled or the extension that provides it installed`
      : '';
    return new KubeHttpError(
      'protocol',
      `GET ${url.pathname}: 404 Not Found${statusBody?.message ? ` (${statusBody.message})` : ''}${served}`,
      status,
      statusBody,
    );
  }
  return new KubeHttpError(
    'protocol',
    `GET ${url.pathname}: unexpected HTTP ${status}${said}`,
    status,
    statusBody,
  );
}
