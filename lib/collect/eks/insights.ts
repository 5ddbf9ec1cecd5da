/** Deprecated APIs EKS upgrade insights saw called, with who called them (ListInsights, DescribeInsight). */
import { DescribeInsightCommand, ListInsightsCommand } from '@aws-sdk/client-eks';
import type { DeprecatedApiRequest } from '../../rules/readiness-model';
import type { EksApi, EksClusterRef } from './calls';
import { allPages, eksCall } from './calls';

/** group/version/resource(/subresource) of an insight's `usage` path, undefined when it is not one. */
export function parseApiPath(
  path: string,
): { group: string; version: string; resource: string; subresource?: string } | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  // `/api/v1/<resource>` is the core group; `/apis/<group>/<version>/<resource>` every other.
  const [root, ...rest] = parts;
  const [group, version, resource, subresource] =
    root === 'api' ? ['', ...rest] : root === 'apis' ? rest : [];
  if (version === undefined || resource === undefined || group === undefined) return undefined;
  return { group, version, resource, ...(subresource ? { subresource } : {}) };
}

/** `networking.k8s.io/v1` for `/apis/networking.k8s.io/v1/ingresses`. */
function groupVersion(path: string | undefined): string | undefined {
  const api = path ? parseApiPath(path) : undefined;
  if (!api) return undefined;
  return api.group === '' ? api.version : `${api.group}/${api.version}`;
}

/** What the insights gave, and the usages they named that are not API paths (for the notes). */
export interface InsightReading {
  readonly requests: DeprecatedApiRequest[];
  readonly unreadable: string[];
}

/**
 * The deprecation details of every UPGRADE_READINESS insight: one DescribeInsight per insight
 * (a handful per cluster, whatever its size), each usage with its callers over 30 days.
 */
export async function readDeprecationInsights(
  eks: EksApi,
  cluster: EksClusterRef,
): Promise<InsightReading> {
  const summaries = await allPages('ListInsights', cluster, async (nextToken) => {
    const out = await eks.send(
      new ListInsightsCommand({
        clusterName: cluster.name,
        filter: { categories: ['UPGRADE_READINESS'] },
        maxResults: 100,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    return { items: out.insights ?? [], ...(out.nextToken ? { nextToken: out.nextToken } : {}) };
  });
  const requests: DeprecatedApiRequest[] = [];
  const unreadable: string[] = [];
  for (const summary of summaries) {
    if (!summary.id) continue;
    const id = summary.id;
    const out = await eksCall('DescribeInsight', cluster, () =>
      eks.send(new DescribeInsightCommand({ clusterName: cluster.name, id })),
    );
    for (const detail of out.insight?.categorySpecificSummary?.deprecationDetails ?? []) {
      const api = detail.usage ? parseApiPath(detail.usage) : undefined;
      if (!api) {
        unreadable.push(detail.usage ?? '(no usage)');
        continue;
      }
      const callers = (detail.clientStats ?? []).flatMap((c) =>
        c.userAgent
          ? [
              {
                userAgent: c.userAgent,
                ...(c.numberOfRequestsLast30Days !== undefined
                  ? { requestCount: c.numberOfRequestsLast30Days }
                  : {}),
                ...(c.lastRequestTime instanceof Date
                  ? { lastRequestAt: c.lastRequestTime.toISOString() }
                  : {}),
              },
            ]
          : [],
      );
      const requestCount = callers.reduce((sum, c) => sum + (c.requestCount ?? 0), 0);
      const replacement = groupVersion(detail.replacedWith);
      requests.push({
        ...api,
        ...(detail.stopServingVersion ? { removedRelease: detail.stopServingVersion } : {}),
        requestCount,
        window: '30d',
        ...(callers.length > 0 ? { callers } : {}),
        ...(replacement ? { replacement } : {}),
        source: 'eks-insights',
      });
    }
  }
  return { requests, unreadable };
}
