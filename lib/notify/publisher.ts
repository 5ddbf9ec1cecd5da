/**
 * The notifier interface the pipeline calls, the messages every renderer produces, and how a
 * publish reports what was delivered so the ledger confirms only that (lib/ledger/ledger.ts).
 */
import type { LedgerItem, Transition, TransitionKind } from '../ledger/types';
import type { SeverityAttribute } from './routing';

/** Who a message is for; subscriptions select with a filter policy on the `audience` attribute. */
export type Audience = 'human' | 'machine' | 'chat';

/**
 * A message's `status` attribute: a transition kind, `changed` for the human digest, `plan` for
 * the upgrade plan the checker sends when it changes, or `test` for `skewguard notify-test`.
 */
export type MessageStatus = TransitionKind | 'changed' | 'plan' | 'test';

/** The SNS message attributes every message carries (docs/architecture.md, "SNS messages"). */
export interface MessageAttributes {
  readonly audience: Audience;
  /**
   * The severities the message routes with: those of the findings it reports plus, for each,
   * every severity its episode was notified at (lib/notify/routing.ts), so a downgrade or a
   * resolution reaches whoever heard the finding fire. Several are sent as `String.Array`.
   */
  readonly severity: SeverityAttribute;
  readonly cluster: string;
  readonly status: MessageStatus;
  /** Present when every finding the message reports belongs to one rule. */
  readonly ruleId?: string;
}

/** One rendered message, ready for any transport. */
export interface OutboundMessage {
  readonly audience: Audience;
  /** What the message is, for errors and logs: `human digest for prod-eu`. */
  readonly label: string;
  /** Email subject (ASCII, ≤ 100 characters); absent where subscribers never show one. */
  readonly subject?: string;
  readonly body: string;
  readonly attributes: MessageAttributes;
  /** Ledger keys (fingerprints) of the transitions this message reports. */
  readonly carries: readonly string[];
}

/** Everything one run has to say about one cluster. */
export interface NotificationBatch {
  readonly cluster: string;
  /** ISO-8601 time of the run; relative ages ("3h 20m ago") are computed from it. */
  readonly runAt: string;
  /** What changed or is due again, as claimed from the ledger (worst first). */
  readonly transitions: readonly Transition[];
  /** Findings people already know are firing and that did not change (see `stillFiring`). */
  readonly stillFiring: readonly LedgerItem[];
  /**
   * Every finding item of the cluster as the run leaves it (firing, pending, and resolved ones
   * the ledger still keeps), so a machine notice can tell whether a workload incident still has
   * a firing member (lib/notify/incidents.ts). Absent: `stillFiring` and the transitions stand in.
   */
  readonly items?: readonly LedgerItem[];
}

/**
 * What a publish delivered, by ledger key. A transition counts as delivered only when every
 * message reporting it (the human digest and its machine and chat messages) went out, so a
 * pager never misses a page that the ledger then records as sent. The shape satisfies the
 * ledger's `PublishOutcome`, so `publish` can be handed to `Ledger.deliver` directly.
 */
export interface PublishResult {
  /** Keys whose every message was published: confirm these. */
  readonly delivered: readonly string[];
  /** Keys with at least one failed message: release these; the next run owes them again. */
  readonly undelivered: readonly string[];
  /** Messages published. */
  readonly sent: number;
  /** One error per message that failed, for logs and alarms. */
  readonly failures: readonly PublishError[];
}

/** Sends a run's notifications; throws PublishError when nothing could be delivered. */
export interface Notifier {
  publish(batch: NotificationBatch): Promise<PublishResult>;
}

/** What failed in a publish, beyond the message text. */
export interface PublishErrorInfo {
  readonly audience: Audience;
  /** The failed message's label, e.g. `machine firing KubeletVersionSkew 3f2a… for prod-eu`. */
  readonly messageLabel: string;
  /** Ledger keys left undelivered by this failure. */
  readonly undelivered: readonly string[];
  /** Attempts made, including the first. */
  readonly attempts: number;
  /** Whether the last error was throttling or a server fault (worth retrying next run). */
  readonly retryable: boolean;
  readonly cause?: unknown;
}

/** A message could not be published; says which one and keeps the transport's `cause`. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  readonly audience: Audience;
  readonly messageLabel: string;
  readonly undelivered: readonly string[];
  readonly attempts: number;
  readonly retryable: boolean;

  constructor(message: string, info: PublishErrorInfo) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.audience = info.audience;
    this.messageLabel = info.messageLabel;
    this.undelivered = info.undelivered;
    this.attempts = info.attempts;
    this.retryable = info.retryable;
  }
}

/** Ledger key of a transition; the ledger confirms and releases by it. */
export function transitionKey(transition: Transition): string {
  return transition.item.sk;
}

/**
 * Items people were told are firing and that this run does not notify again: the digest's
 * "still firing" section. `items` are the cluster's finding items after reconciliation.
 */
export function stillFiring(
  items: readonly LedgerItem[],
  transitions: readonly Transition[],
): LedgerItem[] {
  const owed = new Set(transitions.map(transitionKey));
  return items.filter(
    (item) => item.status === 'firing' && item.notifiedStatus === 'firing' && !owed.has(item.sk),
  );
}

/** Splits a batch's transitions into delivered and undelivered after some messages failed. */
export function deliveryResult(
  transitions: readonly Transition[],
  sent: number,
  failures: readonly PublishError[],
): PublishResult {
  const failed = new Set(failures.flatMap((f) => f.undelivered));
  const keys = [...new Set(transitions.map(transitionKey))];
  return {
    delivered: keys.filter((k) => !failed.has(k)),
    undelivered: keys.filter((k) => failed.has(k)),
    sent,
    failures,
  };
}

/** The result of a batch with nothing to say. */
export const NOTHING_PUBLISHED: PublishResult = {
  delivered: [],
  undelivered: [],
  sent: 0,
  failures: [],
};
