/** Deprecated API requests merged across sources per API, with their traffic, removal release and replacement. */
import { deprecatedApiRow } from '../data/deprecated-apis';
import type { ApiCaller, DeprecatedApiRequest, DeprecatedApiSource } from '../model';
import { listNames, unique } from '../text';
import { minorNumber } from './support';

/** One deprecated API as every source saw it. */
export interface ApiUse {
  /** `extensions/v1beta1/ingresses` (core: `v1/…`), plus `/subresource`. */
  readonly key: string;
  /** `extensions/v1beta1 ingresses`. */
  readonly label: string;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind?: string;
  /** Minor that removes it; undefined when neither source nor table says. */
  readonly removedIn?: number;
  /** `networking.k8s.io/v1 Ingress`, or what to do when there is none. */
  readonly fix: string;
  /** Whether any source measured traffic at all. */
  readonly trafficKnown: boolean;
  /** Whether that traffic is above zero (or callers are named). */
  readonly inUse: boolean;
  /** `0.42 requests/s over 1h`, `1,240 requests over 30d`. */
  readonly traffic?: string;
  readonly callers: readonly ApiCaller[];
  readonly sources: readonly DeprecatedApiSource[];
}

const PREFERENCE: readonly DeprecatedApiSource[] = [
  'prometheus',
  'apiserver-metrics',
  'eks-insights',
];

/** Each API once, the sources' facts combined, the preferred source's traffic shown. */
export function apiUses(requests: readonly DeprecatedApiRequest[]): ApiUse[] {
  const byKey = new Map<string, DeprecatedApiRequest[]>();
  for (const r of requests) {
    const key = `${r.group === '' ? '' : `${r.group}/`}${r.version}/${r.resource}${r.subresource ? `/${r.subresource}` : ''}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  return [...byKey.entries()]
    .map(([key, seen]) => combine(key, seen))
    .sort((a, b) => a.key.localeCompare(b.key));
}

function combine(key: string, seen: DeprecatedApiRequest[]): ApiUse {
  const ordered = [...seen].sort(
    (a, b) => PREFERENCE.indexOf(a.source) - PREFERENCE.indexOf(b.source),
  );
  const first = ordered[0] as DeprecatedApiRequest;
  const row = deprecatedApiRow(first.group, first.version, first.resource);
  const removed = ordered.find((r) => r.removedRelease)?.removedRelease ?? row?.removedIn;
  const replacement = ordered.find((r) => r.replacement)?.replacement ?? row?.replacement;
  const callers = mergeCallers(ordered.flatMap((r) => r.callers ?? []));
  const measured = ordered.filter(
    (r) => r.requestsPerSecond !== undefined || r.requestCount !== undefined,
  );
  const busy = measured.find((r) => (r.requestsPerSecond ?? 0) > 0 || (r.requestCount ?? 0) > 0);
  const calledBy = callers.some((c) => (c.requestCount ?? 1) > 0);
  const label = `${first.group === '' ? '' : `${first.group}/`}${first.version} ${first.resource}${first.subresource ? `/${first.subresource}` : ''}`;
  return {
    key,
    label,
    group: first.group,
    version: first.version,
    resource: first.resource,
    ...(row ? { kind: row.kind } : {}),
    ...(removed !== undefined && !Number.isNaN(minorNumber(removed))
      ? { removedIn: minorNumber(removed) }
      : {}),
    fix: replacement
      ? `move the callers to ${replacement}${row ? ` ${row.kind}` : ''}`
      : (row?.note ?? 'see https://kubernetes.io/docs/reference/using-api/deprecation-guide/'),
    trafficKnown: measured.length > 0 || callers.length > 0,
    inUse: busy !== undefined || calledBy,
    ...(busy ? { traffic: trafficText(busy) } : {}),
    callers,
    sources: unique(ordered.map((r) => r.source)),
  };
}

/** The same user agent from two sources counts once, with the larger count. */
function mergeCallers(callers: readonly ApiCaller[]): ApiCaller[] {
  const byAgent = new Map<string, ApiCaller>();
  for (const c of callers) {
    const had = byAgent.get(c.userAgent);
    if (!had || (c.requestCount ?? 0) > (had.requestCount ?? 0)) byAgent.set(c.userAgent, c);
  }
  return [...byAgent.values()].sort((a, b) => (b.requestCount ?? 0) - (a.requestCount ?? 0));
}

function trafficText(r: DeprecatedApiRequest): string {
  const window = r.window ? ` over ${r.window}` : '';
  if ((r.requestsPerSecond ?? 0) > 0) {
    const rate = r.requestsPerSecond ?? 0;
    return `${rate >= 0.01 ? rate.toFixed(2) : rate.toPrecision(1)} requests/s${window}`;
  }
  return `${(r.requestCount ?? 0).toLocaleString('en-US')} requests${window}`;
}

/** `by kubectl/v1.21.0 and argocd (1,240 requests)`, or that the source cannot tell. */
export function callersText(use: ApiUse): string {
  if (use.callers.length === 0)
    return 'callers unknown (EKS upgrade insights or the API server audit log name them)';
  return `by ${listNames(
    use.callers.map((c) => c.userAgent),
    3,
  )}`;
}
