/** Support dates of one Kubernetes minor on the cluster's platform: live EKS answers first, then the shipped table. */
import {
  EKS_MINORS,
  KUBERNETES_VERSIONS_TABLE,
  UPSTREAM_MINORS,
} from '../data/kubernetes-versions';
import { dayStart, isoDay } from '../data/table';
import type { PlatformSupport } from '../model';

/** What is known about one minor. Dates are ISO days (`2026-03-23`). */
export interface SupportDates {
  readonly platform: 'eks' | 'upstream';
  readonly minor: number;
  readonly releaseDate?: string;
  /** Upstream: end of life. EKS: end of standard support. */
  readonly endOfSupport: string;
  /** EKS only: end of extended support. */
  readonly endOfExtendedSupport?: string;
  /** Upstream dates still taken from the release schedule's plan. */
  readonly planned: boolean;
  /** `eks:DescribeClusterVersions (…)` or `skewguard's table (made …)`. */
  readonly from: string;
}

/** A minor the data covers, or why it does not: newer or older than every minor it knows. */
export type SupportLookup =
  | { readonly known: true; readonly dates: SupportDates }
  | {
      readonly known: false;
      readonly platform: 'eks' | 'upstream';
      readonly newer: boolean;
      readonly oldest: number;
      readonly newest: number;
      /** End of support of the oldest known minor, for "ended before …". */
      readonly oldestEnd: string;
      readonly from: string;
    };

const TABLE_FROM = `skewguard's table (made ${KUBERNETES_VERSIONS_TABLE.madeOn})`;

/** `1.31` → 31. */
export function minorNumber(minor: string): number {
  return Number(minor.split('.')[1]);
}

/** EKS answers times (`2025-11-25T16:00:00-08:00`); rules speak in UTC days (`2025-11-26`). */
function day(date: string): string {
  const ms = dayStart(date);
  return Number.isNaN(ms) ? date : isoDay(ms);
}

/** Whether the platform is EKS, whose own calendar applies instead of upstream's. */
export function isEks(platform: PlatformSupport): boolean {
  return platform.provider === 'eks';
}

/** The dates of `minor` on `platform`. */
export function supportOf(platform: PlatformSupport, minor: number): SupportLookup {
  return isEks(platform) ? eksSupport(platform, minor) : upstreamSupport(minor);
}

function eksSupport(platform: PlatformSupport, minor: number): SupportLookup {
  const live = platform.eksVersions?.find(
    (v) => minorNumber(v.minor) === minor && v.endOfStandardSupport !== undefined,
  );
  if (live?.endOfStandardSupport) {
    return {
      known: true,
      dates: {
        platform: 'eks',
        minor,
        ...(live.releaseDate ? { releaseDate: day(live.releaseDate) } : {}),
        endOfSupport: day(live.endOfStandardSupport),
        ...(live.endOfExtendedSupport
          ? { endOfExtendedSupport: day(live.endOfExtendedSupport) }
          : {}),
        planned: false,
        from: platform.source,
      },
    };
  }
  const row = EKS_MINORS.find((r) => minorNumber(r.minor) === minor);
  if (row) {
    return {
      known: true,
      dates: {
        platform: 'eks',
        minor,
        releaseDate: row.releaseDate,
        endOfSupport: row.endOfStandardSupport,
        endOfExtendedSupport: row.endOfExtendedSupport,
        planned: false,
        from: TABLE_FROM,
      },
    };
  }
  // Live answers list only what EKS offers now, so together with the table they bound what is known.
  const minors = [
    ...EKS_MINORS.map((r) => minorNumber(r.minor)),
    ...(platform.eksVersions ?? []).map((v) => minorNumber(v.minor)),
  ].filter((m) => !Number.isNaN(m));
  const oldestRow = EKS_MINORS[0];
  return {
    known: false,
    platform: 'eks',
    newer: minor > Math.max(...minors),
    oldest: Math.min(...minors),
    newest: Math.max(...minors),
    oldestEnd: oldestRow?.endOfExtendedSupport ?? '',
    from: platform.eksVersions ? `${platform.source} and ${TABLE_FROM}` : TABLE_FROM,
  };
}

function upstreamSupport(minor: number): SupportLookup {
  const row = UPSTREAM_MINORS.find((r) => minorNumber(r.minor) === minor);
  if (row) {
    return {
      known: true,
      dates: {
        platform: 'upstream',
        minor,
        releaseDate: row.releaseDate,
        endOfSupport: row.endOfLife,
        planned: row.planned === true,
        from: TABLE_FROM,
      },
    };
  }
  const minors = UPSTREAM_MINORS.map((r) => minorNumber(r.minor));
  return {
    known: false,
    platform: 'upstream',
    newer: minor > Math.max(...minors),
    oldest: Math.min(...minors),
    newest: Math.max(...minors),
    oldestEnd: UPSTREAM_MINORS[0]?.endOfLife ?? '',
    from: TABLE_FROM,
  };
}

/** Where a minor stands at `now`. */
export type SupportPhase = 'unreleased' | 'standard' | 'extended' | 'ended';

/** The phase of `dates` at `now` (upstream minors have no extended phase). */
export function phaseOf(dates: SupportDates, now: number): SupportPhase {
  if (dates.releaseDate !== undefined && now < dayStart(dates.releaseDate)) return 'unreleased';
  if (now < dayStart(dates.endOfSupport)) return 'standard';
  if (dates.endOfExtendedSupport !== undefined && now < dayStart(dates.endOfExtendedSupport))
    return 'extended';
  return 'ended';
}

/**
 * `1.34 (standard support until 2026-12-02)`: the minor to move to and how long it lasts; when it
 * is itself out of support, also the oldest one that is not, since upgrades go one minor at a time.
 */
export function minorWithStatus(platform: PlatformSupport, minor: number, now: number): string {
  const text = statusText(platform, minor, now);
  const lookup = supportOf(platform, minor);
  if (!lookup.known || phaseOf(lookup.dates, now) === 'standard') return text;
  const goal = oldestSupported(platform, minor, now);
  return goal === undefined || goal === minor
    ? text
    : `${text}, then on to 1.${goal}, the oldest minor ${lookup.dates.platform === 'eks' ? 'in standard support' : 'still supported'}`;
}

function statusText(platform: PlatformSupport, minor: number, now: number): string {
  const lookup = supportOf(platform, minor);
  if (!lookup.known) return `1.${minor}`;
  const { dates } = lookup;
  const upstream = dates.platform === 'upstream';
  switch (phaseOf(dates, now)) {
    case 'unreleased':
      return `1.${minor} (not released before ${dates.releaseDate ?? 'an unknown date'})`;
    case 'standard':
      return upstream
        ? `1.${minor} (supported until ${dates.endOfSupport})`
        : `1.${minor} (standard support until ${dates.endOfSupport})`;
    case 'extended':
      return `1.${minor} (itself in extended support since ${dates.endOfSupport})`;
    case 'ended':
      return upstream
        ? `1.${minor} (itself past end of life on ${dates.endOfSupport})`
        : `1.${minor} (itself past extended support on ${dates.endOfExtendedSupport ?? dates.endOfSupport})`;
  }
}

/** The oldest minor at or above `from` that is in (standard) support at `now`, if the data knows one. */
export function oldestSupported(
  platform: PlatformSupport,
  from: number,
  now: number,
): number | undefined {
  for (let minor = from; minor < from + 20; minor += 1) {
    const lookup = supportOf(platform, minor);
    if (!lookup.known) return undefined;
    if (phaseOf(lookup.dates, now) === 'standard') return minor;
  }
  return undefined;
}
