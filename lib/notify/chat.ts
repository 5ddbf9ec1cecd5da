/**
 * Optional chat messages in the AWS Chatbot (Amazon Q Developer in chat applications) custom
 * notification format: `{version: '1.0', source: 'custom', content: {textType, title,
 * description, nextSteps, keywords}, metadata: {threadId, summary, eventType, relatedResources,
 * additionalContext}}`. Chatbot drops SNS messages in any other shape, so the chat audience
 * needs its own rendering. One message per rule and transition kind per run keeps a channel
 * readable; `threadId` = cluster/rule puts a rule's updates in one thread.
 */
import type { Transition, TransitionKind } from '../ledger/types';
import {
  clip,
  commandsOf,
  relativeAge,
  resolvedText,
  sinceOf,
  subjectText,
  worstSeverity,
} from './text';
import type { MessageAttributes, NotificationBatch } from './publisher';
import { transitionKey } from './publisher';
import { severityAttribute } from './routing';

/** The custom notification document Chatbot renders. */
export interface ChatNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  /** Unique event identifier. */
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps?: readonly string[];
    readonly keywords?: readonly string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: readonly string[];
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

/** A rendered chat message. */
export interface ChatMessage {
  readonly body: string;
  readonly notification: ChatNotification;
  readonly attributes: MessageAttributes;
  readonly carries: readonly string[];
}

// Chat platforms cut long blocks (Slack: 3,000 characters per text section), so stay below.
const MAX_TITLE_LENGTH = 250;
const MAX_DESCRIPTION_LENGTH = 2800;
const MAX_LINE_LENGTH = 400;
const MAX_RESOURCES = 10;
const MAX_COMMAND_STEPS = 3;

const VERB: Record<TransitionKind, string> = {
  firing: 'firing',
  repeat: 'still firing',
  resolved: 'resolved',
};

/** Renders one chat message per rule and transition kind in the batch, in batch order. */
export function renderChat(batch: NotificationBatch): ChatMessage[] {
  const groups = new Map<string, Transition[]>();
  for (const t of batch.transitions) {
    const key = `${t.kind}\u0000${t.finding.ruleId}`;
    const group = groups.get(key);
    if (group) group.push(t);
    else groups.set(key, [t]);
  }
  return [...groups.values()].map((group) => renderGroup(batch, group));
}

function renderGroup(batch: NotificationBatch, group: readonly Transition[]): ChatMessage {
  const first = group[0];
  if (first === undefined) throw new Error('renderGroup needs at least one transition');
  const { kind } = first;
  const { ruleId } = first.finding;
  const severity = worstSeverity(group.map((t) => t.finding.severity));
  const { cluster, runAt } = batch;
  const count = group.length === 1 ? '' : ` (${group.length})`;
  const title =
    kind === 'resolved'
      ? `Resolved in ${cluster}: ${ruleId}${count}`
      : `${severity.toUpperCase()} in ${cluster}: ${ruleId} ${VERB[kind]}${count}`;
  const notification: ChatNotification = {
    version: '1.0',
    source: 'custom',
    id: `skewguard:${cluster}:${ruleId}:${kind}:${runAt}`,
    content: {
      textType: 'client-markdown',
      title: clip(title, MAX_TITLE_LENGTH),
      description: description(group, runAt),
      ...(kind === 'resolved' ? {} : { nextSteps: nextSteps(group) }),
      keywords: [cluster, ruleId, severity],
    },
    metadata: {
      threadId: `${cluster}/${ruleId}`,
      summary: clip(`${ruleId} ${VERB[kind]} in ${cluster}${count}`, MAX_TITLE_LENGTH),
      eventType: `skewguard.${kind}`,
      relatedResources: group.slice(0, MAX_RESOURCES).map((t) => subjectText(t.finding.subject)),
      additionalContext: {
        cluster,
        ruleId,
        severity,
        status: kind,
        count: String(group.length),
        runAt,
      },
    },
  };
  return {
    body: JSON.stringify(notification),
    notification,
    attributes: {
      audience: 'chat',
      severity: severityAttribute(group),
      cluster,
      status: kind,
      ruleId,
    },
    carries: group.map(transitionKey),
  };
}

/** One bullet per subject, cut with "... and N more" to stay within chat limits. */
function description(group: readonly Transition[], runAt: string): string {
  const lines: string[] = [];
  let length = 0;
  // Room for the "... and N more" line.
  const budget = MAX_DESCRIPTION_LENGTH - 40;
  for (const [index, t] of group.entries()) {
    const began = sinceOf(t.finding, t.item);
    const age = relativeAge(t.kind === 'resolved' ? (t.item.resolvedAt ?? runAt) : began.at, runAt);
    const when =
      age === undefined ? '' : t.kind === 'resolved' ? ` (resolved ${age})` : ` (since ${age})`;
    // A resolved bullet says what changed, not the firing summary and its instructions.
    const text = t.kind === 'resolved' ? resolvedText(t.finding) : t.finding.summary;
    const line = clip(
      `• \`${subjectText(t.finding.subject)}\` ${t.finding.severity}: ${text}${when}`,
      MAX_LINE_LENGTH,
    );
    if (length + line.length + 1 > budget) {
      lines.push(`… and ${group.length - index} more`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

function nextSteps(group: readonly Transition[]): string[] {
  const first = group[0];
  if (first === undefined) return [];
  const commands = commandsOf(first.finding)
    .slice(0, MAX_COMMAND_STEPS)
    .map((c) => clip(`Run \`${c}\``, MAX_LINE_LENGTH));
  return [`Runbook: ${first.finding.runbookUrl}`, ...commands];
}
