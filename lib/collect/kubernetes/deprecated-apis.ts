/**
 * Deprecated APIs clients called, from one read of the API server's own `/metrics`: the
 * `apiserver_requested_deprecated_apis` gauge with the `apiserver_request_total` counter of each
 * such API. Used when no Prometheus is configured; behind a load balancer one read sees one
 * API server instance, and the counts run since that instance started.
 */
import type { DeprecatedApiRequest } from '../../rules/readiness-model';
import type { KubeClient } from './client';
import { KubeHttpError } from './client';

/** The window the counts cover, as people read it. */
export const METRICS_WINDOW = 'the life of one API server instance';

const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The labels and value of one exposition line of `family`, or undefined for other lines. */
function sampleOf(
  line: string,
  family: string,
): { labels: Record<string, string>; value: number } | undefined {
  if (!line.startsWith(`${family}{`)) return undefined;
  const close = line.lastIndexOf('}');
  if (close < 0) return undefined;
  const labels: Record<string, string> = {};
  for (const m of line.slice(family.length + 1, close).matchAll(LABEL))
    labels[m[1] as string] = (m[2] as string).replace(/\\(.)/g, (_, c: string) =>
      c === 'n' ? '\n' : c,
    );
  const value = Number(
    line
      .slice(close + 1)
      .trim()
      .split(/\s+/)[0],
  );
  return { labels, value };
}

const keyOf = (l: Readonly<Record<string, string>>): string =>
  [l['group'] ?? '', l['version'] ?? '', l['resource'] ?? '', l['subresource'] ?? ''].join('/');

/** The deprecated APIs in a `/metrics` body, each with the requests counted for it. */
export function parseDeprecatedApiMetrics(text: string): DeprecatedApiRequest[] {
  const requested = new Map<string, Record<string, string>>();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const gauge = sampleOf(line, 'apiserver_requested_deprecated_apis');
    if (gauge && gauge.value > 0 && gauge.labels['version'] && gauge.labels['resource']) {
      requested.set(keyOf(gauge.labels), gauge.labels);
      continue;
    }
    const count = sampleOf(line, 'apiserver_request_total');
    if (count && Number.isFinite(count.value)) {
      const key = keyOf(count.labels);
      counts.set(key, (counts.get(key) ?? 0) + count.value);
    }
  }
  return [...requested].map(([key, l]) => ({
    group: l['group'] ?? '',
    version: l['version'] as string,
    resource: l['resource'] as string,
    ...(l['subresource'] ? { subresource: l['subresource'] } : {}),
    ...(l['removed_release'] ? { removedRelease: l['removed_release'] } : {}),
    requestCount: Math.round(counts.get(key) ?? 0),
    window: METRICS_WINDOW,
    source: 'apiserver-metrics',
  }));
}

/** Reads `/metrics` once; a denial names the RBAC rule to add instead of failing the source. */
export async function readDeprecatedApiMetrics(
  client: KubeClient,
): Promise<{ requests: DeprecatedApiRequest[] } | { problem: string }> {
  try {
    return { requests: parseDeprecatedApiMetrics(await client.getText('/metrics')) };
  } catch (error) {
    if (error instanceof KubeHttpError && error.status === 403)
      return {
        problem:
          'GET /metrics on the API server is forbidden: add `get` on the nonResourceURL /metrics to the reader role (deploy/rbac/skewguard-reader.yaml has it), or configure Prometheus for this cluster',
      };
    return { problem: `GET /metrics failed: ${(error as Error).message}` };
  }
}
