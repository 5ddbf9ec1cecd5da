/** The AWS resources one check function may touch, derived from its clusters' config. */
import type { ClusterConfig } from '../config';
import { ampWorkspaceFromUrl } from '../config';

/** Names of the resources a function's role is scoped to (ARN building is left to the caller). */
export interface ClusterResources {
  /** Secrets Manager secret ARNs, as written in the config. */
  readonly secretArns: readonly string[];
  /** AMP workspaces queried with SigV4. */
  readonly ampWorkspaces: readonly { readonly region: string; readonly workspaceId: string }[];
  /** EKS clusters the function describes. */
  readonly eksClusters: readonly { readonly region: string; readonly name: string }[];
}

/** Every secret, AMP workspace and EKS cluster the given clusters name, without duplicates. */
export function resourcesOf(clusters: readonly ClusterConfig[]): ClusterResources {
  const secrets = new Set<string>();
  const workspaces = new Map<string, { region: string; workspaceId: string }>();
  const eks = new Map<string, { region: string; name: string }>();
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
