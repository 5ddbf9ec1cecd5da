/**
 * The GitOps controllers' lists (Argo CD Applications, Flux Kustomizations and HelmReleases): one
 * paged list per kind whatever the cluster's size, a 404 read as "that controller is not
 * installed" and a 403 kept as a read failure with the grant that fixes it.
 */
import type { GitOpsList, ListStatus, Raw } from '../kube-objects';
import { GITOPS_RESOURCES } from '../kube-objects';
import { readFailureOf, SourceError } from '../errors';
import type { KubeClient } from './client';
import { KubeHttpError } from './client';
import type { KeepItem } from './lists';
import { listAll } from './lists';

/** What one GitOps list read: its items and its status for the `gitops` part. */
export interface GitOpsListResult {
  readonly items: Raw[];
  readonly status: ListStatus;
}

/**
 * Lists one GitOps kind in all namespaces at the newest version the cluster serves; a 404 at
 * every version means the CRD is not installed, which is no failure. `limit` bounds concurrency.
 */
export async function listGitOps(
  client: KubeClient,
  list: GitOpsList,
  keep: KeepItem<Raw>,
  limit: <T>(task: () => Promise<T>) => Promise<T>,
): Promise<GitOpsListResult> {
  const { group, versions, kind } = GITOPS_RESOURCES[list];
  for (const version of versions) {
    try {
      const items = await limit(() => listAll(client, { resource: list, group, version }, keep));
      return { items, status: { state: 'collected' } };
    } catch (error) {
      if (error instanceof KubeHttpError && error.status === 404) continue;
      if (!(error instanceof SourceError)) throw error;
      return {
        items: [],
        status: { state: 'missing', reason: error.message, failures: [readFailureOf(error)] },
      };
    }
  }
  return {
    items: [],
    status: {
      state: 'notInstalled',
      reason: `${list}.${group} is not served (${versions.map((v) => `${group}/${v}`).join(', ')}): no ${kind} CRD installed`,
    },
  };
}
