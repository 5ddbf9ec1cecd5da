/** VersionEndOfSupport: the control plane's minor is supported for long enough, upstream or on EKS, with the date, the consequence and the cost. */
import { EKS_PRICING, KUBERNETES_VERSIONS_TABLE } from '../data/kubernetes-versions';
import { daysUntil, staleSuffix, tableDetails } from '../data/table';
import type { EksSupportType, PlatformSupport, Severity } from '../model';
import type { RuleFinding } from '../rule';
import { defineRule, skip } from '../rule';
import { apiserverBoundsMissing, inventory } from '../skew/inventory';
import type { SupportDates } from './support';
import { isEks, minorWithStatus, phaseOf, supportOf } from './support';
import { textOf, wasText } from '../last-finding';

/** Extended support costs this much more per cluster and month (USD). */
export const EXTENDED_EXTRA_PER_MONTH = Math.round(
  (EKS_PRICING.extendedPerClusterHour - EKS_PRICING.standardPerClusterHour) *
    EKS_PRICING.hoursPerMonth,
);

const COST =
  `$${EKS_PRICING.extendedPerClusterHour.toFixed(2)} instead of $${EKS_PRICING.standardPerClusterHour.toFixed(2)} ` +
  `per cluster-hour, about $${EXTENDED_EXTRA_PER_MONTH} a month more`;

/** Severity by days left: critical within 30, warning within 90, info within 180, else none. */
function bySeverityWindow(days: number, worst: Severity = 'critical'): Severity | undefined {
  if (days <= 30) return worst;
  if (days <= 90) return 'warning';
  if (days <= 180) return 'info';
  return undefined;
}

/** `in 60 days`, `today`. */
function inDays(days: number): string {
  return days <= 0 ? 'today' : days === 1 ? 'in 1 day' : `in ${days} days`;
}

/** The control plane's minor is supported for longer than 180 days, and not in paid extended support. */
export const VersionEndOfSupport = defineRule({
  id: 'VersionEndOfSupport',
  title: 'Kubernetes version near or past end of support',
  description:
    'The control plane runs a minor with more than 180 days of support left (upstream, or EKS standard support), and an EKS cluster is not paying for extended support.',
  category: 'readiness',
  severity: 'warning',
  otherSeverities: [
    { severity: 'critical', when: 'support has ended or ends within 30 days' },
    { severity: 'info', when: 'support ends within 180 days' },
  ],
  forSeconds: 0,
  needs: ['apiserver', 'platform'],
  tables: [KUBERNETES_VERSIONS_TABLE],
  resolved: (last) => {
    const minor = textOf(last, 'minor') ?? last.subject.name.replace(/^v/, '');
    const state = textOf(last, 'problem') ?? textOf(last, 'phase');
    return `Kubernetes ${minor} support no longer needs attention${wasText([state !== undefined ? (SUPPORT_STATE[state] ?? state) : undefined])}`;
  },
  materialKeys: ['minor', 'phase', 'problem'],
  evaluate(snapshot, ctx) {
    const inv = inventory(snapshot);
    const missing = apiserverBoundsMissing(inv);
    if (missing !== undefined || inv.aMin === undefined) return skip(missing ?? '');
    const platform = snapshot.platform;
    if (!platform)
      return skip('the platform part is marked collected, but the snapshot carries no platform');
    // The oldest apiserver is the one whose support runs out first.
    const minor = inv.aMin;
    const lookup = supportOf(platform, minor);
    const subject = { kind: 'ClusterVersion', name: `v1.${minor}` };
    const stale = staleSuffix(KUBERNETES_VERSIONS_TABLE, ctx.now);
    const table = tableDetails(KUBERNETES_VERSIONS_TABLE, ctx.now);
    const base = {
      minor: `1.${minor}`,
      nextMinor: `1.${minor + 1}`,
      provider: platform.provider,
      table,
    };
    if (!lookup.known) {
      const what = `${isEks(platform) ? 'EKS ' : 'Kubernetes '}1.${minor}`;
      const supply = isEks(platform) ? ' or let skewguard read eks:DescribeClusterVersions' : '';
      return [
        lookup.newer
          ? {
              severity: 'info',
              subject,
              summary: `${what} is newer than any minor skewguard's support data knows (up to 1.${lookup.newest}, from ${lookup.from}): its support dates are unknown, not assumed. Update skewguard${supply}.${stale}`,
              details: { ...base, problem: 'notInTable', newestKnown: `1.${lookup.newest}` },
            }
          : {
              severity: 'critical',
              subject,
              summary: `${what} is older than any minor skewguard's support data knows (from 1.${lookup.oldest}, whose support ended on ${lookup.oldestEnd}): its support ended long ago. Upgrade one minor at a time, starting with 1.${minor + 1}.${stale}`,
              details: { ...base, problem: 'olderThanTable', oldestKnown: `1.${lookup.oldest}` },
            },
      ];
    }
    // The minor to move to, with its own support, is named by both verdicts.
    const next = minorWithStatus(platform, minor + 1, ctx.now);
    const finding = isEks(platform)
      ? eksFinding(platform, lookup.dates, next, ctx.now)
      : upstreamFinding(platform, lookup.dates, next, ctx.now);
    if (!finding) return [];
    return [
      {
        severity: finding.severity,
        subject,
        summary: `${finding.summary}${stale}`,
        details: { ...base, ...finding.details, source: lookup.dates.from },
      },
    ];
  },
});

type Verdict = Pick<RuleFinding, 'summary' | 'details'> & { readonly severity: Severity };

function eksFinding(
  platform: PlatformSupport,
  dates: SupportDates,
  next: string,
  now: number,
): Verdict | undefined {
  const minor = dates.minor;
  const policy: EksSupportType | undefined = platform.upgradePolicy?.supportType;
  const policyRead = policy !== undefined;
  const std = dates.endOfSupport;
  const ext = dates.endOfExtendedSupport ?? std;
  const common = {
    platform: 'eks',
    supportType: policy ?? 'unknown',
    endOfStandardSupport: std,
    endOfExtendedSupport: ext,
  };
  const phase = phaseOf(dates, now);
  // A cluster cannot run a minor before EKS offers it; such data is not worth a finding.
  if (phase === 'unreleased') return undefined;
  if (phase === 'ended') {
    return {
      severity: 'critical',
      summary: `EKS 1.${minor} reached the end of extended support on ${ext}: the control plane gets no more patches and EKS upgrades it to 1.${minor + 1} on its own, at a time it chooses. Upgrade yourself now, after checking NextUpgradeBlocked: to ${next}.`,
      details: { ...common, phase, daysLeft: daysUntil(ext, now) },
    };
  }
  if (phase === 'extended') {
    const days = daysUntil(ext, now);
    if (policy === 'STANDARD') {
      return {
        severity: 'critical',
        summary: `EKS 1.${minor} left standard support on ${std} and the cluster's upgrade policy is STANDARD: EKS upgrades the control plane to 1.${minor + 1} automatically, at any time now. Upgrade yourself first, after checking NextUpgradeBlocked: to ${next}.`,
        details: { ...common, phase, daysLeft: days },
      };
    }
    return {
      severity: days <= 30 ? 'critical' : 'warning',
      summary: `EKS 1.${minor} is in extended support since ${std}: ${COST}${policyRead ? '' : ' (upgrade policy not read; EKS defaults to EXTENDED)'}. Extended support ends on ${ext} (${inDays(days)}), when EKS upgrades the control plane to 1.${minor + 1} itself. Upgrade to ${next} to stop the charge.`,
      details: {
        ...common,
        phase,
        daysLeft: days,
        monthlyExtraCostUsd: EXTENDED_EXTRA_PER_MONTH,
      },
    };
  }
  const days = daysUntil(std, now);
  const severity = bySeverityWindow(days, policy === 'EXTENDED' ? 'warning' : 'critical');
  if (!severity) return undefined;
  const details = { ...common, phase, daysLeft: days };
  if (policy === 'STANDARD') {
    return {
      severity,
      summary: `EKS 1.${minor} standard support ends on ${std} (${inDays(days)}) and the cluster's upgrade policy is STANDARD: EKS will upgrade the control plane to 1.${minor + 1} on or after ${std}. Upgrade to ${next} before then, on your own schedule.`,
      details: { ...details, autoUpgradeOn: std },
    };
  }
  if (policy === 'EXTENDED') {
    return {
      severity,
      summary: `EKS 1.${minor} standard support ends on ${std} (${inDays(days)}); with the EXTENDED upgrade policy the cluster then moves to extended support at ${COST}. Upgrade to ${next} before then to avoid the charge.`,
      details: { ...details, monthlyExtraCostUsd: EXTENDED_EXTRA_PER_MONTH },
    };
  }
  return {
    severity,
    summary: `EKS 1.${minor} standard support ends on ${std} (${inDays(days)}): then EKS either upgrades the control plane to 1.${minor + 1} (upgrade policy STANDARD) or bills extended support, about $${EXTENDED_EXTRA_PER_MONTH} a month more (EXTENDED, the default); the policy was not read. Upgrade to ${next} before then.`,
    details: { ...details, monthlyExtraCostUsd: EXTENDED_EXTRA_PER_MONTH },
  };
}

function upstreamFinding(
  platform: PlatformSupport,
  dates: SupportDates,
  next: string,
  now: number,
): Verdict | undefined {
  const { minor, endOfSupport: eol } = dates;
  const planned = dates.planned ? ' (the planned date)' : '';
  // Vendors (GKE, AKS, distributions) often support a minor past upstream's end of life.
  const vendor =
    platform.provider === 'upstream'
      ? ''
      : platform.provider === 'unknown'
        ? ` These are upstream dates: skewguard did not recognise the platform, and a vendor may support 1.${minor} longer.`
        : ` These are upstream dates: ${platform.provider} may support 1.${minor} longer, check its own calendar.`;
  const days = daysUntil(eol, now);
  const details = { platform: 'upstream', endOfLife: eol, planned: dates.planned, daysLeft: days };
  if (days < 0) {
    return {
      severity: 'critical',
      summary: `Kubernetes 1.${minor} reached end of life upstream on ${eol}${planned}: no more patch releases, security fixes included. Upgrade to ${next}.${vendor}`,
      details: { ...details, phase: 'ended' },
    };
  }
  const severity = bySeverityWindow(days);
  if (!severity) return undefined;
  return {
    severity,
    summary: `Kubernetes 1.${minor} reaches end of life upstream on ${eol}${planned} (${inDays(days)}): after it, no more patch releases, security fixes included. Upgrade to ${next} before then.${vendor}`,
    details: { ...details, phase: 'standard' },
  };
}

/** The support state a resolved notice says the minor was in. */
const SUPPORT_STATE: Readonly<Record<string, string>> = {
  notInTable: 'not in the support data',
  olderThanTable: 'older than the support data',
  ended: 'support ended',
  extended: 'in extended support',
  standard: 'standard support ending',
};
