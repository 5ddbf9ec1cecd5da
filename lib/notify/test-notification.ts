/** The test notification: one clearly labelled message per audience, so a team sees each path work after a deploy. */
import type { ChatNotification } from './chat';
import type { MachineNotification } from './machine';
import type { MessageAttributes, OutboundMessage } from './publisher';
import { asciiSubject } from './text';
import { SEVERITIES } from '../rules/model';

/** The rule id the test messages carry: no rule has it, so no filter or dashboard mistakes it for one. */
export const TEST_RULE_ID = 'SkewguardNotificationTest';

/** Who sent the test, and where it goes. */
export interface TestNotificationOptions {
  /** The cluster name the messages carry (subscriptions may filter on it). */
  readonly cluster: string;
  /** ISO time of the test. */
  readonly sentAt: string;
  /** The caller, as far as the CLI knows (user@host). */
  readonly sentBy: string;
}

/** The messages of one test: first the firing ones, then the machine resolution that closes the page. */
export interface TestNotification {
  readonly firing: readonly OutboundMessage[];
  readonly resolved: readonly OutboundMessage[];
}

// Every severity, so the message passes every subscription's severity filter (a pager that
// takes only critical hears it too); the body says it is a test.
function attributes(
  audience: MessageAttributes['audience'],
  cluster: string,
  status: MessageAttributes['status'],
): MessageAttributes {
  return { audience, severity: [...SEVERITIES], cluster, status, ruleId: TEST_RULE_ID };
}

/**
 * The test messages: an email (human), a chat message, and for pagers a machine `firing`
 * followed by its `resolved` under the same dedup key, so a page opens and closes by itself.
 */
export function testNotification(options: TestNotificationOptions): TestNotification {
  const { cluster, sentAt, sentBy } = options;
  const dedupKey = `skewguard-notification-test-${cluster}-${sentAt}`;
  const what = `TEST: skewguard notification test for cluster ${cluster}, sent by ${sentBy} at ${sentAt}. No action needed.`;
  const human: OutboundMessage = {
    audience: 'human',
    label: `human test message for ${cluster}`,
    subject: asciiSubject(`[TEST] skewguard: notification test for ${cluster}`),
    body: [
      what,
      '',
      'skewguard notify-test sent one message to every audience of this topic: this email',
      '(human), a chat message (chat), and a firing page followed at once by its resolution',
      '(machine). If this arrived, the email path works; check the chat channel and the pager',
      'too. A subscription that did not receive its message filters it out or is unconfirmed:',
      '`aws sns list-subscriptions-by-topic` shows each one and whether it is confirmed.',
      '',
    ].join('\n'),
    attributes: attributes('human', cluster, 'test'),
    carries: [],
  };
  const chatBody: ChatNotification = {
    version: '1.0',
    source: 'custom',
    id: dedupKey,
    content: {
      textType: 'client-markdown',
      title: `[TEST] skewguard notification test for ${cluster}`,
      description: `${what} If you read this in the channel, the chat path works.`,
    },
    metadata: {
      threadId: dedupKey,
      summary: `skewguard notification test for ${cluster}`,
      eventType: 'skewguard.test',
      relatedResources: [],
      additionalContext: { cluster, sentBy },
    },
  };
  const chat: OutboundMessage = {
    audience: 'chat',
    label: `chat test message for ${cluster}`,
    body: JSON.stringify(chatBody),
    attributes: attributes('chat', cluster, 'test'),
    carries: [],
  };
  const page = (status: 'firing' | 'resolved'): OutboundMessage => {
    const body: MachineNotification = {
      version: 1,
      status,
      dedupKey,
      fingerprint: dedupKey,
      cluster,
      ruleId: TEST_RULE_ID,
      // info: a pager that maps severities to urgency keeps the test low-urgency.
      severity: 'info',
      subject: { kind: 'NotificationTest', name: cluster },
      summary: what,
      ...(status === 'resolved'
        ? { resolvedSummary: 'Notification test finished.', resolvedAt: sentAt }
        : {}),
      details: { sentBy },
      firstSeen: sentAt,
      runbookUrl: 'https://github.com/skewguard/skewguard/blob/main/docs/deploy.md',
      occurredAt: sentAt,
    };
    return {
      audience: 'machine',
      label: `machine ${status} test message for ${cluster}`,
      subject: asciiSubject(
        `[TEST${status === 'resolved' ? ' RESOLVED' : ''}] ${cluster}: ${TEST_RULE_ID}`,
      ),
      body: JSON.stringify(body),
      attributes: attributes('machine', cluster, status),
      carries: [],
    };
  };
  return { firing: [human, chat, page('firing')], resolved: [page('resolved')] };
}
