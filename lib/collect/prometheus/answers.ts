/**
 * What an answer from Prometheus means: a usable envelope, or an AttemptError that says what went
 * wrong, how to fix it, and whether another attempt may succeed.
 */
import type { AxiosResponse } from 'axios';
import { AxiosError } from 'axios';
import type { SourceErrorKind } from '../../rules/model';
import { SourceError } from '../errors';
import type { PrometheusAuth } from './auth';
import { CREDENTIALS_HINT } from './auth';
import type { Envelope } from './response';
import { describeBody, parseEnvelope, retryAfter, short } from './response';

/** What the classification needs of the client: where it points, how it signs, its bounds. */
export interface AnswerContext {
  readonly base: string;
  readonly authType: PrometheusAuth['type'];
  readonly policy: { readonly timeoutMs: number; readonly maxResponseBytes: number };
}

/** A failed attempt, with what decides whether to retry it. */
export class AttemptError extends SourceError {
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

export function envelopeOf(
  ctx: AnswerContext,
  response: AxiosResponse<string>,
  text: string,
  query: string,
): Envelope {
  const { status } = response;
  const envelope = parseEnvelope(text);
  const said = envelope?.error
    ? `: ${envelope.errorType ? `${envelope.errorType}: ` : ''}${envelope.error}`
    : '';
  if (status >= 200 && status < 300) {
    if (!envelope) {
      throw new AttemptError(
        'protocol',
        `${ctx.base} answered ${short(query)} with a body that is not the Prometheus JSON envelope (${describeBody(response, text)}); check that the URL points at the Prometheus API and not at a login page or UI`,
        false,
      );
    }
    if (envelope.status === 'success') return envelope;
    throw statusError(envelope, query);
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
      `Prometheus at ${ctx.base} rejected the credentials (401 Unauthorized${said}); ${authFix(ctx)}`,
      false,
    );
  }
  if (status === 403) {
    throw new AttemptError(
      'forbidden',
      `Prometheus at ${ctx.base} refused the query (403 Forbidden${said}); ${
        ctx.authType === 'sigv4'
          ? 'grant aps:QueryMetrics on the workspace to the IAM role skewguard runs as'
          : 'give the credentials read access to the query API'
      }`,
      false,
    );
  }
  if (status === 404) {
    throw new AttemptError(
      'config',
      `${ctx.base}/api/v1/query does not exist (404); set the Prometheus URL to the API base (for AMP: https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace-id>)`,
      false,
    );
  }
  if (status === 429 || status >= 500) {
    const retryAfterMs = retryAfter(response.headers['retry-after']);
    const kind: SourceErrorKind = envelope?.errorType === 'timeout' ? 'timeout' : 'server';
    throw new AttemptError(
      kind,
      `Prometheus at ${ctx.base} answered ${short(query)} with HTTP ${status}${said || ` (${describeBody(response, text)})`}`,
      true,
      retryAfterMs,
    );
  }
  if (status >= 300 && status < 400) {
    throw new AttemptError(
      'config',
      `Prometheus at ${ctx.base} redirects (HTTP ${status} to ${String(response.headers['location'] ?? '?')}); use the final URL, skewguard does not follow redirects with credentials`,
      false,
    );
  }
  throw new AttemptError(
    'protocol',
    `Prometheus at ${ctx.base} answered ${short(query)} with unexpected HTTP ${status}${said}`,
    false,
  );
}

/** `status: error` in a 2xx body: the error type decides the kind. */
function statusError(envelope: Envelope, query: string): AttemptError {
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

function authFix(ctx: AnswerContext): string {
  switch (ctx.authType) {
    case 'sigv4':
      return 'the AWS credentials skewguard signs with are invalid or expired';
    case 'none':
      return `no credentials were sent; ${CREDENTIALS_HINT}`;
    case 'basic':
    case 'bearer':
      return `the ${ctx.authType} credentials were refused; check them (${CREDENTIALS_HINT})`;
  }
}

export function networkError(ctx: AnswerContext, error: unknown, path: string): AttemptError {
  const where = new URL(ctx.base).host;
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
      `no complete answer from Prometheus at ${where} within ${ctx.policy.timeoutMs} ms; check that it is reachable from here (VPC, security groups, proxy) and not overloaded`,
      true,
      undefined,
      { cause },
    );
  }
  if (causeCode === 'ENOTFOUND' || causeCode === 'EAI_AGAIN') {
    return new AttemptError(
      'dns',
      `cannot resolve ${new URL(ctx.base).hostname} (${causeCode}); check the Prometheus URL and DNS from where skewguard runs`,
      false,
      undefined,
      { cause },
    );
  }
  if (causeCode === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new AttemptError(
      'tls',
      `the certificate of Prometheus at ${where} is not issued for ${new URL(ctx.base).hostname} (${message}); use the URL the certificate is issued for`,
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
      `Prometheus at ${where} sent more than ${ctx.policy.maxResponseBytes} bytes for one query; narrow the selector`,
      false,
      undefined,
      { cause },
    );
  }
  if (causeCode === 'ECONNREFUSED' || causeCode === 'EHOSTUNREACH' || causeCode === 'ENETUNREACH') {
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
