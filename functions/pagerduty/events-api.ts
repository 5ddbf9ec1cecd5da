/** Posts one event to PagerDuty's Events API v2, retrying throttling, server errors and network failures a bounded number of times. */
import type { PagerDutyEvent } from '../../lib/notify/pagerduty';

/** How hard to try; the defaults keep the worst case well inside the function's timeout. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Delay before the second attempt; doubled for each one after. */
  readonly baseDelayMs: number;
  /** No wait is longer, whatever the doubling or a Retry-After header says. */
  readonly maxDelayMs: number;
  /** Deadline of one request. */
  readonly requestTimeoutMs: number;
}

/** 5 attempts, 0.5 s doubling to at most 8 s, 8 s per request: at most about 48 s in all. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  requestTimeoutMs: 8_000,
};

/** PagerDuty's answer to one request, as logged (never the event, which carries the routing key). */
export interface EventsApiAnswer {
  /** HTTP status; 0 when no answer came (network error, timeout). */
  readonly status: number;
  readonly message?: string;
  readonly dedupKey?: string;
  /** PagerDuty's reasons for a 400, or the network error. */
  readonly errors?: readonly string[];
}

/** The outcome of {@link postEvent}: the last answer and how many attempts it took. */
export interface PostResult {
  readonly ok: boolean;
  /** Whether the failure was one a retry could fix (it was retried until the attempts ran out). */
  readonly retryable: boolean;
  readonly attempts: number;
  readonly answer: EventsApiAnswer;
}

/** Hooks for the tests and the handler's log lines. */
export interface PostOptions {
  readonly policy?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called after each attempt, for logging. */
  readonly onAttempt?: (attempt: number, answer: EventsApiAnswer, willRetry: boolean) => void;
}

const sleepFor = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** 429 and 5xx are PagerDuty's "try again"; any other 4xx means the event itself is wrong. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

/** The wait before attempt `attempt + 1`: exponential with equal jitter, or Retry-After, capped. */
export function backoffMs(
  attempt: number,
  policy: RetryPolicy,
  retryAfterSeconds?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterSeconds !== undefined && retryAfterSeconds >= 0)
    return Math.min(policy.maxDelayMs, retryAfterSeconds * 1000);
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Jitter spreads the retries of forwarders that were throttled together.
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** Posts `event` to `url` until it is accepted, rejected for good, or the attempts run out. */
export async function postEvent(
  url: string,
  event: PagerDutyEvent,
  options: PostOptions = {},
): Promise<PostResult> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? sleepFor;
  const body = JSON.stringify(event);
  for (let attempt = 1; ; attempt++) {
    const { answer, retryAfterSeconds } = await postOnce(url, body, policy.requestTimeoutMs);
    const ok = answer.status >= 200 && answer.status < 300;
    const retryable = !ok && isRetryableStatus(answer.status);
    const willRetry = retryable && attempt < policy.maxAttempts;
    options.onAttempt?.(attempt, answer, willRetry);
    if (!willRetry) return { ok, retryable, attempts: attempt, answer };
    await sleep(backoffMs(attempt, policy, retryAfterSeconds));
  }
}

async function postOnce(
  url: string,
  body: string,
  timeoutMs: number,
): Promise<{ answer: EventsApiAnswer; retryAfterSeconds?: number }> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const reason = `${(error as Error).name}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`;
    return { answer: { status: 0, errors: [reason] } };
  }
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  return {
    answer: { status: response.status, ...answerFields(text) },
    ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
  };
}

/** `message`, `dedup_key` and `errors` of PagerDuty's JSON answer; a non-JSON body becomes the message. */
function answerFields(text: string): Omit<EventsApiAnswer, 'status'> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text === '' ? {} : { message: text.slice(0, 500) };
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const a = parsed as Record<string, unknown>;
  const errors = Array.isArray(a['errors'])
    ? a['errors'].filter((e): e is string => typeof e === 'string')
    : undefined;
  return {
    ...(typeof a['message'] === 'string' ? { message: a['message'] } : {}),
    ...(typeof a['dedup_key'] === 'string' ? { dedupKey: a['dedup_key'] } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}
