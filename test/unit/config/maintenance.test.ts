/** maintenanceWindows in the config and the window arithmetic: accepted, round-tripped, rejected with the fix, open and closed at the right minutes. */
import type { ConfigError, ConfigIssue } from '../../../lib/config';
import { parseConfig, parseWindowCron, toConfigDocument, windowEndAt } from '../../../lib/config';

function doc(maintenanceWindows: unknown, defaults?: unknown): Record<string, unknown> {
  return {
    ...(defaults !== undefined ? { defaults } : {}),
    clusters: [
      {
        name: 'prod',
        kubernetes: { eks: { name: 'prod', region: 'eu-west-1', grantAccess: true } },
        maintenanceWindows,
      },
    ],
  };
}

function issuesOf(document: unknown): readonly ConfigIssue[] {
  try {
    parseConfig(document, 'test');
  } catch (error) {
    if ((error as Error).name !== 'ConfigError') throw error;
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

describe('maintenanceWindows', () => {
  it('is normalized (seconds, time zone resolved from defaults or UTC) and round-trips', () => {
    const config = parseConfig(
      doc(
        [
          { cron: '0 22 * * SAT', duration: '2h' },
          { cron: '30 1 1 * *', duration: '1h30m', timezone: 'America/New_York' },
        ],
        { timezone: 'Europe/Berlin' },
      ),
    );
    expect(config.clusters[0]?.maintenanceWindows).toEqual([
      { cron: '0 22 * * SAT', durationSeconds: 7200, timezone: 'Europe/Berlin' },
      { cron: '30 1 1 * *', durationSeconds: 5400, timezone: 'America/New_York' },
    ]);
    expect(parseConfig(JSON.parse(JSON.stringify(toConfigDocument(config))))).toEqual(config);
  });

  it('is absent when the cluster lists none', () => {
    expect(parseConfig(doc([])).clusters[0]).not.toHaveProperty('maintenanceWindows');
  });

  it('rejects a bad cron, an EventBridge cron, a long or zero duration and a bad zone, naming the fix', () => {
    const issues = issuesOf(
      doc([
        { cron: '0 22 * *', duration: '2h' },
        { cron: 'cron(0 22 ? * SAT *)', duration: '2h' },
        { cron: '61 * * * *', duration: '2h' },
        { cron: '0 22 * * SAT', duration: '8d' },
        { cron: '0 22 * * SAT', duration: '0' },
        { cron: '0 22 * * SAT', duration: '2h', timezone: 'Mars/Olympus' },
      ]),
    );
    const messages = issues.map((i) => `${i.path}: ${i.message}`);
    expect(messages).toEqual([
      expect.stringMatching(
        /maintenanceWindows\[0\]\.cron: .*4 fields; a window takes 5 cron fields/,
      ),
      expect.stringMatching(/maintenanceWindows\[1\]\.cron: .*EventBridge's cron\(\.\.\.\) form/),
      expect.stringMatching(/maintenanceWindows\[2\]\.cron: .*minute field "61" is outside 0-59/),
      expect.stringMatching(/maintenanceWindows\[3\]\.duration: .*longer than the 7d.*silence add/),
      expect.stringMatching(/maintenanceWindows\[4\]\.duration: .*must be longer than 0/),
      expect.stringMatching(/maintenanceWindows\[5\]\.timezone: .*not an IANA time zone/),
    ]);
  });
});

describe('windowEndAt', () => {
  // 2026-11-21 is a Saturday.
  const window = { cron: '0 22 * * SAT', durationSeconds: 7200, timezone: 'UTC' };

  it('is open from the cron minute for the duration, and closed before and after', () => {
    expect(windowEndAt(window, Date.parse('2026-11-21T21:59:59Z'))).toBeUndefined();
    expect(windowEndAt(window, Date.parse('2026-11-21T22:00:00Z'))).toBe(
      Date.parse('2026-11-22T00:00:00Z'),
    );
    expect(windowEndAt(window, Date.parse('2026-11-21T23:59:59Z'))).toBe(
      Date.parse('2026-11-22T00:00:00Z'),
    );
    expect(windowEndAt(window, Date.parse('2026-11-22T00:00:00Z'))).toBeUndefined();
  });

  it("reads the cron in the window's time zone", () => {
    const berlin = { ...window, timezone: 'Europe/Berlin' };
    // 22:00 in Berlin (CET, UTC+1) is 21:00 UTC.
    expect(windowEndAt(berlin, Date.parse('2026-11-21T21:30:00Z'))).toBe(
      Date.parse('2026-11-21T23:00:00Z'),
    );
    expect(windowEndAt(berlin, Date.parse('2026-11-21T23:00:00Z'))).toBeUndefined();
  });

  it('follows standard cron: ranges, steps, names, 7 as Sunday, either day field when both are set', () => {
    expect(typeof parseWindowCron('*/15 0-6 * JAN-MAR 1-5')).toBe('object');
    const sunday = { cron: '0 3 * * 7', durationSeconds: 3600, timezone: 'UTC' };
    expect(windowEndAt(sunday, Date.parse('2026-11-22T03:30:00Z'))).toBeDefined();
    // Day 1 of the month OR a Saturday.
    const either = { cron: '0 12 1 * SAT', durationSeconds: 3600, timezone: 'UTC' };
    expect(windowEndAt(either, Date.parse('2026-11-21T12:10:00Z'))).toBeDefined();
    expect(windowEndAt(either, Date.parse('2026-12-01T12:10:00Z'))).toBeDefined();
    expect(windowEndAt(either, Date.parse('2026-12-02T12:10:00Z'))).toBeUndefined();
  });
});
