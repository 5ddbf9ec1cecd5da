import { ConsoleNotifier } from '../../../lib/notify/console';
import { PublishError } from '../../../lib/notify/publisher';
import { batch, transition } from './build';

describe('ConsoleNotifier', () => {
  it('writes the digest with its subject and reports every transition delivered', async () => {
    const written: string[] = [];
    const transitions = [transition('firing', { ruleId: 'A' }), transition('resolved')];
    const result = await new ConsoleNotifier((text) => {
      written.push(text);
    }).publish(batch(transitions));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^Subject: \[CRITICAL\+RESOLVED\] prod-eu: 1 new, 1 resolved - A, /);
    expect(written[0]).toContain('== RESOLVED (1) ==');
    expect(result).toEqual({
      delivered: transitions.map((t) => t.item.sk),
      undelivered: [],
      sent: 1,
      failures: [],
    });
  });

  it('wraps the subject line at the given width, continuation aligned under the subject', async () => {
    const written: string[] = [];
    const transitions = [
      'ApiServerVersionSkew',
      'ControlPlaneVersionSkew',
      'NextUpgradeBlocked',
    ].map((ruleId) => transition('firing', { ruleId }));
    await new ConsoleNotifier((text) => void written.push(text), { width: 80 }).publish(
      batch(transitions),
    );
    const head = (written[0] ?? '').split('\n\n')[0]?.split('\n') ?? [];
    expect(head.length).toBeGreaterThan(1);
    for (const line of head) expect(line.length).toBeLessThanOrEqual(80);
    expect(head[0]).toMatch(/^Subject: \[CRITICAL\] prod-eu: 3 new - /);
    expect(head.slice(1).every((l) => l.startsWith(' '.repeat('Subject: '.length)))).toBe(true);
  });

  it('writes nothing when nothing changed', async () => {
    const write = jest.fn();
    const result = await new ConsoleNotifier(write).publish(batch([]));
    expect(write).not.toHaveBeenCalled();
    expect(result.sent).toBe(0);
  });

  it('turns a failed write into PublishError that keeps the cause', async () => {
    const cause = new Error('EPIPE: broken pipe');
    const t = transition('firing');
    const error = await new ConsoleNotifier(async () => {
      throw cause;
    })
      .publish(batch([t]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ audience: 'human', undelivered: [t.item.sk], cause });
    expect((error as Error).message).toMatch(/EPIPE.*output stream is writable/);
  });
});
