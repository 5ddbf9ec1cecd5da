/** The EKS support facts of a cluster: its minor and upgrade policy (DescribeCluster) and EKS's calendar (DescribeClusterVersions). */
import { DescribeClusterCommand, DescribeClusterVersionsCommand } from '@aws-sdk/client-eks';
import type { EksSupportType, EksVersionInfo } from '../../rules/readiness-model';
import type { EksApi, EksClusterRef } from './calls';
import { allPages, eksCall } from './calls';

/** What DescribeCluster says about the cluster's version and support. */
export interface EksClusterFacts {
  /** `cluster.version`, e.g. `1.31`. */
  readonly minor?: string;
  readonly supportType?: EksSupportType;
}

/** `cluster.version` and `cluster.upgradePolicy.supportType`. */
export async function describeClusterFacts(
  eks: EksApi,
  cluster: EksClusterRef,
): Promise<EksClusterFacts> {
  const out = await eksCall('DescribeCluster', cluster, () =>
    eks.send(new DescribeClusterCommand({ name: cluster.name })),
  );
  const minor = out.cluster?.version;
  const supportType = out.cluster?.upgradePolicy?.supportType;
  return {
    ...(minor ? { minor } : {}),
    ...(supportType === 'STANDARD' || supportType === 'EXTENDED' ? { supportType } : {}),
  };
}

/** Dates as the rules read them: ISO strings, as EKS sends them (times with an offset). */
function iso(date: Date | undefined): string | undefined {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

/** Every minor EKS lists, supported or not (`includeAll`), with its support dates. */
export async function describeClusterVersions(
  eks: EksApi,
  cluster: EksClusterRef,
): Promise<EksVersionInfo[]> {
  const versions = await allPages('DescribeClusterVersions', cluster, async (nextToken) => {
    const out = await eks.send(
      new DescribeClusterVersionsCommand({
        includeAll: true,
        maxResults: 100,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    return {
      items: out.clusterVersions ?? [],
      ...(out.nextToken ? { nextToken: out.nextToken } : {}),
    };
  });
  return versions.flatMap((v): EksVersionInfo[] => {
    if (!v.clusterVersion) return [];
    const releaseDate = iso(v.releaseDate);
    const endOfStandardSupport = iso(v.endOfStandardSupportDate);
    const endOfExtendedSupport = iso(v.endOfExtendedSupportDate);
    const status = v.versionStatus ?? v.status;
    return [
      {
        minor: v.clusterVersion,
        ...(releaseDate ? { releaseDate } : {}),
        ...(endOfStandardSupport ? { endOfStandardSupport } : {}),
        ...(endOfExtendedSupport ? { endOfExtendedSupport } : {}),
        ...(status ? { status: String(status) } : {}),
      },
    ];
  });
}
