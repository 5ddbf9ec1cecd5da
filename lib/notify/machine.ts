/**
 * Machine messages: one JSON document per transition, for pagers, chat bridges and scripts.
 * `dedupKey` is the finding's fingerprint, so a pager folds firing, repeat and resolved of one
 * finding into one incident.
 */
import type { Transition, TransitionKind } from '../ledger/types';
import type { Severity, Subject } from '../rules/model';
import { byteLength, clip, fitDetails } from '../util/fit-details';
import { asciiSubject, resolvedText, subjectText } from './text';
import type { MessageAttributes } from './publisher';
import { transitionKey } from './publisher';
import { severityAttribute } from './routing';

export { fitDetails } from '../util/fit-details';
export type { FittedDetails } from '../util/fit-details';

/** SNS's limit for one message, body and attributes together. */
export const SNS_MAX_MESSAGE_BYTES = 256 * 1024;

/** Default body budget: SNS's limit less room for attributes and subject. */
export const DEFAULT_MAX_MACHINE_BYTES = SNS_MAX_MESSAGE_BYTES - 8 * 1024;

/** The JSON body of a machine message (schema version 1). */
export interface MachineNotification {
  readonly version: 1;
  readonly status: TransitionKind;
  /**
   * The incident key (lib/rules/incident.ts): stable across runs, equal for firing, repeat and
   * resolved. The findings of one workload's rollout rules share it, so a pager opens one
   * incident per workload; any other finding's is its fingerprint.
   */
  readonly dedupKey: string;
  /** The finding's own fingerprint (equal to `dedupKey` for a finding that stands alone). */
  readonly fingerprint: string;
  readonly cluster: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly subject: Subject;
  /** The finding's summary; for `resolved`, the last firing one (what people were told). */
  readonly summary: string;
  /**
   * For `resolved` only: what changed, in the rule's own past-tense words without instructions
   * (`Rule.resolved`), e.g. `Rollout of shop/web is no longer stuck (was: revision 8, 3/5
   * available)`. Added within schema version 1: readers that ignore it keep working.
   */
  readonly resolvedSummary?: string;
  /** The rule's evidence; big arrays cut to `{ truncated, count, first }` when over budget. */
  readonly details: Readonly<Record<string, unknown>>;
  /** When the condition began, when the rule could tell. */
  readonly since?: string;
  /** When the ledger first saw this episode. */
  readonly firstSeen: string;
  /** For `resolved`: when a run found the condition gone. */
  readonly resolvedAt?: string;
  readonly runbookUrl: string;
  /** When this transition happened: the run time, or `resolvedAt` for a resolution. */
  readonly occurredAt: string;
  /** Present (true) when `details` or `summary` were cut to fit. */
  readonly truncated?: true;
}

/** A rendered machine message. */
export interface MachineMessage {
  readonly subject: string;
  readonly body: string;
  readonly notification: MachineNotification;
  readonly attributes: MessageAttributes;
  readonly carries: readonly string[];
}

/** Which incident a machine message speaks for (lib/notify/incidents.ts). */
export interface MachineIncident {
  readonly dedupKey: string;
  /** Transitions whose severities the message routes with; default the transition alone. */
  readonly routeWith?: readonly Transition[];
}

/** Tunables of machine messages. */
export interface MachineRenderOptions {
  /**
   * Largest body in UTF-8 bytes.
   * @default 253952 (256 KB less 8 KB for attributes)
   */
  readonly maxBytes?: number;
}

/** A summary is one line; anything longer than this is a rule bug, cut rather than sent. */
const MAX_SUMMARY_LENGTH = 2000;

/** Renders the machine message of one transition. */
export function renderMachine(
  transition: Transition,
  cluster: string,
  runAt: string,
  options: MachineRenderOptions = {},
  incident?: MachineIncident,
): MachineMessage {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MACHINE_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 4096 || maxBytes > SNS_MAX_MESSAGE_BYTES) {
    throw new RangeError(
      `machine message option maxBytes is ${maxBytes}; give a whole number from 4096 to ${SNS_MAX_MESSAGE_BYTES} (SNS's limit)`,
    );
  }
  const { finding, item, kind } = transition;
  const summary = clip(finding.summary, MAX_SUMMARY_LENGTH);
  const base: MachineNotification = {
    version: 1,
    status: kind,
    dedupKey: incident?.dedupKey ?? finding.fingerprint,
    fingerprint: finding.fingerprint,
    cluster,
    ruleId: finding.ruleId,
    severity: finding.severity,
    subject: finding.subject,
    summary,
    ...(kind === 'resolved'
      ? { resolvedSummary: clip(resolvedText(finding), MAX_SUMMARY_LENGTH) }
      : {}),
    details: {},
    ...(finding.since !== undefined ? { since: finding.since } : {}),
    firstSeen: item.firstSeen,
    ...(kind === 'resolved' && item.resolvedAt !== undefined
      ? { resolvedAt: item.resolvedAt }
      : {}),
    runbookUrl: finding.runbookUrl,
    occurredAt: kind === 'resolved' ? (item.resolvedAt ?? runAt) : runAt,
  };
  // Room left for details once everything else (and a `truncated` flag) is in.
  const budget = maxBytes - byteLength(JSON.stringify({ ...base, truncated: true }));
  const fitted = fitDetails(finding.details, budget);
  const notification: MachineNotification = {
    ...base,
    details: fitted.details,
    ...(fitted.truncated || summary !== finding.summary ? { truncated: true as const } : {}),
  };
  return {
    subject: asciiSubject(
      `[${finding.severity.toUpperCase()} ${kind.toUpperCase()}] ${cluster}: ${finding.ruleId} ${subjectText(finding.subject)}`,
    ),
    body: JSON.stringify(notification),
    notification,
    attributes: {
      audience: 'machine',
      severity: severityAttribute(incident?.routeWith ?? [transition]),
      cluster,
      status: kind,
      ruleId: finding.ruleId,
    },
    carries: [transitionKey(transition)],
  };
}
