/** The AWS resources one check function may touch, derived from its clusters' config. */
import type { ClusterConfig } from '../config';
import { ampWorkspaceFromUrl } from '../config';

/** An AMP workspace a function queries with SigV4. */
export interface WorkspaceRef {
  readonly region: string;
  readonly workspaceId: string;
}

/** An EKS cluster a function describes. */
export interface EksClusterRef {
  readonly region: string;
  readonly name: string;
}

/** Names of the resources a function's role is scoped to. */
export interface ClusterResources {
  /** Secrets Manager secret ARNs, as written in the config. */
  readonly secretArns: readonly string[];
  /** AMP workspaces queried with SigV4. */
  readonly ampWorkspaces: readonly WorkspaceRef[];
  /** EKS clusters the function describes. */
  readonly eksClusters: readonly EksClusterRef[];
}

/** Every secret, AMP workspace and EKS cluster the given clusters name, without duplicates. */
export function resourcesOf(clusters: readonly ClusterConfig[]): ClusterResources {
  const secrets = new Set<string>();
  const workspaces = new Map<string, WorkspaceRef>();
  const eks = new Map<string, EksClusterRef>();
  for (const cluster of clusters) {
    const k8s = cluster.kubernetes;
    if (k8s?.kind === 'eks')
      eks.set(`${k8s.region}/${k8s.name}`, { region: k8s.region, name: k8s.name });
    if (k8s?.kind === 'server') {
      secrets.add(k8s.credentials.secretArn);
      if (k8s.caSecretArn) secrets.add(k8s.caSecretArn);
    }
    const prom = cluster.prometheus;
    if (prom) {
      if (prom.auth.type === 'basic' || prom.auth.type === 'bearer')
        secrets.add(prom.auth.secretArn);
      if (prom.caSecretArn) secrets.add(prom.caSecretArn);
      const workspace = prom.auth.type === 'sigv4' ? ampWorkspaceFromUrl(prom.url) : undefined;
      if (workspace) workspaces.set(`${workspace.region}/${workspace.workspaceId}`, workspace);
    }
  }
  return {
    secretArns: [...secrets].sort(),
    ampWorkspaces: [...workspaces.values()],
    eksClusters: [...eks.values()],
  };
}

/** The ARN of an AMP workspace; partition and account may be CDK tokens. */
export function workspaceArn(w: WorkspaceRef, partition: string, account: string): string {
  return `arn:${partition}:aps:${w.region}:${account}:workspace/${w.workspaceId}`;
}

/** The ARN of an EKS cluster; partition and account may be CDK tokens. */
export function eksClusterArn(c: EksClusterRef, partition: string, account: string): string {
  return `arn:${partition}:eks:${c.region}:${account}:cluster/${c.name}`;
}

/**
 * The add-ons of every cluster in `region` (`addon/<cluster>/<addon>/<id>`), for eks:DescribeAddon:
 * one ARN per region rather than per cluster keeps a fleet's policy small (add-on metadata only).
 */
export function eksAddonsArn(region: string, partition: string, account: string): string {
  return `arn:${partition}:eks:${region}:${account}:addon/*`;
}

/** The regions of the EKS clusters, sorted and once each. */
export function eksRegionsOf(clusters: readonly EksClusterRef[]): string[] {
  return [...new Set(clusters.map((c) => c.region))].sort();
}

/**
 * EKS actions on the cluster ARN: connecting (DescribeCluster, which also gives the upgrade
 * policy) and the readiness reads of lib/collect/eks (add-ons, upgrade insights).
 */
export const EKS_CLUSTER_ACTIONS = [
  'eks:DescribeCluster',
  'eks:ListAddons',
  'eks:ListInsights',
  'eks:DescribeInsight',
] as const;

/** EKS actions IAM accepts only on `*`: EKS-wide calendars of versions and add-on builds. */
export const EKS_ACCOUNT_ACTIONS = [
  'eks:DescribeClusterVersions',
  'eks:DescribeAddonVersions',
] as const;

// Worst cases for the estimate: the longest partition name and a 12-digit account.
const LONGEST_PARTITION = 'aws-us-gov';
const ACCOUNT = '123456789012';
// Each ARN in a statement's Resource list also costs two quotes and a comma.
const LIST_ENTRY_OVERHEAD = 3;
/**
 * What CDK assumes an ARN containing a token (partition, account) adds to a policy
 * (`@aws-cdk/aws-iam.arnSizeEstimate`, default 150) when it decides whether to move statements
 * out of the role's inline policy into overflow managed policies.
 */
const CDK_TOKEN_ARN_ESTIMATE = 150;

/**
 * Characters the given clusters' resource ARNs add to their role's policy, as the larger of
 * what IAM counts once deployed (at the longest partition name; IAM ignores whitespace) and
 * what CDK estimates at synth for ARNs built from tokens. Below both limits, the policy stays
 * one inline policy that IAM accepts.
 */
export function policyCharsOf(clusters: readonly ClusterConfig[]): number {
  const r = resourcesOf(clusters);
  const tokenArns = [
    ...r.ampWorkspaces.map((w) => workspaceArn(w, LONGEST_PARTITION, ACCOUNT)),
    ...r.eksClusters.map((c) => eksClusterArn(c, LONGEST_PARTITION, ACCOUNT)),
    ...eksRegionsOf(r.eksClusters).map((region) =>
      eksAddonsArn(region, LONGEST_PARTITION, ACCOUNT),
    ),
  ];
  const lengths = [
    ...r.secretArns.map((arn) => arn.length),
    ...tokenArns.map((arn) => Math.max(arn.length, CDK_TOKEN_ARN_ESTIMATE)),
  ];
  return lengths.reduce((sum, length) => sum + length + LIST_ENTRY_OVERHEAD, 0);
}
