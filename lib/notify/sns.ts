/**
 * Publishes a run's notifications to one standard SNS topic: the human digest first, then one
 * machine message per transition (and chat messages when enabled) with bounded concurrency.
 *
 * Delivery contract (see PublishResult): if the digest fails, nothing else is sent and
 * `publish` throws PublishError, so every transition stays owed. After that, a failed machine
 * or chat message leaves only the transitions it carries undelivered; the caller releases them
 * and the next run sends them (and the digest mentioning them) again. Duplicates are possible,
 * losses are not; pagers fold duplicates by `dedupKey`.
 *
 * Known cost of that contract: delivery is recorded per transition, not per audience, so while
 * one machine message keeps failing, every run re-sends the digest that mentions it (once per
 * run, with everything else new). Recording each audience's delivery would need per-audience
 * notified state in the ledger item and a notifier that skips audiences already served; until
 * then the PublishFailures alarm makes the repeating failure visible.
 */
import type { MessageAttributeValue, SNSClient } from '@aws-sdk/client-sns';
import { PublishCommand } from '@aws-sdk/client-sns';
import { renderChat } from './chat';
import type { HumanRenderOptions } from './human';
import { renderHuman } from './human';
import { incidentMessages } from './incidents';
import type { MachineRenderOptions } from './machine';
import { renderMachine } from './machine';
import type {
  MessageAttributes,
  NotificationBatch,
  Notifier,
  OutboundMessage,
  PublishResult,
} from './publisher';
import { NOTHING_PUBLISHED, PublishError, deliveryResult } from './publisher';
import { forEachLimited } from '../util/concurrency';

/** Settings of the SNS notifier; only `topicArn` is required. */
export interface SnsNotifierOptions {
  /** The standard (not FIFO) topic every message goes to. */
  readonly topicArn: string;
  /**
   * Also publish AWS Chatbot custom notifications (audience=chat).
   * @default false
   */
  readonly chat?: boolean;
  /**
   * Machine and chat messages in flight at once.
   * @default 8
   */
  readonly concurrency?: number;
  /**
   * Attempts per message when SNS throttles or fails on its side, on top of the SDK client's
   * own retries (create the client with a small `maxAttempts`, e.g. 2). At most 5.
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * First backoff in milliseconds; doubles per attempt with full jitter, capped at 5 s.
   * @default 200
   */
  readonly baseDelayMs?: number;
  /** Waits between attempts; tests pass one that returns at once. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  readonly random?: () => number;
  readonly human?: HumanRenderOptions;
  readonly machine?: MachineRenderOptions;
}

const MAX_BACKOFF_MS = 5000;
const MAX_ATTEMPTS_LIMIT = 5;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** Error names SNS, KMS and the SDK use for throttling. */
const THROTTLING = new Set([
  'ThrottledException',
  'KMSThrottlingException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

/** Network failures worth another attempt. */
const TRANSIENT = new Set(['TimeoutError', 'RequestTimeout', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/** Publishes batches to SNS over a client the caller owns (module scope in the Lambda). */
export class SnsNotifier implements Notifier {
  private readonly topicArn: string;
  private readonly chat: boolean;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly client: SNSClient,
    private readonly options: SnsNotifierOptions,
  ) {
    const arn = options.topicArn;
    const match = TOPIC_ARN.exec(arn);
    if (!match) {
      throw new RangeError(
        `SNS topic ARN "${arn}" is not a topic ARN; give one like arn:aws:sns:eu-west-1:123456789012:skewguard`,
      );
    }
    if (match[1] !== undefined) {
      throw new RangeError(
        `SNS topic ${arn} is a FIFO topic; skewguard publishes to a standard topic, so give a topic without .fifo`,
      );
    }
    this.topicArn = arn;
    this.chat = options.chat ?? false;
    this.concurrency = wholeNumber('concurrency', options.concurrency ?? 8, 1, 100);
    this.maxAttempts = wholeNumber('maxAttempts', options.maxAttempts ?? 3, 1, MAX_ATTEMPTS_LIMIT);
    this.baseDelayMs = wholeNumber('baseDelayMs', options.baseDelayMs ?? 200, 0, MAX_BACKOFF_MS);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Publishes the digest, then the machine (and chat) messages; see the module comment. */
  async publish(batch: NotificationBatch): Promise<PublishResult> {
    const planned = planMessages(batch, { ...this.options, chat: this.chat });
    if (planned === undefined) return NOTHING_PUBLISHED;
    const { human, others } = planned;
    const humanError = await this.send(human);
    if (humanError) {
      throw new PublishError(
        `${humanError.message}; nothing else was published, so all ${human.carries.length} ` +
          'notices stay owed for the next run',
        {
          audience: 'human',
          messageLabel: human.label,
          undelivered: human.carries,
          attempts: humanError.attempts,
          retryable: humanError.retryable,
          cause: humanError.cause,
        },
      );
    }
    const failures: PublishError[] = [];
    await forEachLimited(others, this.concurrency, async (message) => {
      const error = await this.send(message);
      if (error) failures.push(error);
    });
    return deliveryResult(batch.transitions, 1 + others.length - failures.length, failures);
  }

  /**
   * Publishes one message outside a batch (the upgrade plan), with the same checks and bounded
   * retries; throws PublishError when SNS does not take it.
   */
  async publishMessage(message: OutboundMessage): Promise<void> {
    snsAttributes(message.attributes, message.label);
    const error = await this.send(message);
    if (error) throw error;
  }

  /** Publishes one message with bounded retries; returns the error instead of throwing. */
  private async send(message: OutboundMessage): Promise<PublishError | undefined> {
    const input = {
      TopicArn: this.topicArn,
      Message: message.body,
      MessageAttributes: snsAttributes(message.attributes),
      ...(message.subject !== undefined ? { Subject: message.subject } : {}),
    };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(new PublishCommand(input));
        return undefined;
      } catch (error) {
        const retryable = isRetryable(error);
        if (!retryable || attempt >= this.maxAttempts) {
          return new PublishError(
            `publishing the ${message.label} to ${this.topicArn} failed after ${attempt} ` +
              `${attempt === 1 ? 'attempt' : 'attempts'}: ${describe(error)}; ${remedy(error)}`,
            {
              audience: message.audience,
              messageLabel: message.label,
              undelivered: message.carries,
              attempts: attempt,
              retryable,
              cause: error,
            },
          );
        }
        const ceiling = Math.min(MAX_BACKOFF_MS, this.baseDelayMs * 2 ** (attempt - 1));
        await this.sleep(Math.floor(this.random() * ceiling));
      }
    }
  }
}

/** The digest and the other messages of a batch; undefined when there is nothing to send. */
export interface PlannedMessages {
  readonly human: OutboundMessage;
  readonly others: readonly OutboundMessage[];
}

/** Renders every message of a batch for SNS, and checks their attributes before any is sent. */
export function planMessages(
  batch: NotificationBatch,
  options: Pick<SnsNotifierOptions, 'chat' | 'human' | 'machine'> = {},
): PlannedMessages | undefined {
  const digest = renderHuman(batch, options.human);
  if (digest === undefined) return undefined;
  const human: OutboundMessage = {
    audience: 'human',
    label: `human digest for ${batch.cluster}`,
    subject: digest.subject,
    body: digest.body,
    attributes: digest.attributes,
    carries: digest.carries,
  };
  // One dedup key per workload incident; a member resolving while others fire sends none.
  const machine = incidentMessages(batch).map(
    ({ transition: t, dedupKey, routeWith }): OutboundMessage => {
      const m = renderMachine(t, batch.cluster, batch.runAt, options.machine, {
        dedupKey,
        routeWith,
      });
      return {
        audience: 'machine',
        label: `machine ${t.kind} message ${t.finding.ruleId} ${t.finding.fingerprint} for ${batch.cluster}`,
        subject: m.subject,
        body: m.body,
        attributes: m.attributes,
        carries: m.carries,
      };
    },
  );
  const chat = options.chat
    ? renderChat(batch).map((c): OutboundMessage => ({
        audience: 'chat',
        label: `chat ${c.attributes.status} message ${c.attributes.ruleId ?? ''} for ${batch.cluster}`,
        body: c.body,
        attributes: c.attributes,
        carries: c.carries,
      }))
    : [];
  const all = [human, ...machine, ...chat];
  for (const message of all) snsAttributes(message.attributes, message.label);
  return { human, others: [...machine, ...chat] };
}

/**
 * SNS `MessageAttributes`: every value a non-empty String, or a `String.Array` for several
 * severities (a filter policy matches an array when any element matches). An empty value is a
 * configuration error (e.g. an empty cluster name) and throws before anything is sent.
 */
export function snsAttributes(
  attributes: MessageAttributes,
  label = 'message',
): Record<string, MessageAttributeValue> {
  const result: Record<string, MessageAttributeValue> = {};
  const entries = Object.entries(attributes) as [string, string | readonly string[] | undefined][];
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      result[name] = { DataType: 'String.Array', StringValue: JSON.stringify(value) };
      continue;
    }
    if (value.trim() === '') {
      throw new PublishError(
        `the ${label} has an empty "${name}" message attribute, which SNS rejects; give the cluster a non-empty name in the config`,
        {
          audience: attributes.audience,
          messageLabel: label,
          undelivered: [],
          attempts: 0,
          retryable: false,
        },
      );
    }
    result[name] = { DataType: 'String', StringValue: value };
  }
  return result;
}

/** Throttling, server faults and dropped connections are worth another attempt. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    name?: unknown;
    code?: unknown;
    $fault?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  if (typeof e.name === 'string' && (THROTTLING.has(e.name) || TRANSIENT.has(e.name))) return true;
  if (typeof e.code === 'string' && TRANSIENT.has(e.code)) return true;
  if (e.$fault === 'server' || e.$retryable !== undefined) return true;
  const status = e.$metadata?.httpStatusCode;
  return typeof status === 'number' && (status >= 500 || status === 429);
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** What to do about a failure, by its kind. */
function remedy(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (THROTTLING.has(name)) {
    return 'SNS kept throttling; the notices are retried next run. Raise the account Publish quota or lower concurrency';
  }
  if (name === 'AuthorizationErrorException' || name === 'AccessDeniedException') {
    return "allow sns:Publish on the topic for the function's role";
  }
  if (name === 'NotFoundException') {
    return 'the topic does not exist in this account and region; check the topic ARN in the config';
  }
  if (name.startsWith('KMS')) {
    return "the topic's KMS key refused; allow kms:GenerateDataKey and kms:Decrypt on it for the function's role";
  }
  if (name === 'InvalidParameterException' || name === 'InvalidParameterValueException') {
    return 'SNS rejected the message itself (size, subject or attributes); this is a skewguard bug, please report it with this text';
  }
  return 'the notices stay owed and are retried next run';
}

function wholeNumber(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `SnsNotifier option ${name} is ${value}; give a whole number from ${min} to ${max}`,
    );
  }
  return value;
}
