/**
 * PagerDuty's Events API v2 wire format: the event one machine message becomes, and the
 * environment contract between the stack and the forwarder function (functions/pagerduty).
 */
import type { TransitionKind } from '../ledger/types';
import type { Severity } from '../rules/model';
import { SEVERITIES } from '../rules/model';
import { clip } from '../util/fit-details';
import type { MachineNotification } from './machine';
import { subjectText } from './subject-text';

/** Where events are posted (US service region; the EU region has its own host). */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** The forwarder's environment variables; the stack sets them, the handler reads them. */
export const PAGERDUTY_ENV = {
  /** ARN of the secret holding the integration's routing key. */
  routingKeySecretArn: 'PAGERDUTY_ROUTING_KEY_SECRET_ARN',
  /** Overrides {@link PAGERDUTY_EVENTS_URL}; the tests point it at a local fake. */
  eventsUrl: 'PAGERDUTY_EVENTS_URL',
} as const;

/** The Events API's limit for `payload.summary`, in characters. */
export const PAGERDUTY_MAX_SUMMARY_LENGTH = 1024;

/** The Events API's limit for `dedup_key`, in characters. */
export const PAGERDUTY_MAX_DEDUP_KEY_LENGTH = 255;

/** Severities the Events API accepts. */
export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** skewguard's severity → PagerDuty's (one to one: PagerDuty's `error` has no skewguard match). */
export const PAGERDUTY_SEVERITY: Readonly<Record<Severity, PagerDutySeverity>> = {
  critical: 'critical',
  warning: 'warning',
  info: 'info',
};

/** An Events API v2 event (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). */
export interface PagerDutyEvent {
  readonly routing_key: string;
  readonly event_action: 'trigger' | 'resolve';
  readonly dedup_key: string;
  readonly client?: string;
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    readonly severity: PagerDutySeverity;
    readonly timestamp?: string;
    readonly component?: string;
    readonly group?: string;
    readonly class?: string;
    readonly custom_details?: Readonly<Record<string, unknown>>;
  };
  readonly links?: readonly { readonly href: string; readonly text: string }[];
}

/** A message the forwarder cannot turn into an event: retrying it would not help. */
export class MachineMessageError extends Error {
  override readonly name = 'MachineMessageError';
}

const STATUSES: readonly TransitionKind[] = ['firing', 'repeat', 'resolved'];

/**
 * The machine notification in an SNS message body, checked for the fields the event needs
 * (docs/architecture.md, "SNS messages"); anything else is passed through as it came.
 */
export function parseMachineNotification(body: string): MachineNotification {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MachineMessageError(`the message is not JSON: ${clip(body, 200)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MachineMessageError('the message is not a JSON object');
  const n = value as Record<string, unknown>;
  const problems: string[] = [];
  if (n['version'] !== 1) problems.push(`version ${JSON.stringify(n['version'])} (expected 1)`);
  if (!STATUSES.includes(n['status'] as TransitionKind))
    problems.push(`status ${JSON.stringify(n['status'])} (expected ${STATUSES.join(' | ')})`);
  if (!SEVERITIES.includes(n['severity'] as Severity))
    problems.push(`severity ${JSON.stringify(n['severity'])}`);
  const dedupKey = n['dedupKey'];
  if (typeof dedupKey !== 'string' || dedupKey === '') problems.push('no dedupKey');
  else if (dedupKey.length > PAGERDUTY_MAX_DEDUP_KEY_LENGTH)
    problems.push(`dedupKey longer than ${PAGERDUTY_MAX_DEDUP_KEY_LENGTH} characters`);
  for (const key of ['cluster', 'summary', 'ruleId'])
    if (typeof n[key] !== 'string' || n[key] === '') problems.push(`no ${key}`);
  if (problems.length > 0)
    throw new MachineMessageError(`not a skewguard machine message: ${problems.join(', ')}`);
  return value as MachineNotification;
}

/**
 * The event for one transition: `firing` and `repeat` trigger under the incident's dedup key
 * (PagerDuty folds a trigger for an open alert into it, so a repeat opens nothing new),
 * `resolved` resolves it.
 */
export function toPagerDutyEvent(n: MachineNotification, routingKey: string): PagerDutyEvent {
  // A resolve needs only the key; PagerDuty ignores a payload on it.
  if (n.status === 'resolved')
    return { routing_key: routingKey, event_action: 'resolve', dedup_key: n.dedupKey };
  const subject = n.subject ? subjectText(n.subject) : undefined;
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: n.dedupKey,
    client: 'skewguard',
    payload: {
      // The cluster leads: an incident title is all a phone shows.
      summary: clip(`${n.cluster}: ${n.summary}`, PAGERDUTY_MAX_SUMMARY_LENGTH),
      source: n.cluster,
      severity: PAGERDUTY_SEVERITY[n.severity],
      ...(validTimestamp(n.occurredAt) ? { timestamp: n.occurredAt } : {}),
      ...(subject ? { component: subject } : {}),
      group: n.cluster,
      class: n.ruleId,
      custom_details: customDetails(n),
    },
    ...(isHttpUrl(n.runbookUrl)
      ? { links: [{ href: n.runbookUrl, text: `Runbook: ${n.ruleId}` }] }
      : {}),
  };
}

/** What responders see under "Details": the transition's facts and the rule's evidence. */
function customDetails(n: MachineNotification): Record<string, unknown> {
  return {
    status: n.status,
    ruleId: n.ruleId,
    cluster: n.cluster,
    ...(n.subject ? { subject: subjectText(n.subject) } : {}),
    fingerprint: n.fingerprint,
    ...(n.since !== undefined ? { since: n.since } : {}),
    firstSeen: n.firstSeen,
    details: n.details,
    ...(n.truncated ? { truncated: true } : {}),
  };
}

function validTimestamp(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function isHttpUrl(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\/\S+$/.test(value);
}
