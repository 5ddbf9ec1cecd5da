/**
 * Optional chat messages in the AWS Chatbot (Amazon Q Developer in chat applications) custom
 * notification format: `{version: '1.0', source: 'custom', content: {textType, title,
 * description, nextSteps, keywords}, metadata: {threadId, summary, eventType, relatedResources,
 * additionalContext}}`. Chatbot drops SNS messages in any other shape, so the chat audience
 * needs its own rendering. One message per rule and transition kind per run keeps a channel
 * readable; `threadId` = cluster/rule puts a rule's updates in one thread. The findings of one
 * workload are one incident (lib/rules/incident.ts): one bullet under its headline rule.
 */
import type { Transition, TransitionKind } from '../ledger/types';
import type { Incident } from '../rules/incident';
import { groupIncidents } from '../rules/incident';
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

/**
 * Renders one chat message per headline rule and transition kind in the batch, in batch order;
 * each workload incident is one bullet.
 */
export function renderChat(batch: NotificationBatch): ChatMessage[] {
  const kinds = [...new Set(batch.transitions.map((t) => t.kind))];
  const groups = new Map<string, Incident<Transition>[]>();
  for (const kind of kinds) {
    const ofKind = batch.transitions.filter((t) => t.kind === kind);
    for (const incident of groupIncidents(ofKind, batch.cluster, (t) => t.finding)) {
      const key = `${kind}\u0000${incident.headline.finding.ruleId}`;
      groups.set(key, [...(groups.get(key) ?? []), incident]);
    }
  }
  // In batch order: by where each message's first transition stands.
  const at = (group: readonly Incident<Transition>[]): number =>
    Math.min(...group.flatMap((i) => i.members.map((t) => batch.transitions.indexOf(t))));
  return [...groups.values()]
    .sort((a, b) => at(a) - at(b))
    .map((group) => renderGroup(batch, group));
}

function renderGroup(
  batch: NotificationBatch,
  incidents: readonly Incident<Transition>[],
): ChatMessage {
  const first = incidents[0]?.headline;
  if (first === undefined) throw new Error('renderGroup needs at least one transition');
  const group = incidents.map((i) => i.headline);
  const members = incidents.flatMap((i) => i.members);
  const { kind } = first;
  const { ruleId } = first.finding;
  const severity = worstSeverity(members.map((t) => t.finding.severity));
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
      description: description(incidents, runAt),
      ...(kind === 'resolved' ? {} : { nextSteps: nextSteps(incidents[0]?.members ?? []) }),
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
      severity: severityAttribute(members),
      cluster,
      status: kind,
      // Only when every finding it carries is of one rule (docs/architecture.md, "SNS messages").
      ...(members.every((t) => t.finding.ruleId === ruleId) ? { ruleId } : {}),
    },
    carries: members.map(transitionKey),
  };
}

/** One bullet per incident, cut with "... and N more" to stay within chat limits. */
function description(incidents: readonly Incident<Transition>[], runAt: string): string {
  const lines: string[] = [];
  let length = 0;
  // Room for the "... and N more" line.
  const budget = MAX_DESCRIPTION_LENGTH - 40;
  for (const [index, { headline: t, members }] of incidents.entries()) {
    const began = sinceOf(t.finding, t.item);
    const age = relativeAge(t.kind === 'resolved' ? (t.item.resolvedAt ?? runAt) : began.at, runAt);
    const when =
      age === undefined ? '' : t.kind === 'resolved' ? ` (resolved ${age})` : ` (since ${age})`;
    // A resolved bullet says what changed, not the firing summary and its instructions.
    const text = t.kind === 'resolved' ? resolvedText(t.finding) : t.finding.summary;
    const also =
      members.length > 1
        ? ` Also: ${members
            .slice(1)
            .map((m) => m.finding.ruleId)
            .join(', ')}.`
        : '';
    const severity = worstSeverity(members.map((m) => m.finding.severity));
    const line = clip(
      `• \`${subjectText(t.finding.subject)}\` ${severity}: ${text}${when}${also}`,
      MAX_LINE_LENGTH,
    );
    if (length + line.length + 1 > budget) {
      lines.push(`… and ${incidents.length - index} more`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

/** The runbook of the first incident's headline, then its members' commands, each once. */
function nextSteps(members: readonly Transition[]): string[] {
  const first = members[0];
  if (first === undefined) return [];
  const commands = [...new Set(members.flatMap((t) => commandsOf(t.finding)))]
    .slice(0, MAX_COMMAND_STEPS)
    .map((c) => clip(`Run \`${c}\``, MAX_LINE_LENGTH));
  return [`Runbook: ${first.finding.runbookUrl}`, ...commands];
}
