/**
 * Deprecated APIs that clients still call, from the API server's own metrics in Prometheus: the
 * `apiserver_requested_deprecated_apis` gauge joined with the request rate of each API, so an API
 * asked for once long ago (the gauge stays 1 until the apiserver restarts) is told apart from
 * one in use. One query, a handful of series, whatever the cluster's size.
 */
import type { DeprecatedApiRequest } from '../../rules/readiness-model';
import type { SelectorInjector } from './selector';
import { quote } from './selector';
import type { Sample } from './types';

/** Label that tags each series of the query with what it is. */
const TAG = 'skewguard_deprecated';

/** The window the request rate is measured over, in seconds and as people read it. */
export const DEPRECATED_RATE_WINDOW = { seconds: 3600, text: '1h' } as const;

const API = 'group, version, resource, subresource';

/**
 * `requested`: each deprecated API the apiservers were asked for, with its removal release;
 * `rate`: requests per second to each of those over the window (absent when none came);
 * `scraped`: whether the API server's metrics are in Prometheus at all, so "none requested"
 * is told apart from "not scraped".
 */
export function deprecatedApisQuery(q: SelectorInjector, apiserverJobs: string): string {
  const requested = `max by (${API}, removed_release) (${q.v('apiserver_requested_deprecated_apis')})`;
  const rate =
    `sum by (${API}) (rate(${q.v('apiserver_request_total')}[${DEPRECATED_RATE_WINDOW.seconds}s]))` +
    ` and on (${API}) max by (${API}) (${q.v('apiserver_requested_deprecated_apis')})`;
  const scraped = `count(${q.v('kubernetes_build_info', `job=~${quote(apiserverJobs)}`)})`;
  const tag = (expr: string, what: string) =>
    `label_replace(${expr}, ${quote(TAG)}, ${quote(what)}, "", "")`;
  return [tag(requested, 'requested'), tag(rate, 'rate'), tag(scraped, 'scraped')].join(' or ');
}

/** What the query told: the APIs requested with their traffic, and whether the apiserver is scraped. */
export interface DeprecatedApiReading {
  readonly scraped: boolean;
  readonly requests: DeprecatedApiRequest[];
}

const keyOf = (m: Readonly<Record<string, string>>): string =>
  [m['group'] ?? '', m['version'] ?? '', m['resource'] ?? '', m['subresource'] ?? ''].join('/');

/** Reads the query's answer: one request per API with `requestsPerSecond` (0 when nothing came). */
export function readDeprecatedApis(samples: readonly Sample[]): DeprecatedApiReading {
  const rates = new Map<string, number>();
  for (const s of samples)
    if (s.metric[TAG] === 'rate' && Number.isFinite(s.value)) rates.set(keyOf(s.metric), s.value);
  const scraped = samples.some((s) => s.metric[TAG] === 'scraped' && s.value > 0);
  const requests = samples.flatMap((s): DeprecatedApiRequest[] => {
    const m = s.metric;
    if (m[TAG] !== 'requested' || !m['version'] || !m['resource']) return [];
    return [
      {
        group: m['group'] ?? '',
        version: m['version'],
        resource: m['resource'],
        ...(m['subresource'] ? { subresource: m['subresource'] } : {}),
        ...(m['removed_release'] ? { removedRelease: m['removed_release'] } : {}),
        requestsPerSecond: rates.get(keyOf(m)) ?? 0,
        window: DEPRECATED_RATE_WINDOW.text,
        source: 'prometheus',
      },
    ];
  });
  return { scraped: scraped || requests.length > 0, requests };
}
