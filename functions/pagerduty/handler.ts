/** The PagerDuty forwarder's handler: each SNS record's machine message becomes one Events API v2 event. */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  MachineMessageError,
  parseMachineNotification,
  toPagerDutyEvent,
} from '../../lib/notify/pagerduty';
import type { PostOptions, RetryPolicy } from './events-api';
import { postEvent } from './events-api';

/** The part of an SNS → Lambda event the forwarder reads. */
export interface SnsRecordsEvent {
  readonly Records?: readonly {
    readonly Sns?: { readonly MessageId?: string; readonly Message?: string };
  }[];
}

/** The log calls the handler makes; Powertools' Logger has them. */
export interface ForwarderLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** What the handler needs; built once per container in index.ts. */
export interface ForwarderContext {
  /** The routing key, read once per container (see {@link cachedRoutingKey}). */
  readonly routingKey: () => Promise<string>;
  readonly eventsUrl: string;
  readonly logger: ForwarderLogger;
  readonly policy?: RetryPolicy;
  readonly sleep?: PostOptions['sleep'];
}

/** What one invocation did, for the logs and the tests. */
export interface ForwardSummary {
  readonly forwarded: number;
  readonly failed: number;
}

/** A record PagerDuty did not take; thrown so Lambda sends the event to the dead-letter queue. */
export class ForwardError extends Error {
  override readonly name = 'ForwardError';
}

/**
 * The routing key from Secrets Manager, read on first use and kept for the container's life (a
 * page must not wait on a secret read); a failed read is not kept, so the next event tries again.
 */
export function cachedRoutingKey(
  secrets: Pick<SecretsManagerClient, 'send'>,
  secretArn: string,
): () => Promise<string> {
  let key: Promise<string> | undefined;
  return () => {
    key ??= readRoutingKey(secrets, secretArn).catch((error: unknown) => {
      key = undefined;
      throw error;
    });
    return key;
  };
}

async function readRoutingKey(
  secrets: Pick<SecretsManagerClient, 'send'>,
  secretArn: string,
): Promise<string> {
  let value: string | undefined;
  try {
    value = (await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (error) {
    throw new Error(
      `reading the PagerDuty routing key from ${secretArn} failed (${(error as Error).name}: ${(error as Error).message}); the stack grants secretsmanager:GetSecretValue on exactly this ARN`,
      { cause: error },
    );
  }
  const key = value?.trim();
  if (!key)
    throw new Error(
      `secret ${secretArn} has no string value; store the integration's routing key as its SecretString`,
    );
  return key;
}

/** Forwards every record; throws after trying them all when any failed, naming each failure. */
export async function handleSnsEvent(
  event: SnsRecordsEvent,
  ctx: ForwarderContext,
): Promise<ForwardSummary> {
  const records = event.Records ?? [];
  const failures: string[] = [];
  for (const [i, record] of records.entries()) {
    const messageId = record.Sns?.MessageId ?? `record ${i}`;
    const problem = await forwardRecord(record.Sns?.Message ?? '', messageId, ctx);
    if (problem) failures.push(`${messageId}: ${problem}`);
  }
  const summary = { forwarded: records.length - failures.length, failed: failures.length };
  if (failures.length > 0)
    throw new ForwardError(
      `${failures.length} of ${records.length} messages were not taken by PagerDuty: ${failures.join('; ')}`,
    );
  return summary;
}

/** Forwards one message; returns why it failed, or undefined once PagerDuty took it. */
async function forwardRecord(
  body: string,
  messageId: string,
  ctx: ForwarderContext,
): Promise<string | undefined> {
  let notification;
  try {
    notification = parseMachineNotification(body);
  } catch (error) {
    if (!(error instanceof MachineMessageError)) throw error;
    ctx.logger.error('message is not a machine message; not forwarded', {
      messageId,
      reason: error.message,
    });
    return error.message;
  }
  const pdEvent = toPagerDutyEvent(notification, await ctx.routingKey());
  const about = {
    messageId,
    status: notification.status,
    eventAction: pdEvent.event_action,
    dedupKey: notification.dedupKey,
    cluster: notification.cluster,
    ruleId: notification.ruleId,
  };
  const result = await postEvent(ctx.eventsUrl, pdEvent, {
    ...(ctx.policy ? { policy: ctx.policy } : {}),
    ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
    onAttempt: (attempt, answer, willRetry) => {
      // PagerDuty's answer only: the event (and with it the routing key) is never logged.
      const line = { ...about, attempt, pagerDuty: answer };
      if (answer.status >= 200 && answer.status < 300) ctx.logger.info('pagerduty accepted', line);
      else if (willRetry) ctx.logger.warn('pagerduty did not take the event; retrying', line);
      else ctx.logger.error('pagerduty did not take the event', line);
    },
  });
  if (result.ok) return undefined;
  const { status, message, errors } = result.answer;
  const said = [message, ...(errors ?? [])].filter(Boolean).join(', ');
  return result.retryable
    ? `gave up after ${result.attempts} attempts, last answer ${status || 'none'}${said ? ` (${said})` : ''}`
    : `rejected with ${status}${said ? ` (${said})` : ''}, not retried: the event itself is refused`;
}
