import { renderChat } from '../../../lib/notify/chat';
import { batch, manyTransitions, transition } from './build';

describe('renderChat', () => {
  it('renders Chatbot custom notifications with the required fields', () => {
    const t = transition('firing', {
      ruleId: 'DeploymentRolloutStuck',
      details: { commands: ['kubectl -n shop rollout status deployment/web --watch=false'] },
    });
    const [message, ...rest] = renderChat(batch([t]));
    expect(rest).toHaveLength(0);
    const parsed = JSON.parse(message!.body) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: expect.stringContaining('DeploymentRolloutStuck') as unknown,
        description: expect.stringContaining('Deployment shop/web') as unknown,
        nextSteps: [
          `Runbook: ${t.finding.runbookUrl}`,
          'Run `kubectl -n shop rollout status deployment/web --watch=false`',
        ],
      },
      metadata: {
        threadId: 'prod-eu/DeploymentRolloutStuck',
        eventType: 'skewguard.firing',
        relatedResources: ['Deployment shop/web'],
        additionalContext: { cluster: 'prod-eu', status: 'firing', count: '1' },
      },
    });
    expect(message!.attributes).toEqual({
      audience: 'chat',
      severity: 'critical',
      cluster: 'prod-eu',
      status: 'firing',
      ruleId: 'DeploymentRolloutStuck',
    });
  });

  it('sends one message per rule and transition kind, carrying every transition once', () => {
    const transitions = [
      transition('firing', { ruleId: 'A', subject: { kind: 'Pod', name: 'p1' } }),
      transition('firing', { ruleId: 'A', subject: { kind: 'Pod', name: 'p2' } }),
      transition('resolved', { ruleId: 'A', subject: { kind: 'Pod', name: 'p3' } }),
      transition('firing', { ruleId: 'B' }),
    ];
    const messages = renderChat(batch(transitions));
    expect(
      messages.map((m) => [m.attributes.ruleId, m.attributes.status, m.carries.length]),
    ).toEqual([
      ['A', 'firing', 2],
      ['A', 'resolved', 1],
      ['B', 'firing', 1],
    ]);
    expect(messages.flatMap((m) => m.carries).sort()).toEqual(
      transitions.map((t) => t.item.sk).sort(),
    );
    expect(messages[1]!.notification.content.nextSteps).toBeUndefined();
  });

  it('keeps the description within chat limits and counts the rest', () => {
    const sameRule = manyTransitions(200).map((t) => ({
      ...t,
      finding: { ...t.finding, ruleId: 'DeploymentRolloutStuck' },
    }));
    const [message] = renderChat(batch(sameRule));
    const { description } = message!.notification.content;
    expect(description.length).toBeLessThanOrEqual(3000);
    expect(description).toMatch(/… and \d+ more$/);
    expect(message!.notification.metadata.relatedResources.length).toBeLessThanOrEqual(10);
  });
});
