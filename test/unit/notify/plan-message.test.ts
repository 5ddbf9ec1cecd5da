/** The plan as an SNS message: an ASCII subject within SNS's 100 characters and a body within its size limit. */
import { planMessage } from '../../../lib/notify/plan-message';
import type { UpgradePlan } from '../../../lib/rules';

function plan(overrides: Partial<UpgradePlan> = {}): UpgradePlan {
  return {
    cluster: 'lab',
    platform: 'generic',
    from: '1.30',
    to: '1.31',
    finishFirst: [],
    hops: [
      {
        from: '1.30',
        to: '1.31',
        blockers: [],
        steps: [
          {
            component: 'kube-apiserver',
            targets: ['control plane'],
            from: '1.30',
            to: '1.31',
            action: 'upgrade the control plane to 1.31',
            commands: [],
          },
        ],
        deferred: [],
        notChecked: [],
        landing: { minor: '1.31', support: '1.31 (supported upstream until 2025-10-28)' },
      },
    ],
    notes: [],
    ...overrides,
  };
}

describe('planMessage', () => {
  it('keeps the subject ASCII and within 100 characters for a long cluster name', () => {
    const message = planMessage(
      plan({ cluster: `prod-${'x'.repeat(90)}` }),
      '2026-12-07T00:00:00Z',
    );
    expect(message.subject?.length).toBeLessThanOrEqual(100);
    expect(message.subject).toMatch(/^\[PLAN\] prod-x+/);
    expect(message.subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('cuts a plan over 200 KB and says how to get the whole of it', () => {
    const notes = Array.from({ length: 400 }, (_, i) => `note ${i}: ${'é'.repeat(400)}`);
    const message = planMessage(plan({ notes }), '2026-12-07T00:00:00Z');
    const bytes = Buffer.byteLength(message.body, 'utf8');
    expect(bytes).toBeLessThanOrEqual(200 * 1024 + 200);
    expect(message.body).not.toContain('\uFFFD');
    expect(message.body).toMatch(
      /\[… cut at 200 KB: run `skewguard plan --to 1\.31 -o markdown` for the whole plan\]\n$/,
    );
  });
});
