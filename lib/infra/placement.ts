/**
 * How clusters are spread over check functions (by VPC placement, then in parts small enough
 * for IAM's policy size limits) and over nested stacks.
 */
import type { ClusterConfig, VpcPlacement } from '../config';
import { policyCharsOf } from './permissions';

/**
 * Most clusters one check function (and its role) serves. Keeps the per-function config, the
 * role's policy and one function's share of the schedules' invocations small.
 */
export const MAX_CLUSTERS_PER_FUNCTION = 40;

/**
 * Most characters of cluster resource ARNs (secrets, AMP workspaces, EKS clusters) in one role's
 * policy, counted by {@link policyCharsOf}. IAM allows 10,240 characters of inline policy per
 * role and 6,144 per managed policy; CDK moves statements into overflow managed policies once
 * its estimate of the inline policy reaches 10,000, and the check role's other statements (logs,
 * ledger, topic, key) take about 1,000 of that. 7,500 leaves 1,500 to spare: 24 clusters with an
 * EKS cluster and an AMP workspace each, or 18 with four 100-character secrets.
 */
export const MAX_POLICY_CHARS_PER_FUNCTION = 7500;

/** Clusters that share one check function: same network placement, one part of it. */
export interface PlacementGroup {
  /**
   * Stable construct id: `Check` outside a VPC, `CheckVpc<hash>` inside one; the second and
   * later parts of a large placement add `Part<n>`, so small deployments keep their ids.
   */
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

/**
 * Groups clusters by VPC placement, in order of first appearance, and splits each placement into
 * parts in config order (see {@link splitForPolicyLimits}).
 */
export function groupByPlacement(clusters: readonly ClusterConfig[]): PlacementGroup[] {
  return groupBySharedPlacement(clusters).flatMap((group) =>
    splitForPolicyLimits(group.clusters).map((part, i) => ({
      ...group,
      id: i === 0 ? group.id : `${group.id}Part${i + 1}`,
      clusters: part,
    })),
  );
}

/**
 * Cuts a placement's clusters, in config order, into parts of at most
 * {@link MAX_CLUSTERS_PER_FUNCTION} clusters and {@link MAX_POLICY_CHARS_PER_FUNCTION} policy
 * characters. Appending clusters never moves existing ones; removing or reordering one moves
 * the clusters after it in that placement to another function (and role).
 */
export function splitForPolicyLimits(clusters: readonly ClusterConfig[]): ClusterConfig[][] {
  const parts: ClusterConfig[][] = [];
  let current: ClusterConfig[] = [];
  for (const cluster of clusters) {
    const candidate = [...current, cluster];
    const full =
      candidate.length > MAX_CLUSTERS_PER_FUNCTION ||
      policyCharsOf(candidate) > MAX_POLICY_CHARS_PER_FUNCTION;
    // A lone cluster always fits: its at most four secrets and two ARNs stay far below the cap.
    if (full && current.length > 0) {
      parts.push(current);
      current = [cluster];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/** Groups clusters by VPC placement alone, in order of first appearance. */
function groupBySharedPlacement(clusters: readonly ClusterConfig[]): PlacementGroup[] {
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
