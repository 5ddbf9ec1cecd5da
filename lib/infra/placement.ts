/** How clusters are spread over check functions (one per VPC placement) and nested stacks. */
import type { ClusterConfig, VpcPlacement } from '../config';

/** Clusters that share one check function because they share a network placement. */
export interface PlacementGroup {
  /** Stable construct id: `Check` outside a VPC, `CheckVpc<hash>` inside one. */
  readonly id: string;
  readonly vpc?: VpcPlacement;
  readonly clusters: readonly ClusterConfig[];
}

/** 32-bit FNV-1a: a stable, dependency-free hash for ids and bucket numbers. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function placementKey(vpc: VpcPlacement): string {
  return `${[...vpc.subnetIds].sort().join(',')}|${[...vpc.securityGroupIds].sort().join(',')}`;
}

/** Groups clusters by VPC placement, in order of first appearance. */
export function groupByPlacement(clusters: readonly ClusterConfig[]): PlacementGroup[] {
  const groups = new Map<string, { vpc?: VpcPlacement; clusters: ClusterConfig[] }>();
  for (const cluster of clusters) {
    const key = cluster.vpc ? placementKey(cluster.vpc) : '';
    let group = groups.get(key);
    if (!group) {
      group = { ...(cluster.vpc ? { vpc: cluster.vpc } : {}), clusters: [] };
      groups.set(key, group);
    }
    group.clusters.push(cluster);
  }
  return [...groups.entries()].map(([key, group]) => ({
    id: key === '' ? 'Check' : `CheckVpc${fnv1a(key).toString(16).padStart(8, '0')}`,
    ...group,
  }));
}

/**
 * Assigns clusters to `count` buckets by a hash of the name, so adding or removing a cluster
 * never moves another one to a different nested stack (a move would recreate its EKS access
 * entry while the old one still exists, which EKS rejects).
 */
export function bucketClusters(
  clusters: readonly ClusterConfig[],
  count: number,
): ClusterConfig[][] {
  const buckets: ClusterConfig[][] = Array.from({ length: count }, () => []);
  for (const cluster of clusters) buckets[fnv1a(cluster.name) % count]?.push(cluster);
  return buckets;
}
