/** Edges of the readiness rules the fixtures do not pin: table notes, stale tables, date boundaries, skipped reasons. */
import type { ClusterSnapshot, PlatformSupport } from '../../../lib/rules';
import { DEFAULT_POLICY, evaluate } from '../../../lib/rules';
import { snapshotOf } from '../../support/evaluate';

const version = (git: string) => ({
  serverVersion: { major: '1', minor: git.split('.')[1], gitVersion: git, platform: 'linux/amd64' },
});

function withPlatform(git: string, platform: PlatformSupport): ClusterSnapshot {
  const base = snapshotOf([version(git)]);
  return { ...base, parts: { ...base.parts, platform: { state: 'collected' } }, platform };
}

const eks = (supportType?: 'STANDARD' | 'EXTENDED'): PlatformSupport => ({
  provider: 'eks',
  source: 'test',
  ...(supportType ? { upgradePolicy: { supportType } } : {}),
});

const at = (snapshot: ClusterSnapshot, day: string) =>
  evaluate(snapshot, DEFAULT_POLICY, Date.parse(`${day}T00:00:00Z`));

const endOfSupport = (snapshot: ClusterSnapshot, day: string) =>
  at(snapshot, day).findings.filter((f) => f.ruleId === 'VersionEndOfSupport');

describe('data table notes', () => {
  it('name the tables the evaluated rules read, and say when one is stale', () => {
    const snapshot = withPlatform('v1.33.1-eks-1', eks('STANDARD'));
    const fresh = at(snapshot, '2026-12-07');
    expect(fresh.notes).toEqual([
      expect.stringMatching(
        /^Kubernetes and EKS support dates: skewguard's table made 2026-12-07, from https:\/\/kubernetes\.io\/releases\//,
      ),
    ]);
    const stale = at(snapshot, '2027-04-08');
    expect(stale.notes).toContainEqual(
      expect.stringMatching(/covers checks until 2027-04-07, but this one ran on 2027-04-08/),
    );
    expect(at(snapshot, '2027-04-07').notes).toHaveLength(1);
  });

  it('are absent when no rule with a table was evaluated', () => {
    // No server version: the platform (and so the support calendar) is unknown, nothing is judged.
    const { notes, coverage } = at(snapshotOf([]), '2026-12-07');
    expect(coverage).toContainEqual(
      expect.objectContaining({ ruleId: 'VersionEndOfSupport', status: 'skipped' }),
    );
    expect(notes).toBeUndefined();
  });
});

describe('VersionEndOfSupport dates', () => {
  const std = withPlatform('v1.33.1-eks-1', eks('STANDARD'));

  it.each([
    ['2026-01-29', 'none'], // 181 days before 2026-07-29: nothing yet
    ['2026-01-30', 'info'],
    ['2026-04-30', 'warning'],
    ['2026-06-29', 'critical'],
    ['2026-07-29', 'critical'], // the day itself: out of standard support
  ])('STANDARD policy on %s → %s', (day, severity) => {
    const findings = endOfSupport(std, day);
    expect(findings.map((f) => f.severity)).toEqual(severity === 'none' ? [] : [severity]);
  });

  it('caps the EXTENDED policy at warning before standard support ends: only money is at stake', () => {
    const ext = withPlatform('v1.33.1-eks-1', eks('EXTENDED'));
    expect(endOfSupport(ext, '2026-07-20').map((f) => f.severity)).toEqual(['warning']);
    expect(endOfSupport(ext, '2026-07-20')[0]?.summary).toMatch(/about \$365 a month more/);
  });

  it('says the policy was not read, and takes the worse outcome', () => {
    const unknown = withPlatform('v1.33.1-eks-1', eks());
    const [finding] = endOfSupport(unknown, '2026-07-20');
    expect(finding?.severity).toBe('critical');
    expect(finding?.summary).toMatch(/the policy was not read/);
  });

  it('reports a minor older than the table as long out of support', () => {
    const old = withPlatform('v1.18.20', { provider: 'upstream', source: 'test' });
    expect(endOfSupport(old, '2026-12-07')).toMatchObject([
      { severity: 'critical', details: { problem: 'olderThanTable', oldestKnown: '1.19' } },
    ]);
  });
});

describe('skipped, never passed', () => {
  it('names what supplies each part kubectl output lacks', () => {
    const { coverage } = at(snapshotOf([version('v1.33.1-eks-1')]), '2026-12-07');
    const reason = (id: string) => {
      const c = coverage.find((x) => x.ruleId === id);
      return c?.status === 'skipped' ? c.reason : c?.status;
    };
    // The server version names the platform (EKS), whose calendar the shipped table has.
    expect(reason('VersionEndOfSupport')).toBe('evaluated');
    expect(reason('DeprecatedApiInUse')).toMatch(/apiserver_requested_deprecated_apis/);
    expect(reason('AddonIncompatible')).toMatch(/eks:DescribeAddonVersions/);
  });
});
